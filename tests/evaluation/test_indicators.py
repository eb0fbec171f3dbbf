"""Indicators files: the study's own passes its check; a wrong one is refused with its JSON pointer."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from survey.evaluation.indicators import DOMAINS, IndicatorsError, load_data

from .conftest import STUDY_INDICATORS


def study_data() -> dict:
    return json.loads(STUDY_INDICATORS.read_text(encoding="utf-8"))


def problems_of(data, questionnaire) -> list[str]:
    with pytest.raises(IndicatorsError) as caught:
        load_data(data, questionnaire, "bad.indicators.json")
    return [str(problem) for problem in caught.value.problems]


def test_study_indicators_cover_every_domain_with_sources_and_both_languages(indicators):
    assert len(indicators.indicators) >= 15
    assert {indicator.domain for indicator in indicators.indicators} == set(DOMAINS)
    for indicator in indicators.indicators:
        assert indicator.title.has("de") and indicator.title.has("en")
        assert len(indicator.comment) > 20
    assert sum(1 for indicator in indicators.indicators if indicator.target) >= 5


def test_indicator_naming_a_missing_question_is_an_error_with_its_pointer(study):
    data = study_data()
    data["indicators"][2]["numerator"] = "german_level in (3, 4)"
    assert problems_of(data, study) == [
        "bad.indicators.json: /indicators/2/numerator: error: "
        "condition 'german_level in (3, 4)': unknown question 'german_level' (at character 1)"
    ]


def test_wrong_option_code_mean_of_text_and_unknown_breakdown_are_each_named(study):
    data = study_data()
    data["indicators"][0]["population"] = "german_cert = 9"
    data["indicators"][1]["breakdowns"] = ["sex", "religion"]
    mean = next(index for index, item in enumerate(data["indicators"]) if "mean" in item)
    data["indicators"][mean]["mean"] = "comment"
    data["breakdowns"][0]["variable"] = "sexe"
    found = problems_of(data, study)
    assert any("/indicators/0/population" in p and "no option with code 9" in p for p in found)
    assert any("/indicators/1/breakdowns/1" in p and "no breakdown 'religion'" in p for p in found)
    assert any(f"/indicators/{mean}/mean" in p and "does not hold numbers" in p for p in found)
    assert any("/breakdowns/0/variable" in p and "no variable 'sexe'" in p for p in found)


def test_schema_errors_carry_pointers(study):
    data = study_data()
    del data["indicators"][3]["comment"]
    data["indicators"][4]["domain"] = "sports"
    broken = copy.deepcopy(data)
    found = problems_of(broken, study)
    assert "bad.indicators.json: /indicators/3: error: missing required property 'comment'" in found
    assert any(p.startswith("bad.indicators.json: /indicators/4/domain: error: 'sports' is not allowed") for p in found)


def test_duplicate_ids_and_a_share_target_above_one(study):
    data = study_data()
    data["indicators"][1]["id"] = data["indicators"][0]["id"]
    data["indicators"][0]["target"]["value"] = 38
    found = problems_of(data, study)
    assert any("/indicators/1/id" in p and "duplicate indicator id" in p for p in found)
    assert any("/indicators/0/target/value" in p for p in found)


def test_check_command_prints_pointer_and_fails(app, runner, tmp_path):
    good = runner.invoke(args=["evaluate", "check", "tests/data/questionnaires/every-type.indicators.json"])
    assert good.exit_code == 0 and "2 indicators, 1 breakdowns, 1 targets: no problems" in good.output
    data = json.loads(Path("tests/data/questionnaires/every-type.indicators.json").read_text(encoding="utf-8"))
    data["indicators"][0]["numerator"] = "salary > 3"
    bad = tmp_path / "bad.indicators.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(args=["evaluate", "check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: /indicators/0/numerator: error: condition 'salary > 3': unknown question 'salary'" in result.output
    missing = runner.invoke(args=["evaluate", "check", str(tmp_path / "none.json")])
    assert missing.exit_code == 1 and "none.json: not found" in missing.output
