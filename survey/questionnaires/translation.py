"""Translator round trip: questionnaire texts out to gettext PO files and back, with outdated detection.

Each translation records a short hash of the default-language text it was made from, in the
top-level map `translated_from` (`{"ar": {"/pages/0/questions/0/text": "3f2a9c1b0d4e"}}`). When the
source text changes, the hash no longer matches: the translation is outdated, and respondents see
the default-language text (marked) instead of a stale translation.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..i18n.languages import babel_locale_name

TEXT_KEYS = frozenset(
    {
        "title",
        "introduction",
        "text",
        "help",
        "interviewer_note",
        "label",
        "min_label",
        "max_label",
        "agree_label",
        "unit",
        "pattern_message",
        "invalid_message",
    }
)


class TranslationError(Exception):
    """A PO file or language that cannot be used; the message says which and why."""


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def texts(data: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
    """Every translatable text map in questionnaire order, with its JSON pointer."""

    def walk(node: Any, pointer: str) -> Iterator[tuple[str, dict[str, str]]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TEXT_KEYS and isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                    yield f"{pointer}/{key}", value
                elif key != "translated_from":
                    yield from walk(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, f"{pointer}/{index}")

    yield from walk(data, "")


def outdated_pointers(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Per language, the texts whose translation was made from another source text."""
    default = data.get("default_language", "")
    recorded = data.get("translated_from", {})
    found: dict[str, list[str]] = {}
    for pointer, value in texts(data):
        source = value.get(default)
        if source is None:
            continue
        for lang, hashes in recorded.items() if isinstance(recorded, dict) else ():
            if (
                lang in value
                and isinstance(hashes, dict)
                and pointer in hashes
                and hashes[pointer] != source_hash(source)
            ):
                found.setdefault(lang, []).append(pointer)
    return found


def without_outdated(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A copy of the data with outdated translations removed, and what was removed."""
    outdated = outdated_pointers(data)
    if not outdated:
        return dict(data), outdated
    cleaned = copy.deepcopy(dict(data))
    stale = {(pointer, lang) for lang, pointers in outdated.items() for pointer in pointers}
    for pointer, value in texts(cleaned):
        for lang in list(value):
            if (pointer, lang) in stale:
                del value[lang]
    return cleaned, outdated


@dataclass(frozen=True)
class LanguageStatus:
    lang: str
    reviewed: bool
    translated: int
    missing: int
    outdated: int


def status(data: Mapping[str, Any]) -> list[LanguageStatus]:
    default = data["default_language"]
    outdated = outdated_pointers(data)
    all_texts = list(texts(data))
    result = []
    for lang, info in data["languages"].items():
        if lang == default:
            continue
        stale = len(outdated.get(lang, []))
        present = sum(1 for _, value in all_texts if lang in value)
        result.append(
            LanguageStatus(lang, bool(info.get("reviewed")), present - stale, len(all_texts) - present, stale)
        )
    return result


def extract(data: Mapping[str, Any], lang: str) -> bytes:
    """A PO file for translating into `lang`: msgctxt is the JSON pointer, msgid the source text."""
    default = data["default_language"]
    if lang not in data["languages"]:
        raise TranslationError(f"'{lang}' is not among the questionnaire's languages; add it under \"languages\" first")
    if lang == default:
        raise TranslationError(f"'{lang}' is the default language: it is the source, not a translation")
    outdated = {pointer for pointer in outdated_pointers(data).get(lang, [])}
    catalog = Catalog(
        locale=babel_locale_name(lang), project=str(data["id"]), version=str(data["version"]), charset="utf-8"
    )
    notes = _help_notes(data)
    for pointer, value in texts(data):
        source = value.get(default)
        if not source:
            continue
        current = value.get(lang, "")
        flags = ["fuzzy"] if pointer in outdated else []
        comments = [notes[pointer]] if pointer in notes else []
        catalog.add(source, current, context=pointer, auto_comments=comments, flags=flags)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False, include_previous=False)
    return buffer.getvalue()


def _help_notes(data: Mapping[str, Any]) -> dict[str, str]:
    """Translator comments: a question's help text explains its question text."""
    default = data["default_language"]
    notes: dict[str, str] = {}
    for pointer, value in texts(data):
        if pointer.endswith("/help") and default in value:
            notes[pointer[: -len("help")] + "text"] = f"Help shown with this question: {value[default]}"
    return notes


@dataclass(frozen=True)
class MergeReport:
    updated: int
    unchanged: int
    skipped: list[str]  # pointers whose source changed since the PO file was made


def merge(data: dict[str, Any], lang: str, po_bytes: bytes) -> MergeReport:
    """Write the PO file's translations into `data` (in place); fuzzy and empty entries are left out."""
    if lang not in data["languages"] or lang == data["default_language"]:
        raise TranslationError(f"'{lang}' is not a translation language of this questionnaire")
    try:
        catalog = read_po(io.BytesIO(po_bytes))
    except Exception as error:  # babel raises several types for broken files
        raise TranslationError(f"not a readable PO file: {error}") from None
    if not any(message.context for message in catalog if message.id):
        raise TranslationError(
            "the PO file holds no questionnaire texts (each entry needs its JSON pointer as msgctxt)"
        )
    default = data["default_language"]
    targets = dict(texts(data))
    updated = unchanged = 0
    skipped: list[str] = []
    hashes = data.setdefault("translated_from", {}).setdefault(lang, {})
    for message in catalog:
        if not message.id or not message.context or message.fuzzy or not message.string:
            continue
        value = targets.get(message.context)
        if value is None:
            raise TranslationError(f"unknown text {message.context!r}: the PO file is for another questionnaire")
        if value.get(default) != message.id:
            skipped.append(message.context)
            continue
        translation = str(message.string)
        if value.get(lang) == translation and hashes.get(message.context, source_hash(message.id)) == source_hash(
            message.id
        ):
            unchanged += 1
            continue
        value[lang] = translation
        hashes[message.context] = source_hash(message.id)
        updated += 1
    if not hashes:
        del data["translated_from"][lang]
    if not data["translated_from"]:
        del data["translated_from"]
    return MergeReport(updated, unchanged, skipped)


def dump(data: Mapping[str, Any]) -> str:
    """The one on-disk form of a questionnaire file (so untouched files stay byte-identical)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def find_file(directory: Path, questionnaire_id: str) -> Path:
    for path in sorted(directory.glob("*.json")):
        if path.name == "schema.json":
            continue
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("id") == questionnaire_id:
                return path
        except (ValueError, OSError):
            continue
    raise TranslationError(f"no questionnaire with id '{questionnaire_id}' in {directory}")
