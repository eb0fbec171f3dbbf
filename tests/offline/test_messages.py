"""The offline runtime knows every validation message of the question types, and each one is in the
catalogs (a typo in survey/offline/messages.py would ship English to every device)."""

from __future__ import annotations

import ast
from pathlib import Path

from survey.offline.messages import PLURAL, SINGULAR

from ..conftest import ROOT

QUESTIONS = ROOT / "survey" / "questionnaires" / "questions"
# Shown on pages and the review, never as a validation error.
DISPLAY_ONLY = {"Don't know", "Prefer not to say", "Yes, I agree"}


def messages_in(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("lazy_gettext", "lazy_ngettext", "gettext", "ngettext")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(node.args[0].value)
    return found


def test_every_validation_message_of_the_question_types_is_offered_offline() -> None:
    used = set().union(*(messages_in(path) for path in QUESTIONS.glob("*.py")))
    assert len(used) > 20
    known = set(SINGULAR) | {singular for singular, _ in PLURAL}
    assert used - DISPLAY_ONLY - known == set(), "add them to survey/offline/messages.py and the runtime"


def test_every_offline_message_is_in_the_catalog_template() -> None:
    template = (ROOT / "translations" / "messages.pot").read_text(encoding="utf-8")
    for msgid in [*SINGULAR, *(singular for singular, _ in PLURAL)]:
        escaped = msgid.replace("\\", "\\\\").replace('"', '\\"')
        assert f'msgid "{escaped}"' in template, msgid
