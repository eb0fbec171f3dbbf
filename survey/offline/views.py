"""What an interviewer's device fetches to work offline and where it uploads the sealed records."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from flask_babel import force_locale, gettext
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import RequestEntityTooLarge

from .. import db as database
from .. import questionnaires, vault
from ..accounts.access import current_user, requires
from ..db import utcnow
from ..i18n import offered_languages
from ..i18n.languages import autonym, text_direction
from ..interview.services import interviewer_pseudonym
from . import device, outbox, sync
from .logic import NotOffline, describe
from .messages import catalog, catalogs, counts_for

blueprint = Blueprint("offline", __name__, url_prefix="/offline")
# The offline pages fetch JSON from this server and register a service worker; nothing else changes.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; media-src 'self'; script-src 'self'; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'none'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


def _refused(status: int, pointer: str, message: Any) -> tuple[Response, int]:
    with force_locale("en"):  # the device's upload answers stay in English; it shows only counts
        return jsonify({"error": str(message), "pointer": pointer}), status


def _strict(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


@blueprint.route("/")
@requires("interviewer")
def app() -> Response:
    """The one page of offline interviews: survey/static/offline/app.js renders every screen in it.
    The service worker keeps a copy, so it opens without a connection."""
    return _strict(Response(render_template("offline/app.html"), mimetype="text/html"))


@blueprint.route("/sw.js")
@requires("interviewer")
def service_worker() -> Response:
    """The service worker, served from /offline/ so that its scope covers the offline page."""
    script = (device.STATIC / "offline" / "sw.js").read_text(encoding="utf-8")
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return _strict(response)


@blueprint.route("/device")
@requires("interviewer")
def device_status() -> Any:
    """For a device that is online: what to cache, the questionnaires it can prepare and a fresh CSRF
    token for uploads. Never cached on the device (a signed-out device must not get it)."""
    found = sorted(questionnaires.all_questionnaires().values(), key=lambda q: q.id)
    offered = []
    for questionnaire in found:
        reason = device.refusal(questionnaire)
        offered.append(
            {
                "id": questionnaire.id,
                "title": dict(questionnaire.title.by_language),
                "languages": list(questionnaire.language_tags),
                "url": url_for(".questionnaire_logic", questionnaire_id=questionnaire.id),
                "refused": reason,
            }
        )
    files = [url_for("static", filename=name) for name in device.static_files()]
    response = jsonify(
        {
            "cache": device.CACHE_VERSION,
            "files": [url_for(".app"), url_for(".study_key"), *files],
            "questionnaires": offered,
            "languages": offered_languages(),
            "autonyms": {tag: autonym(tag) for q in found for tag in q.language_tags},
            "csrf": generate_csrf(),
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


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
    languages = sorted({*questionnaire.language_tags, *offered_languages()})
    messages = catalogs(questionnaire)
    counts = counts_for(questionnaire)
    # The interviewer's language need not be one of the questionnaire's: page texts and validation
    # messages come in every language the site offers.
    messages.update({lang: catalog(lang, counts) for lang in languages if lang not in messages})
    return jsonify(
        {
            "logic": logic,
            "messages": messages,
            "display": device.display(questionnaire),
            "texts": device.page_texts(languages),
            "calendars": device.calendar_texts(questionnaire, languages),
            "directions": {lang: text_direction(lang) for lang in languages},
            "autonyms": {lang: autonym(lang) for lang in languages},
        }
    )


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
            database.session(),
            body,
            questionnaires.all_questionnaires(),
            vault.study_key(),
            interviewer,
            utcnow(),
            user.id,
        )
    except sync.UploadRefused as refused:
        return _refused(400, refused.pointer, refused.message)
    with force_locale("en"):
        return jsonify(result.as_json())


@blueprint.url_value_preprocessor
def _outbox_file_limit(endpoint: str | None, values: dict[str, Any] | None) -> None:
    # Before the CSRF check reads the form: an outbox file may exceed the site's MAX_CONTENT_LENGTH.
    if endpoint == "offline.outbox_file":
        request.max_content_length = outbox.MAX_FILE_BYTES + 64 * 1024  # the file and the form around it


@blueprint.errorhandler(RequestEntityTooLarge)
def _too_large_upload(error: RequestEntityTooLarge) -> Any:
    if request.endpoint != "offline.outbox_file":  # as the site's own 413 page
        message = gettext("What you sent is too large. Please shorten your answers.")
        html = render_template("error.html", status=413, title=gettext("Something is not right"), message=message)
        return html, 413
    accounts = outbox.interviewers(database.session())
    problems = [("file", "", _too_large())]
    return render_template("offline/outbox_file.html", accounts=accounts, problems=problems, result=None), 413


@blueprint.route("/outbox-file", methods=["GET", "POST"])
@requires("researcher", "admin")
def outbox_file() -> Any:
    """Staff store an outbox an interviewer's device saved as a file; each record once, each bad
    one named by its JSON pointer."""
    db = database.session()
    accounts = outbox.interviewers(db)
    problems: list[tuple[str, str, str]] = []  # (field the summary links to, JSON pointer, message)
    result = None
    if request.method == "POST":
        upload, chosen = request.files.get("file"), request.form.get("interviewer", "")
        data = b""
        if upload is not None:
            try:  # a large file waits in a temporary file: read what is needed and close it
                data = upload.read(outbox.MAX_FILE_BYTES + 1)
            finally:
                upload.close()
        interviewer = next((user for user in accounts if str(user.id) == chosen), None)
        user = current_user()
        if interviewer is None:
            problems.append(("interviewer", "", gettext("Choose the interviewer whose device saved the file.")))
        elif upload is None or not upload.filename:
            problems.append(("file", "", gettext("Choose the outbox file.")))
        elif len(data) > outbox.MAX_FILE_BYTES:
            problems.append(("file", "", _too_large()))
        else:
            try:
                result = outbox.store_file(db, data, interviewer, utcnow(), user.email if user else "?")
            except sync.UploadRefused as refused:
                problems.append(("file", refused.pointer or "/", str(refused.message)))
        if result is not None:
            problems += [("file", problem["pointer"], str(problem["error"])) for problem in result.refused]
    html = render_template("offline/outbox_file.html", accounts=accounts, problems=problems, result=result)
    return html, 400 if problems else 200


def _too_large() -> str:
    return gettext("The file is larger than %(size)d MB: not an outbox file.", size=outbox.MAX_FILE_BYTES // 2**20)
