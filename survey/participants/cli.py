"""`flask codes generate`: participant codes for a mailing, written once to a CSV file."""

from __future__ import annotations

import csv
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import db, questionnaires, vault
from ..cli_options import file_option
from ..vault.codes import display
from . import services


@click.group("codes", help="Participant codes for letters.")
def codes_group() -> None:
    pass


@codes_group.command("generate")
@click.option("--questionnaire", "questionnaire_id", required=True, help="Questionnaire id.")
@click.option("--wave", required=True, help="The wave the letters are sent for.")
@click.option("--count", type=click.IntRange(1, 100_000), required=True)
@file_option("--out", required=True)
@click.option("--base-url", default=None, help="Public address of the survey, for the personal links.")
@with_appcontext
def generate(questionnaire_id: str, wave: str, count: int, out: Path, base_url: str | None) -> None:
    """Make COUNT codes; only keyed pseudonyms are stored, the codes go to OUT and nowhere else."""
    questionnaire = questionnaires.get(questionnaire_id)
    if questionnaire is None:
        raise click.BadParameter(f"no questionnaire '{questionnaire_id}'", param_hint="--questionnaire")
    if questionnaire.access != "code":
        raise click.BadParameter(
            f'\'{questionnaire_id}\' is an open-link questionnaire (set "access": "code")',
            param_hint="--questionnaire",
        )
    if out.exists():
        raise click.BadParameter(f"{out} exists; codes are never overwritten", param_hint="--out")
    base = (base_url or current_app.config.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    batch = services.issue(db.session(), questionnaire, wave, count, vault.pseudonym_key())
    with out.open("x", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "url"])
        for code in batch.codes:
            writer.writerow([display(code), f"{base}/{questionnaire.id}/code?c={display(code)}"])
    click.echo(
        f"wrote {count} codes (batch {batch.batch}) to {out}; hand the file to whoever sends "
        "the letters and delete it afterwards"
    )
