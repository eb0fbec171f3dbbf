"""Who is signed in, and who may use which page.

Every view declares its policy with one of three decorators, recorded on the view function as
`view.access` (read it with `access_policy`):

- `@public`: anyone ("public");
- `@signed_in`: any account, once the password is checked ("signed-in");
- `@requires("researcher", ...)`: an account holding one of these roles (a frozenset of them).
  Admin and researcher roles count only once this session has passed the second factor; so does
  the interviewer role where the INTERVIEWER_SECOND_FACTOR setting is on.

Put the decorator below `@blueprint.route(...)`, so the registered function carries the policy.

A session whose password failed today's rules at sign-in, or was a temporary one an admin set
(`start_session(password_change=True)`), is signed in, but every `@signed_in` or `@requires` page
except the password change sends it to that page first; `@public` pages (sign-out, the code step,
respondent pages) and static files stay open.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, g, has_request_context, redirect, request, session, url_for
from werkzeug.wrappers import Response

from .. import db as database
from .models import ROLES, User, second_factor_roles

PUBLIC = "public"
SIGNED_IN = "signed-in"
Policy = str | frozenset[str]

SESSION_KEY = "account"
PENDING_KEY = "account_pending"
# A session older than this asks for the password (and code) again.
DEFAULT_SESSION_HOURS = 12
# Between a correct password and the code: long enough to open the app, short enough to be useless.
PENDING_SECONDS = 5 * 60
# Session entries kept when the session is renewed: preferences, nothing that grants anything.
KEPT_ON_RENEWAL = ("lang",)
# The one page a session that has to replace its password may open besides public ones.
PASSWORD_CHANGE_ENDPOINT = "accounts.password"

View = TypeVar("View", bound=Callable[..., Any])


# ------------------------------------------------------------------------------- policy markers


def public(view: View) -> View:
    """Anyone may use this page, signed in or not."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def signed_in(view: View) -> View:
    """Any account may use this page once its password is checked (e.g. to enrol a second factor)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return _to_login()
        if _held_for_password_change():
            return _to_password_change()
        return view(*args, **kwargs)

    wrapper.access = SIGNED_IN  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def requires(*roles: str) -> Callable[[View], View]:
    """Only accounts holding one of `roles`: anonymous people go to the login page, others get 403,
    and admins/researchers without a second factor in this session are sent to it first."""
    unknown = sorted(set(roles) - set(ROLES))
    if not roles or unknown:
        raise ValueError(f"requires() needs roles from {ROLES}, got {roles!r}")
    wanted = frozenset(roles)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return _to_login()
            if _held_for_password_change():
                return _to_password_change()
            held = user.role_set & wanted
            if not held:
                abort(403)
            if not held & usable_roles(user):
                return _to_second_factor(user)
            return view(*args, **kwargs)

        wrapper.access = wanted  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def access_policy(view: Callable[..., Any]) -> Policy | None:
    """The policy a view declared ("public", "signed-in" or a frozenset of roles), or None."""
    policy = getattr(view, "access", None)
    return policy if isinstance(policy, str | frozenset) else None


# ------------------------------------------------------------------------------------ the user


def current_user() -> User | None:
    """The signed-in account of this request, or None (anonymous, expired, disabled, or a session
    the account has ended since: logout, password change, second-factor reset)."""
    if not has_request_context():
        return None
    if "account_user" not in g:
        g.account_user = _load_user()
    return g.account_user


def _load_user() -> User | None:
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    user_id, started = data.get("id"), data.get("at")
    if not isinstance(user_id, int) or not isinstance(started, int | float):
        return None
    max_age = current_app.config.get("ACCOUNT_SESSION_HOURS", DEFAULT_SESSION_HOURS) * 3600
    if time.time() - started > max_age:
        session.pop(SESSION_KEY, None)
        return None
    user = database.session().get(User, user_id)
    if user is None or not user.active or not _current_generation(data, user):
        session.pop(SESSION_KEY, None)
        return None
    return user


def _current_generation(data: dict[str, Any], user: User) -> bool:
    """Whether the session carries the account's session generation, i.e. has not been ended since
    (the signed cookie holds the number; the database says which one is valid)."""
    generation = data.get("gen")
    return isinstance(generation, int) and not isinstance(generation, bool) and generation == user.session_generation


def second_factor_done() -> bool:
    """Whether this session passed the second factor (and the account still has one)."""
    user = current_user()
    data = session.get(SESSION_KEY)
    return bool(user is not None and user.totp_confirmed and isinstance(data, dict) and data.get("mfa") is True)


def password_change_due() -> bool:
    """Whether this session signed in with a password that today's rules refuse (leaked, too easy to
    guess) or that an admin set for the user (temporary): it must choose a new one before any other
    staff page opens."""
    data = session.get(SESSION_KEY)
    return current_user() is not None and isinstance(data, dict) and data.get("new_password") is True


def _held_for_password_change() -> bool:
    return password_change_due() and request.endpoint != PASSWORD_CHANGE_ENDPOINT


def usable_roles(user: User) -> frozenset[str]:
    """The roles this session may act in: admin and researcher (and, where the site says so,
    interviewer) only after the second factor."""
    if second_factor_done():
        return user.role_set
    return user.role_set - second_factor_roles()


# ------------------------------------------------------------------------------ session changes


def _renew() -> None:
    """A new session: nothing from before the login (or logout) carries over but preferences."""
    kept = {key: session[key] for key in KEPT_ON_RENEWAL if key in session}
    session.clear()
    session.update(kept)
    g.pop("account_user", None)


def start_session(user: User, second_factor: bool, password_change: bool = False) -> None:
    """A signed-in session; `password_change`: the password just typed must be replaced first."""
    _renew()
    session[SESSION_KEY] = {
        "id": user.id,
        "at": time.time(),
        "mfa": second_factor,
        "gen": user.session_generation,
        "new_password": password_change,
    }


def start_pending(user: User, target: str | None, password_change: bool = False) -> None:
    """Password checked, code still to come: no access yet, only the right to enter the code. The
    verdict on the password is kept for the session that the code starts (the password is not)."""
    _renew()
    session[PENDING_KEY] = {
        "id": user.id,
        "at": time.time(),
        "next": target or "",
        "gen": user.session_generation,
        "new_password": password_change,
    }


class PendingLogin(NamedTuple):
    """A half-login waiting for its code: who, where to go next, and whether the password must go."""

    user: User
    target: str | None
    password_change: bool


def pending_login() -> PendingLogin | None:
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    started = data.get("at")
    if not isinstance(started, int | float) or time.time() - started > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    user = database.session().get(User, data["id"])
    if user is None or not user.active or not _current_generation(data, user):
        session.pop(PENDING_KEY, None)
        return None
    return PendingLogin(user, local_path(data.get("next")), data.get("new_password") is True)


def mark_second_factor() -> None:
    """Step-up within a session (enrolment, or a code entered later): keeps the rest of the session."""
    data = dict(session.get(SESSION_KEY) or {})
    data["mfa"] = True
    session[SESSION_KEY] = data


def continue_session(user: User, second_factor: bool | None = None, new_password: bool = False) -> None:
    """After a change to one's own account ended every session (a new password, a second factor reset
    on oneself): this one goes on, with the new session generation and its original expiry, while
    copies of it and all other sessions stay ended. `second_factor=False` withdraws the step-up;
    `new_password=True` (a password that passed the rules is stored) lifts a required change."""
    data = dict(session.get(SESSION_KEY) or {})
    data["gen"] = user.session_generation
    if second_factor is not None:
        data["mfa"] = second_factor
    if new_password:
        data["new_password"] = False
    session[SESSION_KEY] = data
    g.pop("account_user", None)


def end_session() -> None:
    _renew()


# ----------------------------------------------------------------------------------- redirects


def local_path(target: Any) -> str | None:
    """`target` if it is a path on this site ("/interview/?x=1"), else None: never another host."""
    if not isinstance(target, str) or not target.startswith("/") or len(target) > 2000:
        return None
    if target.startswith("//") or "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _here() -> str | None:
    """The current page, to come back to after logging in (GET only: a POST cannot be replayed)."""
    if request.method != "GET":
        return None
    return local_path(request.full_path.rstrip("?"))


def _to_login() -> Response:
    return redirect(url_for("accounts.login", next=_here()))


def _to_password_change() -> Response:
    return redirect(url_for(PASSWORD_CHANGE_ENDPOINT, next=_here()))


def _to_second_factor(user: User) -> Response:
    endpoint = "accounts.totp" if user.totp_confirmed else "accounts.totp_setup"
    return redirect(url_for(endpoint, next=_here()))
