"""What an interviewer's device fetches to work offline and where it uploads the sealed records."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from .. import db as database
from .. import questionnaires, vault
from ..accounts.access import current_user, requires
from ..db import utcnow
from ..interview.services import interviewer_pseudonym
from . import sync
from .logic import NotOffline, describe
from .messages import catalogs

blueprint = Blueprint("offline", __name__, url_prefix="/offline")


def _refused(status: int, pointer: str, message: str) -> tuple[Response, int]:
    return jsonify({"error": message, "pointer": pointer}), status


@blueprint.route("/key")
@requires("interviewer")
def study_key() -> Any:
    """The study's public key file, for sealing records on the device."""
    return Response(vault.study_key().to_json(), mimetype="application/json")


@blueprint.route("/questionnaires/<questionnaire_id>")
@requires("interviewer")
def questionnaire_logic(questionnaire_id: str) -> Any:
    """What the device needs to route and validate a questionnaire offline (survey/static/offline/)."""
    questionnaire = questionnaires.get(questionnaire_id)
    if questionnaire is None:
        abort(404)
    try:
        logic = describe(questionnaire)
    except NotOffline as refused:
        return _refused(409, "", str(refused))
    return jsonify({"logic": logic, "messages": catalogs(questionnaire)})


@blueprint.route("/records", methods=["POST"])
@requires("interviewer")
def upload() -> Any:
    """Store the sealed records of one upload; each record is stored once, however often it is sent.
    An upload is at most MAX_CONTENT_LENGTH (256 KiB): the device sends its outbox in batches."""
    body = request.get_json(silent=True)
    if body is None:
        return _refused(400, "", "needs a JSON body (Content-Type: application/json)")
    user = current_user()
    assert user is not None
    interviewer = interviewer_pseudonym(vault.pseudonym_key(), user.id)
    try:
        result = sync.synchronise(
            database.session(), body, questionnaires.all_questionnaires(), vault.study_key(), interviewer, utcnow()
        )
    except sync.UploadRefused as refused:
        return _refused(400, refused.pointer, refused.message)
    return jsonify(result.as_json())
