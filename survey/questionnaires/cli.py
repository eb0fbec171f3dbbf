"""`flask questionnaire ...`: check questionnaire files. Registered as a Flask plugin command, so
it works even when the app cannot start because a questionnaire is broken."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..cli_options import file_option
from . import translation
from .loader import ERROR, load_file, load_text


@click.group("questionnaire", help="Check questionnaire files and run the translator round trip.")
def questionnaire() -> None:
    pass


@questionnaire.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, no warnings.")
def check(files: tuple[str, ...], quiet: bool) -> None:
    """Validate FILES and print every problem with its JSON pointer; exit 1 on any error."""
    errors = warnings = 0
    for file in files:
        questionnaire, problems = load_file(file)
        for problem in problems:
            if problem.severity == ERROR:
                errors += 1
            else:
                warnings += 1
                if quiet:
                    continue
            click.echo(str(problem), err=problem.severity == ERROR)
        if questionnaire is not None:
            count = sum(1 for q in questionnaire.questions() if q.answerable)
            click.echo(
                f"{file}: ok: '{questionnaire.id}' version {questionnaire.version}, "
                f"{len(questionnaire.pages)} pages, {count} questions, "
                f"languages {', '.join(questionnaire.language_tags)}"
            )
            for roster in questionnaire.rosters:
                size = f"count from '{roster.count}'" if roster.count else "add another"
                click.echo(
                    f"{file}: roster '{roster.id}': {len(roster.pages)} page(s) per member, {size}, "
                    f"at most {roster.max_members} members"
                )
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=bool(errors))
    if errors:
        sys.exit(1)


def _directory(directory: str | None) -> Path:
    import os

    from ..config import ROOT

    return Path(directory or os.environ.get("QUESTIONNAIRE_DIR") or ROOT / "questionnaires")


@questionnaire.command("extract")
@click.argument("questionnaire_id")
@click.option("--lang", required=True, help="The language to translate into (BCP 47, e.g. ar or fa-AF).")
@file_option("--out", required=True)
@click.option("--dir", "directory", default=None, help="Questionnaire folder (default: questionnaires/).")
def extract_command(questionnaire_id: str, lang: str, out: Path, directory: str | None) -> None:
    """Write a PO file for translators (Poedit, Weblate): one entry per text, keyed by JSON pointer."""
    try:
        path = translation.find_file(_directory(directory), questionnaire_id)
        out.write_bytes(translation.extract(json.loads(path.read_text(encoding="utf-8")), lang))
    except translation.TranslationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {out} from {path}")


@questionnaire.command("translate")
@click.argument("questionnaire_id")
@click.option("--lang", required=True)
@file_option("--po", "po_file", required=True, exists=True)
@click.option("--dir", "directory", default=None)
def translate_command(questionnaire_id: str, lang: str, po_file: Path, directory: str | None) -> None:
    """Write a PO file's translations back into the questionnaire; the file is checked before saving."""
    try:
        path = translation.find_file(_directory(directory), questionnaire_id)
        original = path.read_text(encoding="utf-8")
        data = json.loads(original)
        report = translation.merge(data, lang, po_file.read_bytes())
    except translation.TranslationError as error:
        raise click.ClickException(str(error)) from None
    updated = translation.dump(data)
    _, problems = load_text(updated, str(path))
    errors = [problem for problem in problems if problem.severity == ERROR]
    if errors:
        for problem in errors:
            click.echo(str(problem), err=True)
        raise click.ClickException("not saved: the translated questionnaire has errors")
    if updated != original:
        path.write_text(updated, encoding="utf-8")
    click.echo(
        f"{path}: {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.skipped)} skipped because their source text changed since extraction"
    )
    for pointer in report.skipped:
        click.echo(f"  skipped {pointer}: extract again and translate the new text")


@questionnaire.command("status")
@click.argument("questionnaire_id")
@click.option("--dir", "directory", default=None)
def status_command(questionnaire_id: str, directory: str | None) -> None:
    """Per language: texts translated, missing and outdated, and whether a native speaker reviewed it."""
    try:
        path = translation.find_file(_directory(directory), questionnaire_id)
    except translation.TranslationError as error:
        raise click.ClickException(str(error)) from None
    data = json.loads(path.read_text(encoding="utf-8"))
    click.echo(f"{'language':<10} {'translated':>10} {'missing':>8} {'outdated':>9}  reviewed")
    for row in translation.status(data):
        click.echo(
            f"{row.lang:<10} {row.translated:>10} {row.missing:>8} {row.outdated:>9}  "
            f"{'yes' if row.reviewed else 'no, waiting for review'}"
        )


@questionnaire.command("import-xlsform")
@click.argument("form", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@file_option("--out", required=True)
@click.option("--language", default="en", show_default=True, help="Language of label columns that name none.")
def import_xlsform_command(form: Path, out: Path, language: str) -> None:
    """Turn an XLSForm (ODK, KoboToolbox) into a questionnaire file; prints every row, column and
    setting that could not be carried over. Exits 1 only when nothing usable results."""
    from .xlsform import ReadError, import_form

    try:
        data, findings, errors = import_form(form, language)
    except ReadError as error:
        raise click.ClickException(str(error)) from None
    for finding in findings:
        click.echo(f"{form.name}: {finding}")
    pages = [page for item in data["pages"] if "roster" in item for page in item["roster"]["pages"]]
    pages += [page for page in data["pages"] if "roster" not in page]
    rosters = len(data["pages"]) - sum(1 for page in data["pages"] if "roster" not in page)
    count = sum(1 for page in pages for q in page["questions"] if q["type"] != "note")
    if not count:
        raise click.ClickException(f"nothing usable: no question could be imported; {out} not written")
    for error in errors:
        click.echo(error, err=True)
    if errors:
        raise click.ClickException(
            f"nothing usable: {count} questions imported, {len(errors)} checker error(s); {out} not written"
        )
    out.write_text(translation.dump(data), encoding="utf-8")
    click.echo(
        f"wrote {out}: {len(pages)} pages, {rosters} roster(s), {count} questions, "
        f"{len(data.get('computed', []))} computed value(s), "
        f"languages {', '.join(data['languages'])}; {len(findings)} thing(s) not carried over as they were (above)"
    )


@questionnaire.command("export-xlsform")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@file_option("--out", required=True)
def export_xlsform_command(file: Path, out: Path) -> None:
    """Write a questionnaire as an XLSForm (ODK Collect, KoboToolbox); prints, by JSON pointer,
    what ODK cannot express and was left out or changed."""
    from .xlsform.exporter import write

    questionnaire, problems = load_file(file)
    errors = [problem for problem in problems if problem.severity == ERROR]
    if questionnaire is None or errors:
        for problem in errors:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{file} has errors: fix them before exporting")
    lost = write(json.loads(file.read_text(encoding="utf-8")), out)
    for line in lost:
        click.echo(f"{file.name}: {line}")
    click.echo(f"wrote {out}; {len(lost)} thing(s) ODK cannot express (above)")
