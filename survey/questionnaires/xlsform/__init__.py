"""XLSForm (ODK, KoboToolbox) in and out: `questionnaire import-xlsform` and `export-xlsform`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .importer import Importer, import_workbook
from .pages import repair
from .sheets import Finding, ReadError, read

__all__ = ["Finding", "Importer", "ReadError", "import_form"]


def import_form(path: Path, fallback_language: str = "en") -> tuple[dict[str, Any], list[Finding], list[str]]:
    """Read an XLSForm: the questionnaire data, what could not be carried over (sheet, row, column),
    and the checker's errors that remain (empty when the result passes `questionnaire check`).
    Raises ReadError when the file cannot be read at all."""
    book = read(path)
    data, importer = import_workbook(book, fallback_language)
    errors = repair(importer, data, str(path))
    return data, importer.report.findings, errors
