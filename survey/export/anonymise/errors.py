"""Exceptions of the anonymiser: one base class, so callers (the CLI, the export views) catch one thing."""

from __future__ import annotations


class AnonymisationError(ValueError):
    """The data, the hierarchies or the privacy requirements do not allow an anonymisation."""


class HierarchyError(AnonymisationError):
    """A generalisation hierarchy is malformed, or a value is missing from it."""


class NoValidTransformation(AnonymisationError):
    """Not even the most general transformation meets the privacy requirements."""
