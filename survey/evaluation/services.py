"""Run an evaluation from files to files: the one entry point of the CLI and the researcher pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..questionnaires.model import Questionnaire
from . import report
from .exports import EvaluationInputError, read_exports
from .indicators import Indicators, IndicatorsError, load_file
from .responserates import ResponseRate, read_dispositions
from .run import Options, Result, evaluate
from .weights import read_margins

__all__ = ["EvaluationInputError", "IndicatorsError", "Outcome", "check_indicators", "run_evaluation"]


@dataclass(frozen=True)
class Outcome:
    result: Result
    files: list[Path]


def check_indicators(path: Path, find: Callable[[str], Questionnaire | None]) -> Indicators:
    """Load and check an indicators file against the questionnaire it names (found by `find`)."""
    import json

    try:
        named = json.loads(path.read_text(encoding="utf-8")).get("questionnaire")
    except FileNotFoundError:
        raise EvaluationInputError(f"{path}: not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        named = None  # load_file names the problem with its position
    questionnaire = find(str(named)) if named else None
    if named and questionnaire is None:
        raise EvaluationInputError(f"{path}: /questionnaire: no questionnaire '{named}' on this platform")
    if questionnaire is None:
        from ..questionnaires.model import Text

        questionnaire = Questionnaire("", "", Text.of({}, "de"), Text.of({}, "de"), "de", (), ())
    return load_file(path, questionnaire)


def run_evaluation(
    exports: Sequence[Path],
    indicators_file: Path,
    out: Path,
    find: Callable[[str], Questionnaire | None],
    margins_file: Path | None = None,
    dispositions: Path | list[ResponseRate] | None = None,
    options: Options | None = None,
    progress: Callable[[str], None] = lambda message: None,
    pdf: bool = True,
) -> Outcome:
    """Read exports, indicators, margins and dispositions, estimate, and write every report file into `out`.
    Raises EvaluationInputError or IndicatorsError naming the file, row or JSON pointer."""
    progress(f"reading {len(exports)} export(s)")
    responses = read_exports(exports)
    questionnaire = find(responses.questionnaire)
    if questionnaire is None:
        raise EvaluationInputError(f"{exports[0]}: questionnaire '{responses.questionnaire}' is not on this platform")
    indicators = load_file(indicators_file, questionnaire)
    missing = [name for name in _needed_columns(indicators) if name not in responses.data.columns]
    if missing:
        raise EvaluationInputError(f"{exports[0]}: the export has no column(s) {', '.join(missing)}")
    options = options or Options()
    if options.strata and options.strata not in {b.id for b in indicators.breakdowns}:
        known = ", ".join(b.id for b in indicators.breakdowns)
        raise EvaluationInputError(
            f"{indicators_file}: no breakdown '{options.strata}' for --strata (breakdowns: {known})"
        )
    margins = read_margins(margins_file, indicators) if margins_file else None
    rates = read_dispositions(dispositions) if isinstance(dispositions, Path) else (dispositions or [])
    result = evaluate(responses, questionnaire, indicators, margins, options, rates, progress)
    files = report.write(result, out, progress, pdf=pdf)
    progress(f"wrote {len(files)} files to {out}")
    return Outcome(result, files)


def _needed_columns(indicators: Indicators) -> list[str]:
    found = {b.variable for b in indicators.breakdowns}
    found |= {i.mean for i in indicators.indicators if i.mean}
    return sorted(found)
