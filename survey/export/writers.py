"""Write an export: CSV, SPSS .sav and Stata .dta with labels, a codebook (CSV and HTML) and a manifest."""

from __future__ import annotations

import csv
import hashlib
import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .table import MISSING_CODES

FORMATS = ("csv", "sav", "dta")


@dataclass(frozen=True)
class Column:
    """A column as written: name, labels in German and English, value labels, what was done to it."""

    name: str
    label_de: str
    label_en: str
    numeric: bool
    value_labels: tuple[tuple[Any, str, str], ...]  # (value, German, English)
    privacy: str
    generalisation: str  # e.g. "level 1 of 3: bands of 5 years", or "" when unchanged
    computed_as: str = ""  # the expression of a computed value (e.g. "year(today()) - birth_year")


def _missing_labels(numeric: bool) -> list[tuple[Any, str, str]]:
    return [(code if numeric else str(code), text.get("de"), text.get("en")) for code, text in MISSING_CODES.items()]


def write_csv(path: Path, columns: Sequence[Column], frame: pd.DataFrame) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", columns=[c.name for c in columns])


def _labels_for_stats(column: Column) -> dict[Any, str]:
    labels = {value: english for value, _, english in column.value_labels}
    labels.update({value: english for value, _, english in _missing_labels(column.numeric)})
    return labels


def write_spss(path: Path, columns: Sequence[Column], frame: pd.DataFrame) -> None:
    import pyreadstat

    numeric = {c.name for c in columns if c.numeric}
    value_labels = {c.name: _labels_for_stats(c) for c in columns if c.numeric}
    missing_ranges: dict[str, list[Any]] = {c.name: [{"lo": -5, "hi": -1}] for c in columns if c.numeric}
    data = _typed(frame, columns)
    pyreadstat.write_sav(
        data,
        str(path),
        column_labels={c.name: c.label_en[:255] for c in columns},
        variable_value_labels=value_labels,
        missing_ranges=missing_ranges,
        variable_measure={name: "nominal" for name in numeric},
    )


def write_stata(path: Path, columns: Sequence[Column], frame: pd.DataFrame) -> None:
    import pyreadstat

    # Stata value labels must be whole numbers; decimals keep their missing codes unlabelled.
    value_labels: dict[str, dict[int | float, str]] = {
        c.name: {int(k): v for k, v in _labels_for_stats(c).items()}
        for c in columns
        if c.numeric and all(float(k).is_integer() for k in _labels_for_stats(c))
    }
    pyreadstat.write_dta(
        _typed(frame, columns),
        str(path),
        column_labels={c.name: c.label_en[:80] for c in columns},
        variable_value_labels=value_labels,
        version=15,
    )


def _typed(frame: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    """Numbers as float64 (SPSS and Stata numeric), everything else as text; built in one go."""
    return pd.DataFrame(
        {
            column.name: pd.to_numeric(frame[column.name]).astype("float64")
            if column.numeric
            else frame[column.name].astype(str)
            for column in columns
        },
        index=frame.index,
    )


# format name (as in `--format`) -> the function writing a data file in it
WRITERS = {"csv": write_csv, "sav": write_spss, "dta": write_stata}


def write_codebook(folder: Path, columns: Sequence[Column], title: str, stem: str = "codebook") -> list[Path]:
    csv_path, html_path = folder / f"{stem}.csv", folder / f"{stem}.html"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "variable",
                "label_de",
                "label_en",
                "type",
                "privacy",
                "generalisation",
                "value",
                "value_de",
                "value_en",
                "computed_as",
            ]
        )
        for column in columns:
            kind = "numeric" if column.numeric else "string"
            writer.writerow(
                [
                    column.name,
                    column.label_de,
                    column.label_en,
                    kind,
                    column.privacy,
                    column.generalisation,
                    "",
                    "",
                    "",
                    column.computed_as,
                ]
            )
            for value, german, english in list(column.value_labels) + _missing_labels(column.numeric):
                writer.writerow([column.name, "", "", "", "", "", value, german, english, ""])
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Codebook: {html.escape(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:.25rem .5rem;vertical-align:top;text-align:start}</style></head><body>",
        f"<h1>Codebook: {html.escape(title)}</h1>",
        "<table><thead><tr><th>Variable</th><th lang='de'>Frage (Deutsch)</th><th>Question (English)</th><th>Type</th>"
        "<th>Privacy</th><th>Generalisation</th><th>Values</th></tr></thead><tbody>",
    ]
    for column in columns:
        values = "".join(
            f"<li><code>{html.escape(str(value))}</code> <span lang='de'>{html.escape(german)}</span> / "
            f"{html.escape(english)}</li>"
            for value, german, english in column.value_labels
        )
        computed = f"<br>computed: <code>{html.escape(column.computed_as)}</code>" if column.computed_as else ""
        parts.append(
            f"<tr><td><code>{html.escape(column.name)}</code>{computed}</td>"
            f"<td lang='de'>{html.escape(column.label_de)}</td>"
            f"<td>{html.escape(column.label_en)}</td><td>{'numeric' if column.numeric else 'string'}</td>"
            f"<td>{html.escape(column.privacy)}</td><td>{html.escape(column.generalisation)}</td>"
            f"<td><ul>{values}</ul></td></tr>"
        )
    missing = "".join(
        f"<li><code>{code}</code> {html.escape(text.get('en'))} / "
        f"<span lang='de'>{html.escape(text.get('de'))}</span></li>"
        for code, text in MISSING_CODES.items()
    )
    parts.append(f"</tbody></table><h2>Missing codes (every variable)</h2><ul>{missing}</ul></body></html>")
    html_path.write_text("\n".join(parts), encoding="utf-8")
    return [csv_path, html_path]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(
    folder: Path, files: Sequence[Path], parameters: Mapping[str, Any], report: Mapping[str, Any], version: str
) -> Path:
    manifest = {
        "software": {"name": "wetterau-survey", "version": version},
        "parameters": dict(parameters),
        "disclosure_report": dict(report),
        "files": {path.name: {"sha256": sha256(path), "bytes": path.stat().st_size} for path in files},
    }
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path
