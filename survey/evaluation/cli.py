"""`flask evaluate`: the study's monitoring and evaluation reports from anonymised exports (or sealed
bundles), `evaluate check` for an indicators file, `evaluate synthesize` for test data."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import questionnaires
from ..cli_options import file_option, folder_option
from ..questionnaires.model import Questionnaire


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _trim(value: str) -> tuple[float, float]:
    try:
        low, high = (float(part) for part in value.split(","))
    except ValueError:
        raise click.BadParameter("give two numbers, LOW,HIGH (e.g. 0.2,5)", param_hint="--trim") from None
    if not 0 <= low < 1 < high:
        raise click.BadParameter("LOW must be from 0 to below 1 and HIGH above 1", param_hint="--trim")
    return low, high


@click.group("evaluate", invoke_without_command=True)
@click.option(
    "--export",
    "exports",
    multiple=True,
    type=click.Path(path_type=Path),
    help="An export folder; repeat for more waves.",
)
@file_option(
    "--bundle",
    "bundles",
    multiple=True,
    help="A sealed bundle (needs --key); exported with k-anonymity first, in a temporary folder.",
)
@file_option("--key", "key_files", multiple=True, help="Private key for --bundle.")
@file_option("--indicators", "indicators_file", help="The indicators file.")
@file_option(
    "--margins",
    "margins_file",
    default=None,
    help="Population margins (CSV: variable,category,population[,wave]); without it estimates are unweighted.",
)
@file_option(
    "--dispositions",
    default=None,
    help="Response dispositions (CSV: wave,batch,issued,undeliverable,started,partial,complete,withdrawn).",
)
@folder_option("--out", help="Folder for the reports and tables.")
@click.option(
    "--min-n",
    type=click.IntRange(1, 1000),
    default=None,
    help="Smallest published cell (default: the indicators file's, else 5).",
)
@click.option(
    "--trim", default="0.2,5", show_default=True, help="Weights are kept within LOW,HIGH times the mean weight."
)
@click.option("--strata", default=None, help="A breakdown id whose groups are the sample's strata.")
@click.option("--no-pdf", is_flag=True, help="HTML, charts and tables only.")
@with_appcontext
def evaluate(
    exports: tuple[Path, ...],
    bundles: tuple[Path, ...],
    key_files: tuple[Path, ...],
    indicators_file: Path | None,
    margins_file: Path | None,
    dispositions: Path | None,
    out: Path | None,
    min_n: int | None,
    trim: str,
    strata: str | None,
    no_pdf: bool,
) -> None:
    """Write the monitoring and evaluation reports (HTML, PDF; German and English), their charts and
    tables from anonymised export folders. Progress goes to stderr."""
    if click.get_current_context().invoked_subcommand is not None:
        return
    from .services import EvaluationInputError, IndicatorsError, Options, run_evaluation

    if not exports and not bundles:
        raise click.UsageError("give --export DIR (repeatable) or --bundle FILE --key FILE")
    if indicators_file is None or out is None:
        raise click.UsageError("give --indicators FILE and --out DIR")
    if out.exists() and any(out.iterdir()):
        raise click.BadParameter(f"{out} is not empty", param_hint="--out")
    options = Options(min_n=min_n, trim=_trim(trim), strata=strata)
    with tempfile.TemporaryDirectory() as scratch:
        folders = list(exports) + _export_bundles(bundles, key_files, Path(scratch))
        try:
            outcome = run_evaluation(
                folders, indicators_file, out, _find, margins_file, dispositions, options, _progress, pdf=not no_pdf
            )
        except (EvaluationInputError, IndicatorsError) as error:
            raise click.ClickException(str(error)) from None
    result = outcome.result
    click.echo(
        f"{len(result.indicators.indicators)} indicators, waves {', '.join(result.responses.waves)}: "
        f"{len(result.rows)} estimates, {len(result.withheld)} cells withheld; reports in {out}"
    )


def _find(questionnaire_id: str) -> Questionnaire | None:
    return questionnaires.get(questionnaire_id)


def _export_bundles(bundles: tuple[Path, ...], key_files: tuple[Path, ...], scratch: Path) -> list[Path]:
    if not bundles:
        return []
    if not key_files:
        raise click.UsageError("--bundle needs the private key: --key FILE")
    from ..export.bundle import BundleError, open_bundle
    from ..export.pipeline import ExportError, ExportOptions, export_from
    from ..vault.cli import private_keys_from
    from ..vault.responses import ResponseUnreadable

    keys = private_keys_from(key_files)
    folders = []
    for number, bundle in enumerate(bundles, start=1):
        _progress(f"unsealing and anonymising {bundle}")
        try:
            questionnaire, source = open_bundle(bundle)
            folder = scratch / f"bundle-{number}"
            export_from(
                source, questionnaire, keys, folder, ExportOptions(formats=("csv",)), origin=f"bundle {bundle.name}"
            )
        except (BundleError, ExportError, ResponseUnreadable) as error:
            raise click.ClickException(f"{bundle}: {error}") from None
        folders.append(folder)
    return folders


@evaluate.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def check_command(files: tuple[Path, ...]) -> None:
    """Check indicators files against their questionnaire; every problem with its JSON pointer."""
    from .services import EvaluationInputError, IndicatorsError, check_indicators

    failed = False
    for path in files:
        try:
            found = check_indicators(path, _find)
        except IndicatorsError as error:
            failed = True
            for problem in error.problems:
                click.echo(str(problem), err=True)
            continue
        except EvaluationInputError as error:
            failed = True
            click.echo(str(error), err=True)
            continue
        targets = sum(1 for indicator in found.indicators if indicator.target)
        counts = f"{len(found.indicators)} indicators, {len(found.breakdowns)} breakdowns, {targets} targets"
        click.echo(f"{path}: {counts}: no problems")
    if failed:
        raise SystemExit(1)


@evaluate.command("synthesize")
@folder_option("--out", required=True)
@click.option("--size", type=click.IntRange(10, 1_000_000), default=1000, show_default=True, help="Responses per wave.")
@click.option("--seed", type=int, default=13, show_default=True)
@click.option(
    "--panel",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Share of each wave who answered the wave before (one export).",
)
@with_appcontext
def synthesize_command(out: Path, size: int, seed: int, panel: float) -> None:
    """Three synthetic export folders with known margins (margins.csv) and a known effect."""
    from . import synthetic

    questionnaire = questionnaires.get("wetterau-integration")
    if questionnaire is None:
        raise click.ClickException("the study questionnaire 'wetterau-integration' is not loaded")
    folders = synthetic.write_study(out, questionnaire, size, seed, panel=panel)
    click.echo(f"wrote {', '.join(str(f) for f in folders)} and {out / 'margins.csv'}")
