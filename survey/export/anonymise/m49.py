"""The UN M49 standard's country grouping (m49.csv, next to this module): ISO 3166 alpha-2 code ->
sub-region -> region, for the country hierarchy.

Written for this project from the UN Statistics Division's public "Standard country or area codes for
statistical use (M49)". It covers every code in `pycountry.countries`. Two codes are not in M49's
geographic regions: Antarctica (AQ) maps to "Other"; Taiwan (TW) maps to Eastern Asia, where it lies.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

DATA_FILE = "m49.csv"
_PACKAGE = __name__.rpartition(".")[0]


@functools.cache
def m49_table() -> dict[str, tuple[str, str]]:
    """Alpha-2 code -> (sub-region, region), read once from the package data file."""
    text = resources.files(_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return {row["alpha_2"]: (row["sub_region"], row["region"]) for row in csv.DictReader(io.StringIO(text))}
