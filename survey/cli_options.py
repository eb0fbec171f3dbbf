"""Option declarations the command-line tools share: one file, or one folder, named on the command
line and handed to the command as a Path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

Command = TypeVar("Command", bound=Callable[..., Any])


def file_option(*declarations: str, exists: bool = False, **settings: Any) -> Callable[[Command], Command]:
    """`--name FILE`: a file (a folder is refused); with `exists`, one that is there already."""
    return click.option(*declarations, type=click.Path(exists=exists, dir_okay=False, path_type=Path), **settings)


def folder_option(*declarations: str, **settings: Any) -> Callable[[Command], Command]:
    """`--name DIRECTORY`: a folder (a file is refused), made by the command if it is not there."""
    return click.option(*declarations, type=click.Path(file_okay=False, path_type=Path), **settings)
