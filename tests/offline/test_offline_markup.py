"""The offline pages repeat the server's markup: for every page of the every-type questionnaire (all
15 question types), the respondent block that survey/static/offline/render.js builds equals the one
the server renders for the same interview page (Arabic respondent, German interviewer; and the
handed-over page in Arabic only), element by element, attribute by attribute, text by text; and the
"Page X of Y" line above it, numbers in <bdi> as the template's `bdi()` puts them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ..conftest import TEST_QUESTIONNAIRES
from .conftest import InThread
from .markup import assert_same_markup, compare_pages, questionnaire_of, serving, tags

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def every_type_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with serving(tmp_path_factory.mktemp("markup"), TEST_QUESTIONNAIRES) as served:
        yield served


def test_offline_pages_build_the_servers_markup_for_every_question_type(
    chromium: InThread, every_type_server: tuple[str, Any]
) -> None:
    url, app = every_type_server
    study = questionnaire_of(app, "every-type")
    compared = chromium.within(compare_pages, url, study)
    expected = {page.id for page in study.pages}
    assert set(compared) >= expected - {"job"}  # asked only of those who work
    assert any(handed_over for _, _, handed_over in compared.values())  # the sensitive page, alone
    assert len([name for name in compared if name.endswith(" with errors")]) >= 8
    assert "audio" in tags(compared["birth"][0][0])  # the recorded question, in Arabic
    # The municipality chosen before, piped into the scale's question in <bdi> (and into the German
    # interviewer's box, isolated by FSI/PDI), as the server shows it.
    assert "bdi" in tags(compared["feel"][0][0]) and "\u2068Friedberg\u2069" in json.dumps(
        compared["feel"][0][0], ensure_ascii=False
    )
    # "Page X of Y" with both numbers isolated in <bdi>, in the interviewer's language (Arabic when handed over).
    assert tags(compared["birth"][0][2]) == {"p", "bdi"}
    assert_same_markup(compared)
