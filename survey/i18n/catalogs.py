"""The UI catalogs in translations/: extract a deterministic messages.pot, update and compile the
catalogs, and check them (stale template, empty or fuzzy entries, placeholders or tags that differ)."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from ..config import ROOT

TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
}
METHODS = [("survey/**.py", "python"), ("survey/templates/**.html", "jinja2")]
# The extractor parses templates with these extensions besides i18n; without one, a template that uses
# its tag yields no message at all (silently).
OPTIONS = {"survey/templates/**.html": {"trimmed": "true", "extensions": "survey.fragments.KeptExtension"}}
# A fixed date keeps messages.pot byte-identical between extractions of the same sources.
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
# Babel writes its own version into every header; files name no version, so that a newer Babel leaves
# them unchanged.
GENERATED_BY = re.compile(rb'^"Generated-By: Babel [^"\\]*\\n"$', re.MULTILINE)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")
TAG = re.compile(r"</?[a-z][a-z0-9]*\b[^>]*>")


def extract() -> Catalog:
    catalog = Catalog(
        project="wetterau-survey",
        version="1",
        copyright_holder="Wetteraukreis",
        charset="utf-8",
        creation_date=EPOCH,
    )
    for _filename, _lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        METHODS,
        OPTIONS,
        KEYWORDS,
        comment_tags=("i18n:",),
        strip_comment_tags=True,
        directory_filter=lambda path: ".venv" not in Path(path).parts,
    ):
        catalog.add(message, None, [], auto_comments=comments, context=context)
    return catalog


def render(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, no_location=True, omit_header=False, sort_output=False)
    return GENERATED_BY.sub(lambda _match: b'"Generated-By: Babel\\n"', buffer.getvalue())


def locales() -> list[str]:
    return sorted(path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read(locale: str) -> Catalog:
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def update(new_locales: tuple[str, ...] = ()) -> None:
    """Rewrite messages.pot and merge it into every catalog (and new ones)."""
    template = extract()
    TEMPLATE.write_bytes(render(template))
    for locale in sorted(set(locales()) | set(new_locales)):
        path = po_path(locale)
        if path.exists():
            catalog = read(locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(
                locale=locale, project="wetterau-survey", version="1", charset="utf-8", creation_date=EPOCH
            )
        catalog.update(template, no_fuzzy_matching=True)
        catalog.revision_date = EPOCH
        catalog.creation_date = EPOCH
        catalog.obsolete.clear()
        catalog.fuzzy = False
        path.write_bytes(render(catalog))


def compile_all() -> list[Path]:
    written = []
    for locale in locales():
        catalog = read(locale)
        target = po_path(locale).with_suffix(".mo")
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        target.write_bytes(buffer.getvalue())
        written.append(target)
    return written


@dataclass(frozen=True)
class CatalogProblem:
    locale: str
    msgid: str
    message: str

    def __str__(self) -> str:
        return f"{self.locale}: {self.msgid[:60]!r}: {self.message}"


def _texts(message: Message) -> Iterator[tuple[str, str]]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    for index, string in enumerate(strings):
        yield str(ids[min(index, len(ids) - 1)]), str(string or "")


Entry = tuple[str, str, tuple[str, ...], tuple[str, ...]]


def _text(value: object) -> str:
    """One message's id or string as text; plural forms as a tuple (read_mo gives lists)."""
    return repr(tuple(value)) if isinstance(value, list | tuple) else repr(value)


def _entries(catalog: Catalog) -> list[Entry]:
    """What a template says, without what the tool that wrote it adds (header, dates, wrapping): each
    message's context, id (with its plural), flags and translator comments, in order."""
    return [
        (str(message.context or ""), _text(message.id), tuple(sorted(message.flags)), tuple(message.auto_comments))
        for message in catalog
        if message.id
    ]


def _translated(catalog: Catalog) -> dict[tuple[str, str], str]:
    """What a compiled catalog answers: context and id to translation, the header left out."""
    return {
        (str(message.context or ""), _text(message.id)): _text(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def check() -> list[CatalogProblem]:
    """Problems with the catalogs' content; which Babel wrote them and when does not matter."""
    problems: list[CatalogProblem] = []
    template = extract()
    if not TEMPLATE.exists():
        problems.append(CatalogProblem("messages.pot", "", "missing: run 'flask --app survey translations update'"))
    else:
        with TEMPLATE.open("rb") as handle:
            if _entries(read_po(handle)) != _entries(template):
                problems.append(
                    CatalogProblem("messages.pot", "", "out of date: run 'flask --app survey translations update'")
                )
    template_ids = {message.id for message in template if message.id}
    for locale in locales():
        catalog = read(locale)
        ids = {message.id for message in catalog if message.id}
        for missing in sorted(template_ids - ids, key=str):
            problems.append(CatalogProblem(locale, str(missing), "missing from the catalog"))
        for extra in sorted(ids - template_ids, key=str):
            problems.append(CatalogProblem(locale, str(extra), "not in messages.pot: run 'translations update'"))
        for message in catalog:
            if not message.id:
                continue
            if message.fuzzy:
                problems.append(CatalogProblem(locale, str(message.id), "marked fuzzy"))
            for source, string in _texts(message):
                if not string:
                    problems.append(CatalogProblem(locale, source, "empty translation"))
                    continue
                if sorted(set(PLACEHOLDER.findall(source))) != sorted(set(PLACEHOLDER.findall(string))):
                    problems.append(CatalogProblem(locale, source, "placeholders differ from the source"))
                if sorted(TAG.findall(source)) != sorted(TAG.findall(string)):
                    problems.append(CatalogProblem(locale, source, "HTML tags differ from the source"))
        mo = po_path(locale).with_suffix(".mo")
        compiled = None
        if mo.exists():
            with mo.open("rb") as handle:
                compiled = _translated(read_mo(handle))
        if compiled != _translated(catalog):
            problems.append(CatalogProblem(locale, "", "messages.mo is not compiled from messages.po"))
    return problems


@click.group("translations", help="UI catalogs in translations/.")
def translations() -> None:
    pass


@translations.command("update")
@click.option("--add", "new_locales", multiple=True, help="Start a catalog for this locale (e.g. fa_AF).")
def update_command(new_locales: tuple[str, ...]) -> None:
    """Extract messages.pot from the code and merge it into every catalog."""
    update(new_locales)
    click.echo(f"updated {TEMPLATE.relative_to(ROOT)} and {len(locales())} catalog(s)")


@translations.command("compile")
def compile_command() -> None:
    """Compile every catalog to messages.mo."""
    for path in compile_all():
        click.echo(f"compiled {path.relative_to(ROOT)}")


@translations.command("check")
def check_command() -> None:
    """Fail when messages.pot is stale or a catalog is incomplete or inconsistent."""
    problems = check()
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(problems)} problem(s) in {len(locales())} catalog(s)")
    if problems:
        raise SystemExit(1)
