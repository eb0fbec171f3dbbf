"""The evaluation's input errors (no heavy imports: the web pages load this at start)."""

from __future__ import annotations


class EvaluationInputError(Exception):
    """Input the evaluation cannot use; the message names the file, row or JSON pointer."""
