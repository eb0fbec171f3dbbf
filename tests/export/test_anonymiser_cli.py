"""`flask anonymise`: files in, files out, and clear errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner, Result

from survey.export.anonymise.cli import anonymise_command

from .anonymiser_reference import ADULT, ADULT_COLUMNS, read_adult

SMALL = """id,age,sex,note
007,21,F,
008,22,F,x
009,23,F,
010,31,M,y
011,32,M,
012,33,M,
013,50,M,z
"""


def run(*args: object) -> Result:
    return CliRunner().invoke(anonymise_command, [str(arg) for arg in args])


def small_files(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "in.csv"
    source.write_text(SMALL, encoding="utf-8")
    folder = tmp_path / "hierarchies"
    folder.mkdir()
    ages = "\n".join(f"{age},{age // 10 * 10}-{age // 10 * 10 + 9},*" for age in range(18, 100))
    (folder / "study_age.csv").write_text(ages + "\n", encoding="utf-8")
    (folder / "study_sex.csv").write_text("F,*\nM,*\n", encoding="utf-8")
    return source, folder


def test_small_comma_separated_file_end_to_end(tmp_path: Path) -> None:
    source, folder = small_files(tmp_path)
    out, report = tmp_path / "out.csv", tmp_path / "report.json"
    result = run(source, "--quasi", "age,sex", "--hierarchies", folder, "--k", 3, "--max-suppression", 0.15,
                 "--out", out, "--report", report)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "smallest class 3" in result.output
    assert "1 suppressed" in result.output
    assert out.read_text(encoding="utf-8") == (
        "id,age,sex,note\n007,20-29,F,\n008,20-29,F,x\n009,20-29,F,\n010,30-39,M,y\n"
        "011,30-39,M,\n012,30-39,M,\n013,*,*,z\n"
    )  # same separator, rows in order, "007" and empty cells copied verbatim
    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["k_reached"] == 3
    assert written["suppressed"]["records"] == 1


def test_adult_end_to_end_keeps_every_row_in_order(tmp_path: Path) -> None:
    out, report = tmp_path / "adult-out.csv", tmp_path / "report.json"
    result = run(ADULT / "adult.csv", "--quasi", ",".join(ADULT_COLUMNS), "--hierarchies", ADULT, "--k", 5,
                 "--max-suppression", 0.04, "--out", out, "--report", report)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "906 suppressed" in result.output
    assert "smallest class 5" in result.output
    output = pd.read_csv(out, sep=";", dtype=str, keep_default_na=False)
    original = read_adult()
    assert list(output.columns) == list(original.columns)
    assert len(output) == len(original)
    kept = output["age"] != "*"
    assert (output.loc[kept, "age"] == original.loc[kept, "age"]).all()  # age stays at level 0
    assert (output.loc[kept, "occupation"] == original.loc[kept, "occupation"]).all()
    assert json.loads(report.read_text(encoding="utf-8"))["suppressed"]["records"] == 906


def assert_fails_cleanly(result: Result, message: str) -> None:
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_missing_hierarchy_file_fails_cleanly(tmp_path: Path) -> None:
    source, folder = small_files(tmp_path)
    (folder / "study_sex.csv").unlink()
    result = run(source, "--quasi", "age,sex", "--hierarchies", folder, "--out", tmp_path / "out.csv")
    assert_fails_cleanly(result, "no hierarchy file for 'sex'")


def test_unknown_column_fails_cleanly(tmp_path: Path) -> None:
    source, folder = small_files(tmp_path)
    result = run(source, "--quasi", "age,postcode", "--hierarchies", folder, "--out", tmp_path / "out.csv")
    assert_fails_cleanly(result, "unknown column 'postcode' given as quasi-identifier")


def test_value_missing_from_a_hierarchy_fails_cleanly(tmp_path: Path) -> None:
    source, folder = small_files(tmp_path)
    source.write_text(SMALL + "014,17,F,\n", encoding="utf-8")
    result = run(source, "--quasi", "age,sex", "--hierarchies", folder, "--out", tmp_path / "out.csv")
    assert_fails_cleanly(result, "age: value '17' is not in the hierarchy")


def test_k_larger_than_the_data_fails_cleanly(tmp_path: Path) -> None:
    source, folder = small_files(tmp_path)
    result = run(source, "--quasi", "age,sex", "--hierarchies", folder, "--k", 8, "--out", tmp_path / "out.csv")
    assert_fails_cleanly(result, "k=8 is larger than the number of records (7)")


def test_unreadable_input_fails_cleanly(tmp_path: Path) -> None:
    _, folder = small_files(tmp_path)
    result = run(tmp_path / "missing.csv", "--quasi", "age", "--hierarchies", folder, "--out", tmp_path / "out.csv")
    assert_fails_cleanly(result, "missing.csv: No such file or directory")


def test_ragged_hierarchy_file_fails_cleanly(tmp_path: Path) -> None:
    source, folder = small_files(tmp_path)
    (folder / "study_sex.csv").write_text("F;*\nM;x;*\n", encoding="utf-8")
    result = run(source, "--quasi", "age,sex", "--hierarchies", folder, "--out", tmp_path / "out.csv")
    assert_fails_cleanly(result, "line 2: 3 levels, but line 1 has 2 (ragged hierarchy)")
