"""Researcher pages: response rates per wave and code batch, the indicators files' check, and an
evaluation run on the server's own responses (key used in memory for the request only)."""

from __future__ import annotations

import datetime
import io
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, render_template, request, send_file
from flask_babel import gettext

from .. import audit, questionnaires
from .. import db as database
from ..accounts.access import current_user, requires
from ..vault.keys import KeyFileError, load_private_text
from ..vault.responses import ResponseUnreadable
from .errors import EvaluationInputError
from .indicators import IndicatorsError
from .responserates import from_database

blueprint = Blueprint("evaluation", __name__, url_prefix="/research/evaluation")


def _indicator_files() -> list[Path]:
    return sorted(Path(current_app.config["QUESTIONNAIRE_DIR"]).glob("*.indicators.json"))


def _checks() -> list[dict[str, Any]]:
    """Each indicators file beside the questionnaires, with its check."""
    from .services import check_indicators

    found = []
    for path in _indicator_files():
        try:
            indicators = check_indicators(path, questionnaires.get)
            found.append({"file": path.name, "problems": [], "indicators": indicators})
        except IndicatorsError as error:
            found.append({"file": path.name, "problems": [f"{p.pointer or '/'}: {p.message}" for p in error.problems]})
        except EvaluationInputError as error:
            found.append({"file": path.name, "problems": [str(error)]})
    return found


@blueprint.get("/")
@requires("researcher")
def index() -> str:
    db = database.session()
    rates = [
        (questionnaire, from_database(db, questionnaire.id))
        for questionnaire in sorted(questionnaires.all_questionnaires().values(), key=lambda q: q.id)
    ]
    return render_template("research/evaluation.html", rates=rates, checks=_checks())


@blueprint.route("/run", methods=["GET", "POST"])
@requires("researcher")
def run() -> Any:
    """Export every wave of a questionnaire with k-anonymity into a temporary folder, evaluate it and
    send the reports (HTML, charts, CSV, XLSX; PDFs come from the command line) as one zip."""
    found = sorted(questionnaires.all_questionnaires().values(), key=lambda q: q.id)
    files = [path.name for path in _indicator_files()]
    error = ""
    if request.method == "POST":
        from ..export.pipeline import ExportError, ExportOptions, export_from
        from ..export.source import DatabaseSource
        from .services import run_evaluation

        questionnaire = questionnaires.get(request.form.get("questionnaire", ""))
        chosen = request.form.get("indicators", "")
        upload = request.files.get("key")
        margins = request.files.get("margins")
        try:
            if questionnaire is None:
                raise ExportError(gettext("Choose a questionnaire."))
            if chosen not in files:
                raise ExportError(gettext("Choose an indicators file."))
            if upload is None or not upload.filename:
                raise ExportError(gettext("Choose the private key file."))
            key = load_private_text(
                upload.read(64 * 1024).decode("utf-8", "replace"), request.form.get("passphrase", ""), upload.filename
            )
            db = database.session()
            with tempfile.TemporaryDirectory() as folder:
                scratch = Path(folder)
                export_from(
                    DatabaseSource(db, questionnaire.id, None),
                    questionnaire,
                    {key.key_id: key},
                    scratch / "export",
                    ExportOptions(formats=("csv",)),
                )
                margins_file = None
                if margins is not None and margins.filename:
                    margins_file = scratch / "margins.csv"
                    margins_file.write_bytes(margins.read(1024 * 1024))
                out = scratch / "evaluation"
                run_evaluation(
                    [scratch / "export"],
                    Path(current_app.config["QUESTIONNAIRE_DIR"]) / chosen,
                    out,
                    questionnaires.get,
                    margins_file,
                    from_database(db, questionnaire.id),
                    pdf=False,
                )
                archive = zip_folder_tree(out, scratch / "evaluation.zip")
                data = io.BytesIO(archive.read_bytes())
            user = current_user()
            audit.record(
                db,
                "evaluation.run",
                user.email if user else "?",
                f"questionnaire={questionnaire.id} indicators={chosen}",
            )
            db.commit()
            name = f"evaluation-{questionnaire.id}-{datetime.date.today().isoformat()}.zip"
            return send_file(data, mimetype="application/zip", as_attachment=True, download_name=name)
        except (
            KeyFileError,
            ResponseUnreadable,
            ExportError,
            EvaluationInputError,
            IndicatorsError,
            ValueError,
        ) as problem:
            error = str(problem)
    html = render_template("research/evaluation_run.html", questionnaires=found, files=files, error=error)
    return html, 400 if error else 200


def zip_folder_tree(folder: Path, target: Path) -> Path:
    """Every file under `folder` (sub-folders too), with paths relative to it."""
    import zipfile

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, arcname=str(path.relative_to(folder)))
    return target
