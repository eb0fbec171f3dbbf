"""Gunicorn settings of the Procfile's web process (`gunicorn --config python:survey.startup`): the master
builds the app once before any worker starts, so a broken questionnaire (or a missing key) stops
start-up with the checker's list of problems and a non-zero exit, not workers failing with tracebacks."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

STARTUP_WARNED = "SURVEY_STARTUP_WARNED"


def on_starting(server: Any) -> None:
    from . import create_app

    # The app's own lines (outage begun and ended, refused posts) go to gunicorn's error log at INFO;
    # the workers inherit this when they fork. Without it only WARNING and above would show.
    logging.getLogger("survey").setLevel(logging.INFO)

    try:
        create_app()  # thrown away: each worker builds its own (nothing here touches the database)
    except click.ClickException as error:  # a questionnaire error or a configuration error
        click.echo(f"Error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    # Start-up warnings (e.g. rate limits counted per worker) were given once, here: the workers
    # (and the ones gunicorn starts in place of a killed one) inherit this and do not repeat them.
    os.environ[STARTUP_WARNED] = "1"
