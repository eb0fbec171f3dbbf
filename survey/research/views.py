"""Researcher pages: thin views over research services, the participant codes and the exporter."""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext

from .. import db as database
from .. import questionnaires, vault
from ..accounts.access import current_user, requires
from ..participants import services as participants
from ..vault.codes import display
from ..vault.keys import KeyFileError, load_private_text
from ..vault.responses import ResponseUnreadable
from . import services

blueprint = Blueprint("research", __name__, url_prefix="/research")


def _actor() -> str:
    user = current_user()
    return user.email if user is not None else "?"


def _questionnaire(questionnaire_id: str) -> Any:
    found = questionnaires.get(questionnaire_id)
    if found is None:
        abort(404)
    return found


@blueprint.get("/")
@requires("researcher")
def index() -> str:
    db = database.session()
    rows = []
    for questionnaire in sorted(questionnaires.all_questionnaires().values(), key=lambda q: q.id):
        period = services.fieldwork(db, questionnaire.id, questionnaire.wave)
        rows.append((questionnaire, services.counts(db, questionnaire.id), period))
    return render_template("research/index.html", rows=rows)


def _date(name: str) -> datetime.date | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(name) from None


@blueprint.route("/<questionnaire_id>/fieldwork", methods=["GET", "POST"])
@requires("researcher")
def fieldwork(questionnaire_id: str) -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    db = database.session()
    error = ""
    if request.method == "POST":
        try:
            services.set_fieldwork(
                db, questionnaire.id, questionnaire.wave, _date("opens_on"), _date("closes_on"), _actor()
            )
        except ValueError:
            error = gettext("Enter dates as YYYY-MM-DD, and a closing date on or after the opening date.")
    period = services.fieldwork(db, questionnaire.id, questionnaire.wave)
    html = render_template(
        "research/fieldwork.html",
        questionnaire=questionnaire,
        period=period,
        error=error,
        is_open=services.is_open(db, questionnaire.id, questionnaire.wave),
    )
    return html, 400 if error else 200


@blueprint.route("/<questionnaire_id>/codes", methods=["GET", "POST"])
@requires("researcher")
def codes(questionnaire_id: str) -> Any:
    questionnaire = _questionnaire(questionnaire_id)
    db = database.session()
    error = ""
    if request.method == "POST":
        try:
            count = int(request.form.get("count", ""))
        except ValueError:
            count = 0
        wave = request.form.get("wave", "").strip() or questionnaire.wave
        if questionnaire.access != "code":
            error = gettext("This questionnaire is open to anyone with the link; it takes no codes.")
        elif not 1 <= count <= 100_000:
            error = gettext("Enter a number of codes from 1 to 100000.")
        else:
            batch = participants.issue(db, questionnaire, wave, count, vault.pseudonym_key())
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(["code", "url"])
            base = request.host_url.rstrip("/")
            for code in batch.codes:
                writer.writerow([display(code), f"{base}/{questionnaire.id}/code?c={display(code)}"])
            data = io.BytesIO(buffer.getvalue().encode("utf-8"))
            return send_file(
                data,
                mimetype="text/csv",
                as_attachment=True,
                download_name=f"codes-{questionnaire.id}-{batch.batch}.csv",
            )
    html = render_template(
        "research/codes.html", questionnaire=questionnaire, error=error, batches=services.batches(db, questionnaire.id)
    )
    return html, 400 if error else 200


@blueprint.route("/export", methods=["GET", "POST"])
@requires("researcher")
def export() -> Any:
    """The key file and passphrase are used in memory for this request only; never stored or logged."""
    found = sorted(questionnaires.all_questionnaires().values(), key=lambda q: q.id)
    error = ""
    if request.method == "POST":
        from ..export.pipeline import ExportError, ExportOptions, zip_folder
        from ..export.pipeline import export as run_export

        questionnaire = questionnaires.get(request.form.get("questionnaire", ""))
        upload = request.files.get("key")
        try:
            if questionnaire is None:
                raise ExportError(gettext("Choose a questionnaire."))
            if upload is None or not upload.filename:
                raise ExportError(gettext("Choose the private key file."))
            key = load_private_text(
                upload.read(64 * 1024).decode("utf-8", "replace"), request.form.get("passphrase", ""), upload.filename
            )
            k = int(request.form.get("k", "5") or 5)
            suppression = float(request.form.get("max_suppression", "0.04") or 0.04)
            if not (1 <= k <= 1000 and 0 <= suppression <= 1):
                raise ExportError(gettext("k is a whole number from 1 to 1000; suppression a share from 0 to 1."))
            formats = tuple(name for name in ("csv", "sav", "dta") if request.form.get(f"format_{name}"))
            options = ExportOptions(
                wave=request.form.get("wave", "").strip() or None,
                k=k,
                max_suppression=suppression,
                formats=formats or ("csv",),
                release_text=tuple(request.form.getlist("release_text")),
            )
            with tempfile.TemporaryDirectory() as folder:
                out = Path(folder) / "export"
                run_export(database.session(), questionnaire, {key.key_id: key}, out, options, actor=_actor())
                archive = zip_folder(out, Path(folder) / "export.zip")
                data = io.BytesIO(archive.read_bytes())
            name = f"{questionnaire.id}-{datetime.date.today().isoformat()}.zip"
            return send_file(data, mimetype="application/zip", as_attachment=True, download_name=name)
        except (KeyFileError, ResponseUnreadable, ExportError, ValueError) as problem:
            error = str(problem)
    html = render_template("research/export.html", questionnaires=found, error=error)
    return html, 400 if error else 200


@blueprint.get("/audit")
@requires("researcher", "admin")
def audit() -> str:
    return render_template("research/audit.html", events=services.audit_log(database.session()))
