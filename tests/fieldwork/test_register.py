"""Register extracts: every problem is named with its line; a spreadsheet's BOM is fine."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.fieldwork.register import RegisterError, read

from .synthetic import register_rows, write_register


def _problems(path: Path) -> str:
    with pytest.raises(RegisterError) as caught:
        read(path)
    return str(caught.value)


def test_a_clean_extract_is_read_with_its_hash(tmp_path):
    path = write_register(tmp_path / "r.csv", register_rows(30))
    register = read(path)
    assert len(register.people) == 30 and len(register.sha256) == 64
    assert register.people[0].address["street"] == "Hauptstraße"


def test_a_byte_order_mark_from_a_spreadsheet_is_accepted(tmp_path):
    path = write_register(tmp_path / "r.csv", register_rows(5), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(read(path).people) == 5


def test_a_latin1_file_names_the_line_of_the_first_bad_byte(tmp_path):
    rows = [{**row, "street": "Bahnhofweg", "family_name": "Nowak", "given_name": "Ion"} for row in register_rows(5)]
    rows[3]["family_name"] = "Müller"
    path = tmp_path / "r.csv"
    text = write_register(tmp_path / "u.csv", rows).read_text(encoding="utf-8")
    path.write_bytes(text.encode("latin-1", "replace"))
    message = _problems(path)
    assert "r.csv, line 5: not UTF-8" in message


def test_utf16_is_refused_with_advice(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(write_register(tmp_path / "u.csv", register_rows(2)).read_text().encode("utf-16"))
    assert "UTF-16; save it as UTF-8" in _problems(path)


def test_duplicate_ids_and_unknown_nationalities_are_listed_by_line(tmp_path):
    rows = register_rows(6)
    rows[4]["record_id"] = rows[1]["record_id"]
    rows[2]["nationality"] = "QQ"
    rows[5]["birth_year"] = "19x0"
    rows[3]["sex"] = "q"
    message = _problems(write_register(tmp_path / "r.csv", rows))
    assert "line 4: nationality 'QQ' is not an ISO 3166 alpha-2 code" in message
    assert "line 5: sex 'q' is not one of m, f, d, x" in message
    assert f"line 6: record_id '{rows[1]['record_id']}' already on line 3" in message
    assert "line 7: birth_year '19x0'" in message


def test_unknown_and_missing_columns_are_named(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("record_id,nationality,phone\nA1,SY,0171\n", encoding="utf-8")
    message = _problems(path)
    assert "line 1: missing column(s) sex, birth_year" in message
    assert "unknown column(s) phone" in message


def test_a_row_with_the_wrong_number_of_fields_is_named(tmp_path):
    path = write_register(tmp_path / "r.csv", register_rows(3))
    with path.open("a", encoding="utf-8") as handle:
        handle.write("R9,SY,m\n")
    assert "r.csv, line 5: 3 fields, the header has 12" in _problems(path)


def test_the_check_command_prints_problems_without_a_traceback(runner, tmp_path):
    rows = register_rows(3)
    rows[0]["nationality"] = "ZZ"
    result = runner.invoke(args=["fieldwork", "register", "check", str(write_register(tmp_path / "r.csv", rows))])
    assert result.exit_code == 1
    assert "r.csv, line 2: nationality 'ZZ'" in result.output and "Traceback" not in result.output
    good = runner.invoke(args=["fieldwork", "register", "check", str(write_register(tmp_path / "g.csv", rows[1:]))])
    assert good.exit_code == 0 and "2 people" in good.output
