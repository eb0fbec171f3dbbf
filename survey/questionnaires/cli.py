"""`flask questionnaire ...`: check questionnaire files. Registered as a Flask plugin command, so
it works even when the app cannot start because a questionnaire is broken."""

from __future__ import annotations

import sys

import click

from .loader import ERROR, load_file


@click.group("questionnaire", help="Check questionnaire files.")
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
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=bool(errors))
    if errors:
        sys.exit(1)
