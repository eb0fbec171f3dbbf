"""One small class per question type; TYPES maps the JSON `type` to it."""

from .base import DONT_KNOW, MISSING_CODES, REFUSED, ExportColumn, Question, TamperedInput
from .choice import Dropdown, Matrix, MultipleChoice, Scale, SingleChoice
from .lists import Country, Language
from .static import Consent, Note
from .typed import DecimalNumber, Integer, LongText, ShortText, Year, normalise_digits
from .typed_dates import Date

TYPES: dict[str, type[Question]] = {
    cls.type_name: cls
    for cls in (
        SingleChoice,
        MultipleChoice,
        Dropdown,
        ShortText,
        LongText,
        Integer,
        DecimalNumber,
        Year,
        Date,
        Scale,
        Matrix,
        Country,
        Language,
        Consent,
        Note,
    )
}

__all__ = [
    "DONT_KNOW",
    "MISSING_CODES",
    "REFUSED",
    "TYPES",
    "ExportColumn",
    "Question",
    "TamperedInput",
    "normalise_digits",
]
