"""Gunicorn settings of the Procfile's web process (`gunicorn --config python:survey.startup`): the master
builds the app once before any worker starts, so a broken questionnaire (or a missing key) stops
start-up with the checker's list of problems and a non-zero exit, not workers failing with tracebacks."""

from __future__ import annotations

import sys
from typing import Any

import click


def on_starting(server: Any) -> None:
    from . import create_app

    try:
        create_app()  # thrown away: each worker builds its own (nothing here touches the database)
    except click.ClickException as error:  # a questionnaire error or a configuration error
        click.echo(f"Error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
