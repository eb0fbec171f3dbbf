"""Export: unseal (private key) -> anonymise (privacy classes, k-anonymity) -> write files.

Three stages, in `export_from`: reading (`reading.read_responses`: unseal and make rows, in worker
processes when `ExportOptions.workers` > 1), anonymising (one table, this process), writing (the first data
file and the documents here while the other data files are written in workers, then the manifest).
A new output file is one more job of the writing stage.

Nothing is skipped silently: a response that does not open stops the export with its id named.
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import zipfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from .. import __version__, audit
from ..fieldwork import quality
from ..questionnaires.model import Computed, Questionnaire
from ..questionnaires.questions import Question
from ..vault.keys import StudyPrivateKey
from . import derived as derived_values
from . import forking, reading, writers
from .anonymise import TOP, AnonymisationError, Hierarchy, anonymise, render_report
from .members import ColumnLists, MemberExportError, MemberRecords, write_members
from .reading import INTERVIEW_DATE, PARADATA_VARIABLES, RowPlan
from .source import DatabaseSource, Source
from .table import SUPPRESSED, RowMaker, Variable, answer_variables


class ExportError(Exception):
    """An export that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class ExportOptions:
    wave: str | None = None
    k: int = 5
    max_suppression: float = 0.04
    formats: tuple[str, ...] = writers.FORMATS
    release_text: tuple[str, ...] = ()  # free-text questions the researcher releases explicitly
    l_diversity: int | None = None
    members_wide: bool = False  # also a wide member file per roster (one row per respondent)
    workers: int = 1  # processes that read and write; more than 1 forks (so never inside a web worker)


@dataclass
class ExportResult:
    folder: Path
    files: list[Path]
    report: dict[str, Any]
    rows: int
    manifest: Path
    parameters: dict[str, Any] = field(default_factory=dict)


def released_variables(variables: Sequence[Variable], release_text: Collection[str]) -> list[Variable]:
    """The answer variables an export may hold, then its paradata: direct identifiers never leave the
    vault, and free text only when the researcher releases that question."""
    keep = [
        variable
        for variable in variables
        if variable.privacy != "direct"
        and not (variable.privacy == "free_text" and variable.question and variable.question.id not in release_text)
    ]
    return (
        keep
        + [
            Variable(name, _text(de, en), None, name == "duration_min", (), privacy, "paradata")
            for name, (de, en, privacy) in PARADATA_VARIABLES.items()
        ]
        + [
            Variable(name, _text(de, en), None, True, (), "none", "paradata")
            for name, (de, en) in quality.VARIABLES.items()
        ]
    )


def read_responses(
    source: Source,
    questionnaire: Questionnaire,
    keep: Sequence[Variable],
    keys: Mapping[str, StudyPrivateKey],
    spans_waves: bool,
    members: MemberRecords | None = None,
    workers: int = 1,
    export_key: bytes | None = None,
) -> dict[str, Any]:
    """Unseal each stored response and turn it into its row at once, so that neither ciphertexts nor
    decoded records pile up: every column (ids, then the variables in `keep`, then the interview date)."""
    kept = {variable.question.id for variable in keep if variable.question is not None}
    maker = RowMaker(questionnaire, leave_out={q.id for q in questionnaire.questions() if q.id not in kept})
    plan = RowPlan(
        questionnaire,
        maker,
        keys,
        export_key if export_key is not None else secrets.token_bytes(32),
        spans_waves,
        frozenset(variable.name for variable in keep if variable.numeric),
    )
    if plan.names[2:-1] != [variable.name for variable in keep]:
        raise ExportError("internal: the export's columns do not match its variables")
    return reading.read_responses(source, plan, workers, members)


def _band(value: int, width: int) -> str:
    low = value - value % width
    return f"{low}-{low + width - 1}"


def hierarchy_for(question: Question | Computed | None, name: str, values: set[str]) -> Hierarchy:
    """The generalisation hierarchy of a quasi-identifier column, over the values it holds."""
    missing = {value for value in values if value.startswith("-") and value[1:].isdigit()}
    real = sorted(values - missing)
    spec = question.hierarchy if question is not None else None
    if spec is not None and spec.builtin == "suppress":
        # Released as it is, or hidden whole, missing codes included: one step in the anonymiser's lattice.
        return Hierarchy.from_levels([{value: TOP for value in values}])
    levels: list[dict[str, str]] = []
    if spec is not None and spec.bands:
        previous = {value: value for value in real}
        if getattr(question, "type_name", None) == "date" and getattr(question, "precision", "year") != "year":
            # A month or day is first cut to its year ("2020-04" -> "2020"), then banded like a year.
            levels.append({value: value[:4] for value in real})
            previous = {value: value[:4] for value in real}
        numbers = {value: int(float(previous[value])) for value in real}
        for width in spec.bands:
            current = {value: _band(number, width) for value, number in numbers.items()}
            levels.append({previous[value]: current[value] for value in real})
            previous = current
    elif spec is not None and spec.builtin == "m49":
        m49 = Hierarchy.m49()
        for level in range(1, m49.height):
            levels.append({m49.value_at(value, level - 1): m49.value_at(value, level) for value in real})
    elif spec is not None and spec.levels:
        previous = {value: value for value in real}
        for level_map in spec.levels:
            mapping = dict(level_map)
            current = {value: mapping.get(previous[value], previous[value]) for value in real}
            levels.append({previous[value]: current[value] for value in real})
            previous = current
    elif name == "start_month":
        levels.append({value: value[:4] for value in real})
    if not levels:
        levels.append({value: "*" for value in real})
    for step in levels:
        step.update({code: code for code in missing})
    return Hierarchy.from_levels(levels)


def _columns(
    variables: Sequence[Variable],
    transformation: Mapping[str, int],
    hierarchies: Mapping[str, Hierarchy],
    notes: Mapping[str, str],
) -> list[writers.Column]:
    columns = [
        writers.Column(
            "respondent",
            "Befragten-ID (nur in diesem Export)",
            "Respondent id (this export only)",
            False,
            (),
            "none",
            "",
        ),
        writers.Column("wave", "Welle", "Wave", False, (), "none", ""),
    ]
    for variable in variables:
        level = transformation.get(variable.name, 0)
        generalised = level > 0
        note = f"level {level} of {hierarchies[variable.name].height}" if variable.name in hierarchies else ""
        note = notes.get(variable.name, note)
        labels = (
            ()
            if generalised
            else tuple((value, text.get("de"), text.get("en")) for value, text in variable.value_labels)
        )
        columns.append(
            writers.Column(
                variable.name,
                variable.label.get("de"),
                variable.label.get("en"),
                variable.numeric and not generalised,
                labels,
                variable.privacy,
                note,
                variable.computed.calculation.source if variable.computed else "",
            )
        )
    return columns


def export(
    db: Session,
    questionnaire: Questionnaire,
    keys: Mapping[str, StudyPrivateKey],
    out: Path,
    options: ExportOptions,
    actor: str = "cli",
) -> ExportResult:
    """Export from the database into the folder `out`; records an audit event without content."""
    result = export_from(DatabaseSource(db, questionnaire.id, options.wave), questionnaire, keys, out, options)
    details = " ".join(f"{key}={value}" for key, value in result.parameters.items())
    audit.record(db, "export.created", actor, details)
    db.commit()
    return result


def export_from(
    source: Source,
    questionnaire: Questionnaire,
    keys: Mapping[str, StudyPrivateKey],
    out: Path,
    options: ExportOptions,
    origin: str = "database",
    export_key: bytes | None = None,
) -> ExportResult:
    """Unseal, anonymise and write the responses of `source` (`origin` says which, in the manifest)
    into the folder `out`. `export_key`, the secret the export's ids derive from, is random unless a
    test fixes it to compare two exports."""
    if options.workers < 1:
        raise ExportError(f"workers must be at least 1, not {options.workers}")
    if not keys:
        raise ExportError("no private key given")
    unknown = [name for name in options.release_text if name not in {q.id for q in questionnaire.questions()}]
    if unknown:
        raise ExportError("unknown question(s) to release: " + ", ".join(unknown))
    bad_formats = [name for name in options.formats if name not in writers.FORMATS]
    if bad_formats:
        raise ExportError(f"unknown format(s) {', '.join(bad_formats)}; use {', '.join(writers.FORMATS)}")
    spans_waves = options.wave is None and len(source.waves()) > 1
    variables = answer_variables(questionnaire)
    keep = released_variables(variables, options.release_text)
    members = MemberRecords(questionnaire) if questionnaire.rosters else None
    # In a list, handed over below: the table is released as soon as its files are written.
    table = [
        pd.DataFrame(
            read_responses(source, questionnaire, keep, keys, spans_waves, members, options.workers, export_key),
            copy=False,
        )
    ]
    count = len(table[0])
    if not count:
        raise ExportError(
            f"no responses for '{questionnaire.id}'" + (f" in wave {options.wave}" if options.wave else "")
        )

    out.mkdir(parents=True, exist_ok=True)
    base = f"{questionnaire.id}" + (f"-wave-{options.wave}" if options.wave else "")
    # The member files depend on nothing below: with more than one worker they are anonymised and
    # written in a forked process while this one anonymises the main file.
    member_job = (
        forking.start_beside(
            functools.partial(
                write_members,
                members,
                out,
                base,
                options.formats,
                options.k,
                options.max_suppression,
                options.members_wide,
            ),
            options.workers,
        )
        if members is not None
        else None
    )
    del members  # a forked worker has its own copy; otherwise the job holds it
    try:
        return _anonymise_and_write(
            table, count, questionnaire, variables, keep, out, base, options, origin, member_job
        )
    finally:
        if member_job is not None:
            member_job.close()


def _anonymise_and_write(
    table: list[pd.DataFrame],
    count: int,
    questionnaire: Questionnaire,
    variables: Sequence[Variable],
    keep: Sequence[Variable],
    out: Path,
    base: str,
    options: ExportOptions,
    origin: str,
    member_job: forking.Beside | None,
) -> ExportResult:
    """The rest of `export_from`: anonymise the main table (taken from `table`), write every file."""
    frame = table.pop()
    interview = list(frame.pop(INTERVIEW_DATE))
    # Computed values that read quasi-identifiers are worked out again from the anonymised answers.
    derived = [v for v in keep if v.computed is not None and derived_values.reads_quasi(questionnaire, v.computed)]
    derived_names = {variable.name for variable in derived}
    quasi = [variable.name for variable in keep if variable.privacy == "quasi" and variable.name not in derived_names]
    sensitive = [variable.name for variable in keep if variable.privacy == "sensitive"]
    strings = frame[quasi + (sensitive if options.l_diversity else [])].astype(str)
    hierarchies = {
        name: hierarchy_for(next((v.hierarchy_owner for v in keep if v.name == name), None), name, set(strings[name]))
        for name in quasi
    }
    try:
        result = anonymise(
            strings,
            quasi,
            hierarchies,
            options.k,
            options.max_suppression,
            sensitive=sensitive if options.l_diversity else [],
            l_diversity=options.l_diversity,
        )
    except AnonymisationError as error:
        raise ExportError(str(error)) from None
    del strings
    for name in quasi:
        level = result.transformation[name]
        if level > 0:
            frame[name] = result.output[name]
        frame.loc[result.suppressed, name] = SUPPRESSED if level == 0 and _numeric(keep, name) else str(SUPPRESSED)

    transformation = dict(result.transformation)
    notes: dict[str, str] = {}
    anonymised = ColumnLists(frame)  # the columns a computed value reads, as lists
    for variable in derived:
        assert variable.computed is not None
        cells, ranged = derived_values.rederive(
            questionnaire, variable.computed, anonymised, anonymised[variable.name], interview
        )
        frame[variable.name] = cells
        notes[variable.name] = "computed from the anonymised answers" + (" (ranges)" if ranged else "")
        transformation[variable.name] = int(ranged)
    columns = _columns(keep, transformation, hierarchies, notes)
    data_files = [out / f"{base}.{name}" for name in options.formats]
    report = dict(result.report)
    report["released_free_text"] = list(options.release_text)
    report["dropped_direct_identifiers"] = [v.name for v in variables if v.privacy == "direct"]
    documents: list[Path] = []

    def write_documents(table: pd.DataFrame) -> None:
        documents.extend(writers.write_codebook(out, columns, questionnaire.title.get("de")))
        documents.append(quality.write_interviewer_summary(out, table))

    # The data files are independent of each other and of the documents: the first is written here
    # with the documents, the others in forked workers at the same time.
    jobs = [functools.partial(writers.WRITERS[path.suffix[1:]], path, columns, frame) for path in data_files]
    forking.run_beside([*jobs[:1], functools.partial(write_documents, frame)], jobs[1:], options.workers)
    del jobs, frame, anonymised  # written: the member files need the memory
    written = [*data_files, *documents]
    if member_job is not None:  # the member files and their part of the report, before the report is written
        try:
            member_files, report["members"] = member_job.result()
        except MemberExportError as error:
            raise ExportError(str(error)) from None
        written += member_files
    report_path = out / "disclosure-report.json"
    report_path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    (out / "disclosure-report.txt").write_text(render_report(result.report), encoding="utf-8")
    written += [report_path, out / "disclosure-report.txt"]
    parameters = {
        "questionnaire": questionnaire.id,
        "questionnaire_version": questionnaire.version,
        "wave": options.wave or "all",
        "k": options.k,
        "max_suppression": options.max_suppression,
        "l_diversity": options.l_diversity,
        "formats": list(options.formats),
        "released_free_text": list(options.release_text),
        "responses": count,
        "source": origin,
    }
    manifest = writers.write_manifest(out, written, parameters, report, __version__)
    return ExportResult(out, [*written, manifest], report, count, manifest, parameters)


def _numeric(variables: Sequence[Variable], name: str) -> bool:
    return next(variable.numeric for variable in variables if variable.name == name)


def _text(de: str, en: str) -> Any:
    from ..questionnaires.model import Text

    return Text.of({"de": de, "en": en}, "en")


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path != target:
                archive.write(path, arcname=path.name)
    os.chmod(target, 0o600)
    return target
