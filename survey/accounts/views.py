"""Account pages: login, logout, password change, second factor, user administration."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from .. import db as database
from ..security import LOGIN_ATTEMPTS, limiter
from . import forms, passwords, services
from .access import (
    continue_session,
    current_user,
    end_session,
    local_path,
    mark_second_factor,
    password_change_due,
    pending_login,
    public,
    requires,
    second_factor_done,
    signed_in,
    start_pending,
    start_session,
    usable_roles,
)
from .models import ADMIN, INTERVIEWER, RESEARCHER, User
from .totp import grouped

blueprint = Blueprint("accounts", __name__, url_prefix="/account")

# Areas other packages provide; linked from the landing page once their blueprint exists.
AREAS = (
    (INTERVIEWER, ("interview.index",)),
    (RESEARCHER, ("research.index",)),
)


@blueprint.app_context_processor
def _template_helpers() -> dict[str, Any]:
    # The function, not its result: pages that never ask stay free of database queries.
    return {"current_user": current_user}


def refusal_message(error: services.AccountError) -> str:
    """The one place where account refusals become words."""
    if isinstance(error, services.LoginRefused | services.CodeRefused) and error.reason == "locked":
        return gettext("This account is locked after too many failed attempts. Try again later.")
    if isinstance(error, services.LoginRefused):
        return gettext("Email or password is wrong")
    if isinstance(error, services.CodeRefused) and error.reason == "unreadable":
        return gettext(
            "Your second factor cannot be checked on this server at the moment. Please ask an administrator for help."
        )
    if isinstance(error, services.CodeRefused):
        return gettext("The code is wrong or has expired. Enter the current code from your app.")
    if isinstance(error, services.PasswordRefused):
        messages = {
            "short": gettext("Use at least %(count)d characters", count=passwords.MIN_LENGTH),
            "long": gettext("Use at most %(count)d characters", count=passwords.MAX_LENGTH),
            "email": gettext("Do not use your email address as the password"),
            "breached": gettext(
                "This password is known from leaked password lists, or is too close to one. "
                "Choose another, for example a few unrelated words."
            ),
            "common": gettext("This password is too easy to guess. Choose a longer, less common one."),
            "current": gettext("Your current password is wrong"),
        }
        return messages.get(error.reason, messages["common"])
    messages = {
        "email": gettext("Enter an email address like name@example.org"),
        "taken": gettext("There is already an account with this email address"),
        "role": gettext("Choose roles from the list"),
        "no-role": gettext("Choose at least one role"),
        "last-admin": gettext("The last active administrator must keep the admin role and stay enabled"),
        "self": gettext("You cannot disable your own account"),
    }
    return messages.get(error.reason, gettext("This change is not possible"))


def _user() -> User:
    user = current_user()
    assert user is not None  # the access decorator let only signed-in people through
    return user


def _next() -> str | None:
    return local_path(request.values.get("next"))


def _onward(target: str | None) -> Response:
    """Where a completed sign-in goes: the page asked for, by way of the password change when the
    password just typed has to be replaced."""
    if password_change_due():
        return redirect(url_for(".password", next=target), code=303)
    return redirect(target or url_for(".index"), code=303)


def _page(
    template: str, form: Any = None, errors: list[forms.Problem] | None = None, **context: Any
) -> tuple[str, int]:
    """Render a form page; with errors, the summary lists them and the status is 400."""
    if errors is None:
        errors = forms.problems(form) if form is not None else []
    html = render_template(template, form=form, errors=errors, **context)
    return html, 400 if errors else 200


# ---------------------------------------------------------------------------------------- login


@blueprint.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_ATTEMPTS, methods=["POST"])
def login() -> Any:
    target = _next()
    if request.method == "GET" and current_user() is not None:
        return redirect(target or url_for(".index"))
    form = forms.LoginForm()
    if form.validate_on_submit():
        db = database.session()
        typed = form.password.data or ""
        try:
            user = services.authenticate(db, form.email.data or "", typed)
        except services.LoginRefused as refusal:
            forms.add_error(form.email, refusal_message(refusal))
        else:
            # Checked now, while the password is at hand: one set before the rules, or leaked since;
            # or a temporary one an admin chose.
            must_replace = services.recheck_password(db, user, typed) is not None
            if user.totp_confirmed:
                start_pending(user, target, password_change=must_replace)
                return redirect(url_for(".totp"), code=303)
            services.record_login(db, user, second_factor=False)
            start_session(user, second_factor=False, password_change=must_replace)
            if user.needs_second_factor:
                target = url_for(".totp_setup", next=target)
            return _onward(target)
    return _page("accounts/login.html", form, target=target)


@blueprint.post("/logout")
@public
def logout() -> Response:
    user = current_user()
    if user is not None:
        services.record_logout(database.session(), user)
    end_session()
    flash(gettext("You have signed out."))
    return redirect(url_for(".login"), code=303)


@blueprint.route("/totp", methods=["GET", "POST"])
@public
def totp() -> Any:
    """The code after the password; also a later step-up for a session that has not given one."""
    pending = pending_login()
    if pending is not None:
        user, target = pending.user, pending.target
    else:
        signed = current_user()
        if signed is None or not signed.totp_confirmed:
            return redirect(url_for(".login", next=_next()))
        if second_factor_done():
            return redirect(_next() or url_for(".index"))
        user, target = signed, _next()
    form = forms.CodeForm()
    if form.validate_on_submit():
        db = database.session()
        try:
            services.check_login_code(db, user, form.code.data or "")
        except services.CodeRefused as refusal:
            if refusal.reason == "locked":
                end_session()  # the half-login (or the session asking for a step-up) ends
            forms.add_error(form.code, refusal_message(refusal))
        else:
            if pending is not None:
                services.record_login(db, user, second_factor=True)
                start_session(user, second_factor=True, password_change=pending.password_change)
            else:
                mark_second_factor()
            return _onward(target)
    return _page("accounts/totp.html", form, target=target)


@blueprint.route("/totp/setup", methods=["GET", "POST"])
@signed_in
def totp_setup() -> Any:
    user = _user()
    target = _next()
    if user.totp_confirmed:
        if second_factor_done():
            return redirect(target or url_for(".index"))
        return redirect(url_for(".totp", next=target))
    db = database.session()
    secret = services.start_totp_enrolment(db, user)
    form = forms.CodeForm()
    if form.validate_on_submit():
        try:
            services.confirm_totp(db, user, form.code.data or "")
        except services.CodeRefused as refusal:
            forms.add_error(form.code, refusal_message(refusal))
        else:
            mark_second_factor()
            flash(gettext("Your second factor is set up. From now on, you enter a code after your password."))
            return redirect(target or url_for(".index"), code=303)
    return _page(
        "accounts/totp_setup.html",
        form,
        target=target,
        secret=grouped(secret),
        uri=services.totp_uri(user, secret),
        user=user,
    )


# ------------------------------------------------------------------------------- own account


@blueprint.get("/")
@signed_in
def index() -> str:
    user = _user()
    usable = usable_roles(user)
    areas = []
    for role, endpoints in AREAS:
        if role in user.role_set:
            endpoint = next((name for name in endpoints if name in current_app.view_functions), None)
            areas.append((role, url_for(endpoint) if endpoint and role in usable else None))
    return render_template(
        "accounts/index.html",
        user=user,
        areas=areas,
        admin=ADMIN in usable,
        needs_setup=user.needs_second_factor and not second_factor_done(),
        role_labels=forms.ROLE_LABELS,
    )


@blueprint.route("/password", methods=["GET", "POST"])
@signed_in
def password() -> Any:
    """One's own password change; also the only staff page open while a required change is due."""
    user = _user()
    target = _next()
    form = forms.PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(database.session(), user, form.current.data or "", form.new.data or "")
        except services.PasswordRefused as refusal:
            field = form.current if refusal.reason == "current" else form.new
            forms.add_error(field, refusal_message(refusal))
        except services.LoginRefused as refusal:
            forms.add_error(form.current, refusal_message(refusal))
        else:
            continue_session(user, new_password=True)
            flash(gettext("Your password has been changed."))
            return redirect(target or url_for(".index"), code=303)
    return _page(
        "accounts/password.html",
        form,
        target=target,
        required=password_change_due(),
        temporary=user.must_change_password,
    )


# ------------------------------------------------------------------------------ administration


def _managed(user_id: int) -> User:
    found = database.session().get(User, user_id)
    if found is None:
        abort(404)
    return found


def _actor() -> str:
    return _user().email


@blueprint.route("/admin/users", methods=["GET", "POST"])
@requires(ADMIN)
def users() -> Any:
    db = database.session()
    form = forms.NewUserForm()
    if form.validate_on_submit():
        try:
            # The admin chose this password, so it is only for the first sign-in.
            created = services.create_user(
                db,
                form.email.data or "",
                form.roles.data or [],
                form.password.data or "",
                actor=_actor(),
                temporary=True,
            )
        except services.PasswordRefused as refusal:
            forms.add_error(form.password, refusal_message(refusal))
        except services.UserRefused as refusal:
            field = form.roles if refusal.reason in ("role", "no-role") else form.email
            forms.add_error(field, refusal_message(refusal))
        else:
            flash(gettext("Account created for %(email)s", email=created.email))
            return redirect(url_for(".users"), code=303)
    return _page(
        "accounts/users.html", form, users=services.all_users(db), role_labels=forms.ROLE_LABELS, now=database.utcnow()
    )


def _user_page(managed: User, errors: list[forms.Problem] | None = None, **extra: Any) -> tuple[str, int]:
    roles_form = extra.pop("roles_form", None) or forms.RolesForm(formdata=None, roles=sorted(managed.role_set))
    password_form = extra.pop("password_form", None) or forms.NewPasswordForm(formdata=None)
    problems = errors or forms.problems(roles_form) + forms.problems(password_form)
    return _page(
        "accounts/user.html",
        managed=managed,
        roles_form=roles_form,
        password_form=password_form,
        errors=problems,
        role_labels=forms.ROLE_LABELS,
        role_hints=forms.ROLE_HINTS,
        now=database.utcnow(),
        me=_user(),
    )


def _done(message: str, managed: User) -> Response:
    flash(message)
    return redirect(url_for(".user", user_id=managed.id), code=303)


@blueprint.get("/admin/users/<int:user_id>")
@requires(ADMIN)
def user(user_id: int) -> Any:
    return _user_page(_managed(user_id))


@blueprint.post("/admin/users/<int:user_id>/roles")
@requires(ADMIN)
def user_roles(user_id: int) -> Any:
    managed = _managed(user_id)
    form = forms.RolesForm()
    if form.validate_on_submit():
        try:
            services.set_roles(database.session(), managed, form.roles.data or [], actor=_actor())
        except services.UserRefused as refusal:
            forms.add_error(form.roles, refusal_message(refusal))
        else:
            return _done(gettext("The roles of %(email)s have been changed.", email=managed.email), managed)
    return _user_page(managed, roles_form=form)


@blueprint.post("/admin/users/<int:user_id>/disable")
@requires(ADMIN)
def user_disable(user_id: int) -> Any:
    managed = _managed(user_id)
    try:
        services.disable(database.session(), managed, by=_user(), actor=_actor())
    except services.UserRefused as refusal:
        return _user_page(managed, [forms.Problem("disable", refusal_message(refusal))])
    return _done(gettext("%(email)s can no longer sign in.", email=managed.email), managed)


@blueprint.post("/admin/users/<int:user_id>/enable")
@requires(ADMIN)
def user_enable(user_id: int) -> Any:
    managed = _managed(user_id)
    services.enable(database.session(), managed, actor=_actor())
    return _done(gettext("%(email)s can sign in again.", email=managed.email), managed)


@blueprint.post("/admin/users/<int:user_id>/second-factor")
@requires(ADMIN)
def user_reset_totp(user_id: int) -> Any:
    managed, me = _managed(user_id), _user()
    services.reset_totp(database.session(), managed, actor=me.email)
    if managed.id == me.id:
        continue_session(managed, second_factor=False)  # this session goes on, to enrol again
    return _done(gettext("%(email)s sets up a new second factor at the next sign-in.", email=managed.email), managed)


@blueprint.post("/admin/users/<int:user_id>/password")
@requires(ADMIN)
def user_password(user_id: int) -> Any:
    managed = _managed(user_id)
    form = forms.NewPasswordForm()
    if form.validate_on_submit():
        me = _user()
        try:
            # Someone else's password is temporary (they replace it at their next sign-in); one's own is not.
            services.set_password(
                database.session(), managed, form.password.data or "", actor=_actor(), temporary=managed.id != me.id
            )
        except services.PasswordRefused as refusal:
            forms.add_error(form.password, refusal_message(refusal))
        else:
            if managed.id == me.id:
                continue_session(managed, new_password=True)
            return _done(gettext("The password of %(email)s has been changed.", email=managed.email), managed)
    return _user_page(managed, password_form=form)
