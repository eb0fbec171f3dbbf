"""`flask export`: unseal, anonymise and write a study's responses for researchers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from .. import db, questionnaires
from ..questionnaires.model import Questionnaire
from ..vault.cli import private_key_option, private_keys_from
from ..vault.responses import ResponseUnreadable


@click.command("export")
@click.option("--questionnaire", "questionnaire_id", default=None, help="Required unless --bundle is given.")
@click.option(
    "--bundle",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Export from a sealed bundle (see `flask bundle`) instead of the database.",
)
@click.option("--wave", default=None, help="One wave; without it every wave, linked by a per-export panel id.")
@private_key_option
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--k", type=click.IntRange(1, 1000), default=5, show_default=True)
@click.option("--max-suppression", type=click.FloatRange(0, 1), default=0.04, show_default=True)
@click.option("--format", "formats", default="csv,sav,dta", show_default=True)
@click.option("--release-text", multiple=True, help="Free-text question to include (flagged in the report).")
@click.option("--l-diversity", type=click.IntRange(2, 100), default=None, help="Require l distinct sensitive values.")
@click.option(
    "--members-wide", is_flag=True, help="Also write each roster's members in a wide layout (one row per respondent)."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    help="Processes that unseal and make rows (default: one per usable core); the files do not depend on it.",
)
@with_appcontext
def export_command(
    questionnaire_id: str | None,
    bundle: Path | None,
    wave: str | None,
    key_files: tuple[Path, ...],
    out: Path,
    k: int,
    max_suppression: float,
    formats: str,
    release_text: tuple[str, ...],
    l_diversity: int | None,
    members_wide: bool,
    workers: int | None,
) -> None:
    """Unseal with the private key (passphrase by prompt or SURVEY_KEY_PASSPHRASE), anonymise, write."""
    # numpy and pandas load only here
    from .bundle import BundleError, open_bundle
    from .pipeline import ExportError, ExportOptions, export, export_from, zip_folder
    from .reading import usable_cores

    if out.exists() and any(out.iterdir()):
        raise click.BadParameter(f"{out} is not empty", param_hint="--out")
    try:
        options = ExportOptions(
            wave,
            k,
            max_suppression,
            tuple(f.strip() for f in formats.split(",") if f.strip()),
            release_text,
            l_diversity,
            members_wide,
            workers or usable_cores(),
        )
        if bundle is not None:
            questionnaire, source = open_bundle(bundle, wave)
            if questionnaire_id is not None and questionnaire_id != questionnaire.id:
                raise click.BadParameter(
                    f"the bundle holds '{questionnaire.id}', not '{questionnaire_id}'", param_hint="--questionnaire"
                )
            keys = private_keys_from(key_files)
            result = export_from(source, questionnaire, keys, out, options, origin=f"bundle {bundle.name}")
        else:
            questionnaire = _questionnaire(questionnaire_id)
            keys = private_keys_from(key_files)
            result = export(db.session(), questionnaire, keys, out, options)
    except (ResponseUnreadable, ExportError, BundleError) as error:
        raise click.ClickException(str(error)) from None
    archive = zip_folder(out, out / f"{out.name}.zip")
    click.echo(f"exported {result.rows} responses to {out} ({archive.name}); {disclosure_summary(result.report)}")


def disclosure_summary(report: dict[str, Any]) -> str:
    """k reached and records suppressed, as the disclosure report states them."""
    suppressed = report.get("suppressed")
    parts = [f"k reached {report['k_reached']}" if report.get("k_reached") is not None else "k not applicable"]
    if isinstance(suppressed, dict) and "records" in suppressed:
        parts.append(f"{suppressed['records']} record(s) suppressed ({suppressed.get('share', 0.0):.1%})")
    return ", ".join(parts)


def _questionnaire(questionnaire_id: str | None) -> Questionnaire:
    if questionnaire_id is None:
        raise click.UsageError("give --questionnaire (or --bundle)")
    questionnaire = questionnaires.get(questionnaire_id)
    if questionnaire is None:
        raise click.BadParameter(f"no questionnaire '{questionnaire_id}'", param_hint="--questionnaire")
    return questionnaire


@click.command("bundle")
@click.option("--questionnaire", "questionnaire_id", required=True)
@click.option("--wave", default=None, help="One wave; without it every wave.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The bundle file to make.")
@with_appcontext
def bundle_command(questionnaire_id: str, wave: str | None, out: Path) -> None:
    """Write the sealed responses to one file, for `flask export --bundle` on a machine with the
    private key and no database. No key is needed here: the answers stay sealed."""
    from .. import audit
    from .bundle import BundleError, write_bundle
    from .source import DatabaseSource

    questionnaire = _questionnaire(questionnaire_id)
    session = db.session()
    try:
        header = write_bundle(DatabaseSource(session, questionnaire.id, wave), questionnaire, out)
    except BundleError as error:
        raise click.ClickException(str(error)) from None
    if not header["responses"]:
        out.unlink()
        raise click.ClickException(f"no responses for '{questionnaire.id}'" + (f" in wave {wave}" if wave else ""))
    audit.record(
        session,
        "export.bundle",
        "cli",
        f"questionnaire={questionnaire.id} wave={wave or 'all'} responses={header['responses']}",
    )
    session.commit()
    click.echo(
        f"wrote {header['responses']} sealed responses to {out} (responses SHA-256 {header['responses_sha256']})"
    )
