"""Researcher pages for fieldwork: dispositions and AAPOR rates per group, on screen and as CSV."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import lazy_gettext

from .. import db as database
from .. import questionnaires
from ..accounts.access import requires
from ..questionnaires.model import Questionnaire
from . import report, services
from .dispositions import GROUPINGS

blueprint = Blueprint("fieldwork", __name__, url_prefix="/research/fieldwork")

GROUP_NAMES = {
    "wave": lazy_gettext("Wave"),
    "batch": lazy_gettext("Batch"),
    "stratum": lazy_gettext("Stratum"),
    "language": lazy_gettext("Letter language"),
}


def _questionnaire(questionnaire_id: str) -> Questionnaire:
    found = questionnaires.get(questionnaire_id)
    if found is None:
        abort(404)
    return found


def _grouping() -> str:
    chosen = request.args.get("by", "wave")
    return chosen if chosen in GROUPINGS else "wave"


@blueprint.get("/<questionnaire_id>/rates")
@requires("researcher")
def rates(questionnaire_id: str) -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    grouping = _grouping()
    db = database.session()
    rows = report.rate_rows(db, questionnaire.id, grouping)
    return render_template(
        "fieldwork/rates.html",
        questionnaire=questionnaire,
        grouping=grouping,
        group_names=GROUP_NAMES,
        rows=[report.cells(row, small=True) for row in rows],
        modes=[
            (mode, report.count_shown(count, True), share)
            for mode, count, share in report.mode_rows(db, questionnaire.id)
        ],
        draws=services.draws(db, questionnaire.id),
        small=report.SMALL,
    )


@blueprint.get("/<questionnaire_id>/rates.csv")
@requires("researcher")
def rates_csv(questionnaire_id: str) -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    grouping = _grouping()
    buffer = io.StringIO()
    report.write_csv(buffer, report.rate_rows(database.session(), questionnaire.id, grouping), grouping, small=True)
    return send_file(
        io.BytesIO(buffer.getvalue().encode("utf-8")),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"rates-{questionnaire.id}-{grouping}.csv",
    )
