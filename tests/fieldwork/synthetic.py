"""A synthetic register extract: deterministic people with plausible nationalities and addresses."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from survey.fieldwork.register import COLUMNS

# Nationality shares loosely like a German county's foreign population.
NATIONALITIES = (
    ("TR", 18),
    ("SY", 12),
    ("AF", 8),
    ("UA", 10),
    ("IQ", 5),
    ("IR", 3),
    ("ER", 3),
    ("SO", 2),
    ("PL", 9),
    ("RO", 9),
    ("BG", 5),
    ("HR", 4),
    ("IT", 5),
    ("RU", 3),
    ("XK", 2),
    ("PK", 2),
)
GIVEN = ("Amina", "Yusuf", "Olena", "Mehmet", "Fatima", "Ali", "Anna", "Ion", "Maria", "Ahmad", "Selam", "Luca")
FAMILY = ("Yılmaz", "Al-Hassan", "Kovalenko", "Haidari", "Nowak", "Popescu", "Rossi", "Tesfay", "Ahmadi", "Hoxha")
TOWNS = (("61169", "Friedberg"), ("61231", "Bad Nauheim"), ("63667", "Nidda"), ("61118", "Bad Vilbel"))


def register_rows(count: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    codes = [code for code, _share in NATIONALITIES]
    weights = [share for _code, share in NATIONALITIES]
    rows = []
    for index in range(count):
        postcode, town = rng.choice(TOWNS)
        rows.append(
            {
                "record_id": f"R{index:06d}",
                "nationality": rng.choices(codes, weights)[0],
                "sex": rng.choice("mfdx") if index % 50 == 0 else rng.choice("mf"),
                "birth_year": str(rng.randint(1940, 2008)),
                "municipality": town,
                "given_name": rng.choice(GIVEN),
                "family_name": rng.choice(FAMILY),
                "street": "Hauptstraße",
                "house_number": str(rng.randint(1, 120)),
                "postcode": postcode,
                "city": town,
                "address_extra": "",
            }
        )
    return rows


def write_register(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


DESIGN = """
size = 2000
allocation = "proportional"

[strata.arabic]
nationalities = ["SY", "IQ"]

[strata.persian]
nationalities = ["AF", "IR"]

[strata.horn_of_africa]
nationalities = ["ER", "SO"]

[strata.turkish]
nationalities = ["TR"]

[strata.eastern_europe]
nationalities = ["UA", "RU", "PL", "RO", "BG", "HR"]

[strata.other]
nationalities = ["*"]
"""
