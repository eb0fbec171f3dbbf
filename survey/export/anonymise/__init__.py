"""Anonymiser for exports: optimal k-anonymity (with optional l-diversity) by full-domain generalisation
and local suppression, as ARX computes it, with a disclosure report.

    from survey.export.anonymise import Hierarchy, anonymise
    result = anonymise(df, ["age", "sex"], {"age": Hierarchy.from_bands(ages, [5, 10]), ...}, k=5,
                       max_suppression=0.04)
"""

from __future__ import annotations

from .errors import AnonymisationError, HierarchyError, NoValidTransformation
from .hierarchy import TOP, Hierarchy
from .kanon import AnonymisationResult, anonymise
from .metrics import render_report

__all__ = [
    "TOP",
    "AnonymisationError",
    "AnonymisationResult",
    "Hierarchy",
    "HierarchyError",
    "NoValidTransformation",
    "anonymise",
    "render_report",
]
