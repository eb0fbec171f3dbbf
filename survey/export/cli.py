"""`flask export`: unseal, anonymise and write a study's responses for researchers."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import db, questionnaires
from ..vault.cli import private_key_option, private_keys_from
from ..vault.responses import ResponseUnreadable


@click.command("export")
@click.option("--questionnaire", "questionnaire_id", required=True)
@click.option("--wave", default=None, help="One wave; without it every wave, linked by a per-export panel id.")
@private_key_option
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--k", type=click.IntRange(1, 1000), default=5, show_default=True)
@click.option("--max-suppression", type=click.FloatRange(0, 1), default=0.04, show_default=True)
@click.option("--format", "formats", default="csv,sav,dta", show_default=True)
@click.option("--release-text", multiple=True, help="Free-text question to include (flagged in the report).")
@click.option("--l-diversity", type=click.IntRange(2, 100), default=None, help="Require l distinct sensitive values.")
@with_appcontext
def export_command(
    questionnaire_id: str,
    wave: str | None,
    key_files: tuple[Path, ...],
    out: Path,
    k: int,
    max_suppression: float,
    formats: str,
    release_text: tuple[str, ...],
    l_diversity: int | None,
) -> None:
    """Unseal with the private key (passphrase by prompt or SURVEY_KEY_PASSPHRASE), anonymise, write."""
    from .pipeline import ExportError, ExportOptions, export, zip_folder  # numpy and pandas load only here

    questionnaire = questionnaires.get(questionnaire_id)
    if questionnaire is None:
        raise click.BadParameter(f"no questionnaire '{questionnaire_id}'", param_hint="--questionnaire")
    if out.exists() and any(out.iterdir()):
        raise click.BadParameter(f"{out} is not empty", param_hint="--out")
    keys = private_keys_from(key_files)
    try:
        options = ExportOptions(
            wave,
            k,
            max_suppression,
            tuple(f.strip() for f in formats.split(",") if f.strip()),
            release_text,
            l_diversity,
        )
        result = export(db.session(), questionnaire, keys, out, options)
    except (ResponseUnreadable, ExportError) as error:
        raise click.ClickException(str(error)) from None
    archive = zip_folder(out, out / f"{out.name}.zip")
    report = result.report
    click.echo(
        f"exported {result.rows} responses to {out} ({archive.name}); "
        f"k reached {report.get('k_reached')}, suppressed {report.get('suppressed_records')}"
    )
