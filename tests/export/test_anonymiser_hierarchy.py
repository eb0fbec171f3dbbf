"""Generalisation hierarchies: ARX files, number bands, explicit levels and the UN M49 country grouping."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from survey.export.anonymise import Hierarchy, HierarchyError
from survey.export.anonymise.m49 import DATA_FILE

from .anonymiser_reference import ADULT


def test_arx_file_gives_every_level_of_a_value() -> None:
    age = Hierarchy.from_arx_csv(ADULT / "adult_hierarchy_age.csv")
    assert age.name == "age"
    assert age.height == 4
    assert [age.value_at("39", level) for level in range(5)] == ["39", "35-39", "30-39", "20-39", "*"]


def test_arx_file_without_trailing_newline_is_read_completely() -> None:
    country = Hierarchy.from_arx_csv(ADULT / "adult_hierarchy_native-country.csv")
    assert len(country) == 41
    assert country.value_at("Holand-Netherlands", 1) == "Europe"


def test_comma_separated_file_is_accepted_when_it_has_no_semicolon(tmp_path: Path) -> None:
    path = tmp_path / "h_sex.csv"
    path.write_text("Male,*\nFemale,*\n", encoding="utf-8")
    assert Hierarchy.from_arx_csv(path).value_at("Female", 1) == "*"


def test_ragged_file_names_file_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "h_age.csv"
    path.write_text("1;0-4;*\n2;0-4;*\n3;*\n", encoding="utf-8")
    with pytest.raises(HierarchyError, match=r"h_age\.csv, line 3: 2 levels, but line 1 has 3 \(ragged hierarchy\)"):
        Hierarchy.from_arx_csv(path)


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "h_age.csv"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(HierarchyError, match=r"h_age\.csv: the hierarchy file is empty"):
        Hierarchy.from_arx_csv(path)


def test_duplicate_original_value_names_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "h_sex.csv"
    path.write_text("Male;*\nFemale;*\nMale;*\n", encoding="utf-8")
    with pytest.raises(HierarchyError, match=r"line 3: duplicate original value 'Male' \(first on line 1\)"):
        Hierarchy.from_arx_csv(path)


def test_levels_that_do_not_nest_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "h_age.csv"
    path.write_text("1;0-4;young;*\n2;0-4;old;*\n", encoding="utf-8")
    with pytest.raises(HierarchyError, match=r"'0-4' at level 1 generalises to both 'young' and 'old' at level 2"):
        Hierarchy.from_arx_csv(path)


def test_missing_value_error_names_attribute_and_value() -> None:
    age = Hierarchy.from_bands(["18", "30"], [10], name="age")
    with pytest.raises(HierarchyError, match=r"^age: value '17' is not in the hierarchy$"):
        age.value_at("17", 1)


def test_bands_align_at_multiples_of_the_width() -> None:
    year = Hierarchy.from_bands(["1987", "1990", "2004"], [5, 10], name="year")
    assert year.height == 3
    assert [year.value_at("1987", level) for level in range(4)] == ["1987", "1985-1989", "1980-1989", "*"]
    assert year.value_at("1990", 1) == "1990-1994"
    assert year.value_at("2004", 2) == "2000-2009"


def test_kept_missing_codes_stay_unchanged_until_the_top() -> None:
    year = Hierarchy.from_bands(["1987", "-1", "-2"], [5, 10], keep={"-1", "-2"}, name="year")
    assert [year.value_at("-1", level) for level in range(4)] == ["-1", "-1", "-1", "*"]
    assert year.value_at("-2", 2) == "-2"


def test_non_numeric_band_value_outside_keep_is_an_error() -> None:
    with pytest.raises(HierarchyError, match=r"year: value 'unknown' is not a whole number"):
        Hierarchy.from_bands(["1987", "unknown"], [5], name="year")


def test_band_widths_must_nest() -> None:
    with pytest.raises(HierarchyError, match=r"each band width must be a multiple of the one before \(5, 7\)"):
        Hierarchy.from_bands(["1987"], [5, 7], name="year")


def test_levels_get_a_star_on_top_unless_they_end_in_one_value() -> None:
    open_top = Hierarchy.from_levels([{"cat": "pet", "dog": "pet", "cow": "farm"}])
    assert open_top.height == 2
    assert open_top.value_at("cow", 2) == "*"
    closed = Hierarchy.from_levels([{"cat": "pet", "dog": "pet", "cow": "farm"}, {"pet": "animal", "farm": "animal"}])
    assert closed.height == 2
    assert closed.value_at("cat", 2) == "animal"


def test_levels_with_a_gap_are_an_error() -> None:
    with pytest.raises(HierarchyError, match=r"level 1 value 'farm' is missing from levels\[1\]"):
        Hierarchy.from_levels([{"cat": "pet", "cow": "farm"}, {"pet": "animal"}], name="animals")


def test_m49_groups_countries_by_sub_region_and_region() -> None:
    country = Hierarchy.m49()
    assert [country.value_at("DE", level) for level in range(4)] == ["DE", "Western Europe", "Europe", "*"]
    assert country.value_at("SY", 1) == "Western Asia"
    assert country.value_at("AF", 2) == "Asia"
    assert country.value_at("ER", 1) == "Sub-Saharan Africa"
    assert country.value_at("BR", 2) == "Americas"
    assert country.value_at("AQ", 1) == "Other"


def test_m49_covers_every_iso_country_with_the_five_regions() -> None:
    country = Hierarchy.m49()
    codes = {entry.alpha_2 for entry in pycountry.countries}
    assert codes <= set(country.values)
    assert {country.value_at(code, 2) for code in codes} == {"Africa", "Americas", "Asia", "Europe", "Oceania", "Other"}


def test_m49_keeps_missing_codes_and_ships_its_table_inside_the_package() -> None:
    country = Hierarchy.m49(keep={"-1"})
    assert country.value_at("-1", 2) == "-1"
    import survey.export.anonymise as package

    assert (Path(package.__file__).parent / DATA_FILE).is_file()
