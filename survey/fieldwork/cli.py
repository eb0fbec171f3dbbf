"""`flask fieldwork ...`: register check, draw, letters, reminders, undeliverable, rates, retention."""

from __future__ import annotations

import csv
import datetime
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import db, questionnaires, vault
from ..cli_options import file_option
from ..questionnaires.model import Questionnaire
from ..vault import codes
from . import dispositions, letters, reminders, report, services
from .languages import mapping
from .mailing import MailingError
from .register import RegisterError, read
from .sampling import DesignError, load_design


def fieldwork_dir() -> Path:
    """FIELDWORK_DIR, default instance/fieldwork/: mailing files, their keys and letter PDFs."""
    return Path(current_app.config.get("FIELDWORK_DIR") or Path(current_app.instance_path) / "fieldwork")


def _questionnaire(questionnaire_id: str) -> Questionnaire:
    found = questionnaires.get(questionnaire_id)
    if found is None:
        raise click.BadParameter(f"no questionnaire '{questionnaire_id}'", param_hint="--questionnaire")
    return found


def _base_url(given: str | None) -> str:
    return (given or current_app.config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")


@click.group("fieldwork", help="Register sample, letters, reminders, dispositions and response rates.")
def fieldwork_group() -> None:
    pass


@fieldwork_group.group("register", help="Register extracts (CSV, agreed columns).")
def register_group() -> None:
    pass


@register_group.command("check")
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def register_check(register: Path) -> None:
    """Read an extract and list every problem with its line, or the people per nationality."""
    try:
        found = read(register)
    except RegisterError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{register.name}: {len(found.people)} people, sha256 {found.sha256}")
    counts: dict[str, int] = {}
    for person in found.people:
        counts[person.nationality] = counts.get(person.nationality, 0) + 1
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        click.echo(f"  {code} {count}")


@fieldwork_group.command("draw")
@click.option("--questionnaire", "questionnaire_id", required=True)
@file_option("--register", exists=True, required=True)
@file_option("--design", exists=True, required=True)
@click.option("--seed", type=int, required=True, help="Recorded in the audit log; the same seed redraws the same.")
@click.option("--wave", default=None, help="Defaults to the questionnaire's current wave.")
@with_appcontext
def draw_command(questionnaire_id: str, register: Path, design: Path, seed: int, wave: str | None) -> None:
    """Draw the sample, issue its codes and write the encrypted mailing file."""
    questionnaire = _questionnaire(questionnaire_id)
    try:
        people = read(register)
        plan = load_design(design)
        languages = mapping(current_app.config.get("FIELDWORK_LANGUAGES", {}), plan.languages)
        result = services.draw_sample(
            db.session(),
            questionnaire,
            wave or questionnaire.wave,
            people,
            plan,
            seed,
            fieldwork_dir(),
            languages,
            vault.pseudonym_key(),
        )
    except (RegisterError, DesignError, services.FieldworkError, MailingError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"draw {result.draw.id}: {result.members} people, codes batch {result.draw.batch}")
    click.echo(f"mailing file (encrypted): {result.mailing}")


def _write_letters(questionnaire: Questionnaire, entries: list, kind: str, out: Path, base_url: str) -> None:
    html = letters.render_html(questionnaire, entries, kind, base_url)
    letters.write_pdf(html, out)


@fieldwork_group.command("letters")
@click.option("--draw", "draw_id", required=True)
@file_option("--out", default=None)
@click.option("--base-url", default=None, help="Public address of the survey (default BASE_URL).")
@click.option("--language", default=None, help="Only the letters with this second language (e.g. ti).")
@with_appcontext
def letters_command(draw_id: str, out: Path | None, base_url: str | None, language: str | None) -> None:
    """The invitation letters of a draw, as one PDF (two pages a letter: print both sides)."""
    from .mailing import read as read_mailing

    try:
        found = services.get_draw(db.session(), draw_id)
        entries = read_mailing(fieldwork_dir(), draw_id)
    except (services.FieldworkError, MailingError) as error:
        raise click.ClickException(str(error)) from None
    if language is not None:
        entries = [entry for entry in entries if entry.language == language]
        if not entries:
            raise click.BadParameter(f"no letters in '{language}' in draw {draw_id}", param_hint="--language")
    questionnaire = _questionnaire(found.questionnaire_id)
    part = f"-{language}" if language else ""
    target = out or fieldwork_dir() / "letters" / f"{draw_id}-invitation{part}.pdf"
    _write_letters(questionnaire, entries, "invitation", target, _base_url(base_url))
    click.echo(f"wrote {len(entries)} letters to {target}")


@fieldwork_group.command("reminders")
@click.option("--draw", "draw_id", required=True)
@click.option("--everyone", is_flag=True, help="Remind every drawn person: the mailing side learns nothing.")
@file_option("--out", default=None)
@click.option("--base-url", default=None)
@with_appcontext
def reminders_command(draw_id: str, everyone: bool, out: Path | None, base_url: str | None) -> None:
    """Reminder letters for those whose code has not completed (or for everyone)."""
    try:
        batch = reminders.reminder_batch(db.session(), fieldwork_dir(), draw_id, everyone)
        found = services.get_draw(db.session(), draw_id)
    except (services.FieldworkError, MailingError) as error:
        raise click.ClickException(str(error)) from None
    questionnaire = _questionnaire(found.questionnaire_id)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M")
    target = out or fieldwork_dir() / "letters" / f"{draw_id}-reminder-{stamp}.pdf"
    if batch.entries:
        _write_letters(questionnaire, batch.entries, "reminder", target, _base_url(base_url))
    click.echo(f"{len(batch.entries)} reminder letters" + (f" in {target}" if batch.entries else ""))


@fieldwork_group.command("undeliverable")
@click.option("--questionnaire", "questionnaire_id", required=True)
@click.option("--file", "from_file", type=click.File("r", encoding="utf-8"), default=None, help="One code a line.")
@click.argument("typed", nargs=-1)
@with_appcontext
def undeliverable_command(questionnaire_id: str, from_file: object, typed: tuple[str, ...]) -> None:
    """Record returned letters by the access code printed on them."""
    questionnaire = _questionnaire(questionnaire_id)
    lines = list(typed) + ([line.strip() for line in from_file if line.strip()] if from_file else [])  # type: ignore[attr-defined]
    if not lines:
        raise click.UsageError("give the codes of the returned letters (arguments or --file)")
    key = vault.pseudonym_key()
    stand_ins, problems = [], []
    for number, text in enumerate(lines, 1):
        try:
            stand_ins.append(codes.pseudonym(key, codes.normalise(text)))
        except codes.InvalidCode as error:
            problems.append(f"code {number} ({text!r}): {error.reason}")
    if problems:
        raise click.ClickException("\n".join(problems))
    session = db.session()
    marked, unknown = dispositions.mark_undeliverable(session, questionnaire.id, stand_ins)
    if unknown:
        session.rollback()
        raise click.ClickException(f"{len(unknown)} code(s) were not issued for '{questionnaire.id}'; nothing recorded")
    from .. import audit

    audit.record(session, "fieldwork.undeliverable", "cli", f"questionnaire={questionnaire.id} letters={marked}")
    session.commit()
    click.echo(f"recorded {marked} returned letter(s)")


@fieldwork_group.command("rates")
@click.option("--questionnaire", "questionnaire_id", required=True)
@click.option("--by", "grouping", type=click.Choice(dispositions.GROUPINGS), default="wave", show_default=True)
@click.option("--e", "e", type=click.FloatRange(0, 1), default=1.0, show_default=True)
@click.option("--undeliverable-ineligible", is_flag=True, help="Returned letters mean: moved away, not eligible.")
@file_option("--csv", "csv_out", default=None)
@with_appcontext
def rates_command(
    questionnaire_id: str, grouping: str, e: float, undeliverable_ineligible: bool, csv_out: Path | None
) -> None:
    """Dispositions and AAPOR rates per group, as a table (or CSV with --csv, '-' for stdout)."""
    questionnaire = _questionnaire(questionnaire_id)
    rows = report.rate_rows(db.session(), questionnaire.id, grouping, e, not undeliverable_ineligible)
    handle = sys.stdout if csv_out is None or str(csv_out) == "-" else csv_out.open("w", newline="", encoding="utf-8")
    try:
        report.write_csv(handle, rows, grouping)
    finally:
        if handle is not sys.stdout:
            handle.close()


@fieldwork_group.command("retention")
@click.option("--draw", "draw_id", default=None)
@click.option("--older-than-days", type=click.IntRange(min=0), default=None)
@with_appcontext
def retention_command(draw_id: str | None, older_than_days: int | None) -> None:
    """Delete the mailing file, its key and the letters of a draw (or of every draw older than N days)."""
    age = datetime.timedelta(days=older_than_days) if older_than_days is not None else None
    try:
        done = services.retention(db.session(), fieldwork_dir(), draw_id, age)
    except services.FieldworkError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"deleted the mailing files of {len(done)} draw(s)" + (": " + ", ".join(done) if done else ""))


@fieldwork_group.command("export-addresses")
@click.option("--draw", "draw_id", required=True)
@file_option("--out", required=True)
@with_appcontext
def export_addresses(draw_id: str, out: Path) -> None:
    """The address list in the clear, for a print shop that prints its own letters. Delete it after use."""
    from .mailing import read as read_mailing

    try:
        entries = read_mailing(fieldwork_dir(), draw_id)
    except MailingError as error:
        raise click.ClickException(str(error)) from None
    if out.exists():
        raise click.BadParameter(f"{out} exists", param_hint="--out")
    with out.open("x", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        columns = list(entries[0].address) if entries else []
        writer.writerow(["record_id", "code", "language", *columns])
        for entry in entries:
            address = [entry.address[column] for column in columns]
            writer.writerow([entry.record, codes.display(entry.code), entry.language, *address])
    from .. import audit

    audit.record(db.session(), "fieldwork.addresses_exported", "cli", f"draw={draw_id} rows={len(entries)}")
    db.session().commit()
    click.echo(f"wrote {len(entries)} addresses to {out}; delete the file once the letters are printed")
