"""Bad input is refused with a message naming the file, row or pointer: never a traceback."""

from __future__ import annotations

import shutil

import pytest

from survey.evaluation.errors import EvaluationInputError
from survey.evaluation.exports import read_exports
from survey.evaluation.responserates import read_dispositions
from survey.evaluation.weights import read_margins

from .conftest import STUDY_INDICATORS, folders


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def refused(call, *args) -> str:
    with pytest.raises(EvaluationInputError) as caught:
        call(*args)
    return str(caught.value)


def test_margin_with_an_unknown_category_names_file_and_row(tmp_path, indicators):
    path = write(tmp_path / "m.csv", "variable,category,population\nsex,female,10\nsex,male,12\nsex,divers,1\n")
    assert refused(read_margins, path, indicators) == (
        f"{path}: row 4: unknown category 'divers' of 'sex' (groups: female, male, diverse)"
    )


def test_margins_that_do_not_add_up_name_each_total_and_its_rows(tmp_path, indicators):
    text = (
        "variable,category,population\nsex,female,100\nsex,male,100\nsex,diverse,1\n"
        "origin,middle_east,50\norigin,europe,50\norigin,africa_other,50\n"
    )
    path = write(tmp_path / "m.csv", text)
    assert refused(read_margins, path, indicators) == (
        f"{path}: the margins do not add up to one population: sex 201 (rows 2-4); origin 150 (rows 5-7)"
    )


def test_other_margin_mistakes(tmp_path, indicators):
    cases = {
        "variable,category\nsex,female\n": "row 1: missing column(s) population",
        "variable,category,population\nreligion,x,1\n": "row 2: unknown variable 'religion'",
        "variable,category,population\nsex,female,many\n": "row 2: population 'many' is not a number",
        "variable,category,population\nsex,female,-3\n": "row 2: population must not be negative",
        "variable,category,population\nsex,female,3\nsex,female,4\n": "row 3: 'sex' 'female' given twice",
        "variable,category,population\nsex,female,3\nsex,male,4\n": "'sex' has no row for diverse",
        "variable,category,population\n": "no margins",
    }
    for text, message in cases.items():
        path = write(tmp_path / "m.csv", text)
        assert refused(read_margins, path, indicators).startswith(f"{path}: {message}"), text
    assert refused(read_margins, tmp_path / "none.csv", indicators) == f"{tmp_path / 'none.csv'}: not found"


def test_an_empty_wave_names_its_file(three_waves, tmp_path):
    empty = tmp_path / "export-2032"
    shutil.copytree(three_waves / "export-2026", empty)
    csv_file = empty / "wetterau-integration-wave-2026.csv"
    header = csv_file.read_text(encoding="utf-8").splitlines()[0]
    csv_file.write_text(header + "\n", encoding="utf-8")
    assert refused(read_exports, [*folders(three_waves)[:2], empty]) == (
        f"{csv_file}: wave 2026 holds no responses (an empty wave cannot be estimated)"
    )


def test_export_mistakes(three_waves, tmp_path):
    assert refused(read_exports, []) == "give at least one export folder (--export DIR)"
    assert (
        refused(read_exports, [tmp_path]) == f"{tmp_path / 'manifest.json'}: not found; is {tmp_path} an export folder?"
    )
    first = folders(three_waves)[0]
    assert refused(read_exports, [first, first]) == f"{first}: wave 2026 is in {first} too"
    assert "not a folder" in refused(read_exports, [tmp_path / "missing"])


def test_dispositions_rows_are_checked(tmp_path):
    good = write(tmp_path / "d.csv", "wave,batch,issued,complete,partial\n2026,a,100,30,5\n2026,b,100,20,0\n")
    rates = read_dispositions(good)
    assert [(r.wave, r.batch, r.counts.issued) for r in rates] == [
        ("2026", "", 200),
        ("2026", "a", 100),
        ("2026", "b", 100),
    ]
    assert rates[0].rates.rr1 == pytest.approx(50 / 200) and rates[0].rates.rr2 == pytest.approx(55 / 200)
    bad = write(tmp_path / "d.csv", "wave,batch,issued,complete\n2026,a,10,30\n")
    assert refused(read_dispositions, bad) == f"{bad}: row 2: 30 outcomes recorded but only 10 codes issued"
    bad = write(tmp_path / "d.csv", "wave,batch,issued,complete\n2026,a,ten,3\n")
    assert refused(read_dispositions, bad).startswith(f"{bad}: row 2: invalid literal")


def test_command_reports_bad_input_without_a_traceback(study_runner, three_waves, tmp_path):
    margins = write(tmp_path / "m.csv", "variable,category,population\nsex,female,10\nsex,male,12\nsex,other,1\n")
    args = [
        "evaluate",
        "--indicators",
        str(STUDY_INDICATORS),
        "--margins",
        str(margins),
        "--out",
        str(tmp_path / "out"),
    ]
    for folder in folders(three_waves):
        args += ["--export", str(folder)]
    result = study_runner.invoke(args=args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: {margins}: row 4: unknown category 'other' of 'sex'" in result.output
    missing = study_runner.invoke(
        args=["evaluate", "--export", str(folders(three_waves)[0]), "--out", str(tmp_path / "o")]
    )
    assert missing.exit_code == 2 and "give --indicators FILE and --out DIR" in missing.output


def test_margins_per_wave(tmp_path, indicators):
    text = "wave,variable,category,population\n" + "".join(
        f"{wave},sex,{group},{count}\n"
        for wave in ("2026", "2028")
        for group, count in (("female", 5), ("male", 6), ("diverse", 1))
    )
    margins = read_margins(write(tmp_path / "m.csv", text), indicators)
    assert [m.population for m in margins.for_wave("2028")] == [(5.0, 6.0, 1.0)]
    assert refused(margins.for_wave, "2030") == f"{tmp_path / 'm.csv'}: no margins for wave 2030"


def test_unknown_strata_are_named(study_runner, three_waves, tmp_path):
    args = ["evaluate", "--indicators", str(STUDY_INDICATORS), "--out", str(tmp_path / "o"), "--strata", "county"]
    result = study_runner.invoke(args=[*args, "--export", str(folders(three_waves)[0])])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{STUDY_INDICATORS}: no breakdown 'county' for --strata (breakdowns: sex, origin" in result.output
