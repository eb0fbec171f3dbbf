"""XLSForm (ODK, KoboToolbox) in and out: `questionnaire import-xlsform` and `export-xlsform`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .importer import Importer
from .pages import paginate, repair
from .sheets import Finding, ReadError, Workbook, read

__all__ = ["Finding", "Importer", "ReadError", "import_form"]


def import_form(path: Path, fallback_language: str = "en") -> tuple[dict[str, Any], list[Finding], list[str]]:
    """Read an XLSForm: the questionnaire data, what could not be carried over (sheet, row, column),
    and the checker's errors that remain (empty when the result passes `questionnaire check`).
    Raises ReadError when the file cannot be read at all."""
    book = read(path)
    data, importer = import_workbook(book, fallback_language)
    errors = repair(importer, data, str(path))
    return data, importer.report.findings, errors


def import_workbook(book: Workbook, fallback_language: str = "en") -> tuple[dict[str, Any], Importer]:
    """The questionnaire (as JSON data) and the report of what could not be carried over."""
    importer = Importer(book, fallback_language)
    for message in book.pyxform_messages:
        importer.report.add("pyxform", None, None, message.replace("\n", " "))
    importer.setup_languages()
    importer.read_choices()
    importer.declare()
    items, computed = importer.items()
    pages = paginate(importer, items, computed)
    settings = book.settings
    form_id = re.sub(r"[^a-z0-9-]+", "-", (settings.get("form_id") or "imported-form").lower()).strip("-")
    if not re.fullmatch(r"[a-z][a-z0-9-]{1,63}", form_id):
        form_id = ("xlsform-" + form_id)[:64].strip("-")
    version = settings.get("version", "")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+){0,2}", version):
        if version:
            importer.report.add("settings", 2, "version", f"'{version}' is not a version like 1.2: '1' used")
        version = "1"
    title = settings.get("form_title") or settings.get("form_id") or "Imported form"
    data: dict[str, Any] = {
        "format": 1,
        "id": form_id,
        "version": version,
        "default_language": importer.default_language,
        "languages": {tag: {"reviewed": False} for tag in importer.languages},
        "title": {importer.default_language: title},
        "pages": pages,
    }
    if computed:
        data["computed"] = computed
    for key, value in settings.items():
        if key not in ("form_id", "form_title", "version", "default_language", "style"):
            importer.report.add("settings", 2, key, f"'{value[:60]}' not imported (no equivalent)")
    return data, importer
