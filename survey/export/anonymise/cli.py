"""`flask anonymise IN.csv ...`: anonymise a CSV file with hierarchies in ARX's format. A plugin command
(plain click), so it works without the app and without a database."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
import pandas as pd

from .errors import AnonymisationError
from .hierarchy import Hierarchy
from .kanon import anonymise, check_columns


def sniff_separator(path: Path) -> str:
    """`;` or `,`, whichever the header line uses more (`;` on a tie, as in ARX's exports)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = handle.readline()
    return "," if header.count(",") > header.count(";") else ";"


def read_table(path: Path, separator: str) -> pd.DataFrame:
    """Every column as text, exactly as written: "39" stays "39", an empty cell stays ""."""
    return pd.read_csv(path, sep=separator, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig")


def hierarchy_files(folder: Path, quasi: list[str]) -> dict[str, Path]:
    """The hierarchy file of each quasi-identifier: the one named `<anything>_<attribute>.csv` (or
    `<attribute>.csv`). A file that fits two attributes ("x_marital_status.csv" fits "status" too)
    belongs to the longer name."""
    if not folder.is_dir():
        raise AnonymisationError(f"hierarchy folder {folder} does not exist")
    owners: dict[str, list[Path]] = {name: [] for name in quasi}
    for path in sorted(folder.glob("*.csv")):
        matching = [name for name in quasi if path.name == f"{name}.csv" or path.name.endswith(f"_{name}.csv")]
        if matching:
            owners[max(matching, key=len)].append(path)
    found: dict[str, Path] = {}
    for name, paths in owners.items():
        if not paths:
            raise AnonymisationError(
                f"no hierarchy file for {name!r} in {folder} (expected a name ending in _{name}.csv)"
            )
        if len(paths) > 1:
            listed = ", ".join(path.name for path in paths)
            raise AnonymisationError(f"several hierarchy files for {name!r} in {folder}: {listed}")
        found[name] = paths[0]
    return found


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


@click.command("anonymise", help="Anonymise a CSV file: optimal k-anonymity by generalisation and suppression.")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--quasi", required=True, help="Quasi-identifiers, comma-separated column names.")
@click.option(
    "--hierarchies",
    "hierarchy_folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of ARX hierarchy files, one per quasi-identifier, named ..._<attribute>.csv.",
)
@click.option("--k", "k", type=int, default=5, show_default=True, help="Smallest class size.")
@click.option(
    "--max-suppression",
    type=float,
    default=0.0,
    show_default=True,
    help="Largest share of records that may be suppressed (0 to 1).",
)
@click.option("--sensitive", default="", help="Sensitive attributes for l-diversity, comma-separated.")
@click.option("--l-diversity", "l_diversity", type=int, default=None, help="Distinct sensitive values per class.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Anonymised CSV.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), help="Report as JSON.")
def anonymise_command(
    source: Path,
    quasi: str,
    hierarchy_folder: Path,
    k: int,
    max_suppression: float,
    sensitive: str,
    l_diversity: int | None,
    out: Path,
    report_path: Path | None,
) -> None:
    """Read, anonymise, write the CSV (and the report); bad input ends with a message and exit code 1."""
    started = time.perf_counter()
    quasi_names = _names(quasi)
    try:
        separator = sniff_separator(source)
        table = read_table(source, separator)
        check_columns(table, quasi_names, "quasi-identifier")  # before looking for their hierarchy files
        hierarchies = {
            name: Hierarchy.from_arx_csv(path, name)
            for name, path in hierarchy_files(hierarchy_folder, quasi_names).items()
        }
        result = anonymise(table, quasi_names, hierarchies, k, max_suppression, _names(sensitive), l_diversity)
        result.output.to_csv(out, sep=separator, index=False, lineterminator="\n")
        if report_path is not None:
            report_path.write_text(json.dumps(result.report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        raise click.ClickException(f"{where}{error.strerror or error}") from None
    except (AnonymisationError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise click.ClickException(
            f"{source}: {error}" if not isinstance(error, AnonymisationError) else str(error)
        ) from None
    report = result.report
    suppressed = report["suppressed"]
    levels = ", ".join(f"{name} {level}" for name, level in result.transformation.items())
    click.echo(
        f"{report['records']} records anonymised to {k}-anonymity (smallest class {report['k_reached']}): "
        f"{suppressed['records']} suppressed ({suppressed['share']:.2%}, limit {suppressed['limit']}); "
        f"levels {levels}; information loss {result.loss:.2f} "
        f"({report['information_loss']['normalised']:.1%} of full generalisation); "
        f"{report['search']['nodes_checked']} of {report['search']['lattice_size']} transformations checked; "
        f"{time.perf_counter() - started:.2f} s. Written to {out}"
        + (f", report {report_path}." if report_path is not None else ".")
    )
