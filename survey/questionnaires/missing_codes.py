"""The numbers that stand for a missing value in exported data (the export's codebook, the quality
flags): one place, below both the export and fieldwork, which reads them too."""

from __future__ import annotations

DONT_KNOW_CODE = -1  # "don't know"
REFUSED_CODE = -2  # refused (prefer not to say)
NOT_ASKED = -3  # not asked (skip logic)
NO_ANSWER = -4  # no answer: an optional question left empty, or no value (duration_min without paradata)
SUPPRESSED = -5  # suppressed by the anonymiser
