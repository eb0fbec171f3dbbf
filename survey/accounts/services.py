"""Account services: create and change users, check passwords with lockout, enrol and check the
second factor. Each takes a session, commits its change with an audit event, and raises a domain
exception (never an HTTP error) when it refuses."""

from __future__ import annotations

import contextlib
import datetime
import logging
import re
import secrets
from collections.abc import Iterable

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .. import audit
from ..db import utcnow
from . import passwords, sealing, totp
from .models import ADMIN, INTERVIEWER, RESEARCHER, ROLES, User

MAX_FAILED_LOGINS = 5
LOCKOUT = datetime.timedelta(minutes=15)
DEMO_ADMIN_EMAIL = "admin@demo.invalid"
TOTP_ISSUER = "Wetterau survey"

log = logging.getLogger(__name__)

# RFC 5322 "atext" before the @, an ASCII host name after it: enough for staff addresses, and no
# spaces, angle brackets or control characters.
_EMAIL = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")


class AccountError(Exception):
    """A refused account operation; `reason` names it, views turn it into a translated message."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


class LoginRefused(AccountError):
    """reason "wrong" (unknown email, wrong password or disabled account: one message for all three)
    or "locked" (too many failed attempts; try again later)."""


class PasswordRefused(AccountError):
    """reason "short", "long", "email", "breached", "common" (rules), or "current" (wrong current
    password)."""


class UserRefused(AccountError):
    """reason "email" (not an address), "taken", "role" (detail: the unknown role), "no-role",
    "last-admin" or "self" (an admin cannot disable themselves)."""


class CodeRefused(AccountError):
    """reason "wrong" (not the current code, or already used), "locked", or "unreadable" (the stored
    secret does not open with this server's TOTP key: an operator's problem, not the user's)."""


def _record(db: Session, event: str, actor: str, detail: str = "") -> None:
    """An audit event (cut to the log's column sizes); never a password, code or secret."""
    audit.record(db, event, actor[:128], detail[:1024])


# ---------------------------------------------------------------------------------------- users


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_roles(roles: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(role.strip().lower() for role in roles if role.strip())
    for role in sorted(chosen):
        if role not in ROLES:
            raise UserRefused("role", role)
    if not chosen:
        raise UserRefused("no-role")
    return chosen


def check_password(password: str, email: str) -> None:
    reason = passwords.problem(password, email)
    if reason is not None:
        raise PasswordRefused(reason)


def _hash(password: str) -> str:
    return passwords.password_hasher().hash(password)


def find_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == normalise_email(email)))


def all_users(db: Session) -> list[User]:
    return list(db.scalars(select(User).order_by(User.email)))


def create_user(
    db: Session, email: str, roles: Iterable[str], password: str, actor: str = "cli", temporary: bool = False
) -> User:
    """A new active account; the password must follow the rules. `temporary`: someone else chose it,
    so the first sign-in has to replace it. Raises UserRefused/PasswordRefused."""
    email = normalise_email(email)
    if len(email) > 254 or not _EMAIL.match(email):
        raise UserRefused("email")
    chosen = check_roles(roles)
    if find_by_email(db, email) is not None:
        raise UserRefused("taken")
    check_password(password, email)
    now = utcnow()
    user = User(
        email=email,
        password_hash=_hash(password),
        active=True,
        failed_logins=0,
        totp_confirmed=False,
        created_at=now,
        password_changed_at=now,
        must_change_password=temporary,
    )
    user.role_set = chosen
    db.add(user)
    _record(db, "user.created", actor, f"user={email} roles={user.roles}" + (" temporary" if temporary else ""))
    db.commit()
    return user


def _active_admins(db: Session) -> int:
    found = db.scalars(select(User.roles).where(User.active.is_(True)))
    return sum(1 for roles in found if ADMIN in roles.split(","))


def set_roles(db: Session, user: User, roles: Iterable[str], actor: str) -> User:
    """Replace a user's roles; the last active admin keeps the admin role."""
    chosen = check_roles(roles)
    if ADMIN in user.role_set and ADMIN not in chosen and user.active and _active_admins(db) <= 1:
        raise UserRefused("last-admin")
    before = user.roles
    user.role_set = chosen
    _record(db, "user.roles_changed", actor, f"user={user.email} roles={before}->{user.roles}")
    db.commit()
    return user


def disable(db: Session, user: User, by: User | None, actor: str) -> User:
    """Stop an account from logging in; its sessions end at their next request."""
    if by is not None and by.id == user.id:
        raise UserRefused("self")
    if ADMIN in user.role_set and user.active and _active_admins(db) <= 1:
        raise UserRefused("last-admin")
    user.active = False
    end_sessions(db, user)
    _record(db, "user.disabled", actor, f"user={user.email}")
    db.commit()
    return user


def enable(db: Session, user: User, actor: str) -> User:
    """Allow an account to log in again; also lifts a lockout."""
    user.active = True
    user.failed_logins = 0
    user.locked_until = None
    _record(db, "user.enabled", actor, f"user={user.email}")
    db.commit()
    return user


def set_password(db: Session, user: User, password: str, actor: str, temporary: bool = False) -> User:
    """A new password set by an admin or on the command line; ends all of the user's sessions.
    `temporary`: someone else chose it, so the next sign-in has to replace it (else a pending
    requirement is lifted: the password is the user's own)."""
    check_password(password, user.email)
    _store_password(db, user, password)
    user.failed_logins = 0
    user.locked_until = None
    user.must_change_password = temporary
    _record(db, "password.reset", actor, f"user={user.email}" + (" temporary" if temporary else ""))
    db.commit()
    return user


def _store_password(db: Session, user: User, password: str) -> None:
    user.password_hash = _hash(password)
    user.password_changed_at = utcnow()
    end_sessions(db, user)


def end_sessions(db: Session, user: User) -> None:
    """Every session of this account ends at its next request, wherever its cookie was copied to
    (atomically, so two changes at once both count). The caller commits."""
    db.execute(update(User).where(User.id == user.id).values(session_generation=User.session_generation + 1))
    db.refresh(user, ["session_generation"])


def change_password(db: Session, user: User, current: str, new: str) -> User:
    """The user's own change: needs the current password (a wrong one counts towards lockout). Ends
    every session of the account; the caller carries its own session on with the new generation."""
    now = utcnow()
    if user.is_locked(now):
        raise LoginRefused("locked")
    if not _verify(user, current):
        _failed(db, user, "password-change")
        db.commit()
        raise PasswordRefused("current")
    check_password(new, user.email)
    _store_password(db, user, new)
    user.failed_logins = 0
    user.must_change_password = False
    _record(db, "password.changed", user.email)
    db.commit()
    return user


# ---------------------------------------------------------------------------------------- login

_dummy_hashes: dict[tuple[int, int, int], str] = {}


def _dummy_hash() -> str:
    """A hash to check unknown emails against, so they take as long as known ones."""
    hasher = passwords.password_hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = hasher.hash(secrets.token_urlsafe(16))
    return _dummy_hashes[key]


def _verify(user: User, password: str) -> bool:
    hasher = passwords.password_hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)  # parameters were raised since it was stored
    return True


def _failed(db: Session, user: User, reason: str) -> None:
    """Count a failed attempt (atomically, parallel attempts all count) and lock at the limit."""
    db.execute(update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1))
    db.refresh(user, ["failed_logins"])
    _record(db, "login.failed", user.email, f"reason={reason}")
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.failed_logins = 0
        user.locked_until = utcnow() + LOCKOUT
        _record(db, "account.locked", user.email, f"until={user.locked_until.isoformat(timespec='seconds')}")


def authenticate(db: Session, email: str, password: str) -> User:
    """The first step of a login: the account whose password this is. The caller then asks for
    the second factor (user.totp_confirmed) or calls `record_login`. Raises LoginRefused."""
    user = find_by_email(db, email) if len(email) <= 254 else None
    if user is None:
        _verify_nothing(password)
        _record(db, "login.failed", "", "reason=unknown-email")  # typed emails may be passwords
        db.commit()
        raise LoginRefused("wrong")
    if user.is_locked(utcnow()):
        _record(db, "login.refused", user.email, "reason=locked")
        db.commit()
        raise LoginRefused("locked")
    if not _verify(user, password[: passwords.MAX_LENGTH * 4]):
        _failed(db, user, "password")
        db.commit()
        raise LoginRefused("locked" if user.is_locked(utcnow()) else "wrong")
    if not user.active:
        _record(db, "login.failed", user.email, "reason=disabled")
        db.commit()
        raise LoginRefused("wrong")
    db.commit()
    return user


def recheck_password(db: Session, user: User, password: str) -> str | None:
    """Why the password `user` has just signed in with has to be replaced before anything else: a
    reason as from `passwords.problem` when today's rules refuse it, "temporary" when someone else
    chose it (`must_change_password`), or None. Passwords set before the rules, or that have joined
    the leaked lists since, are found only here: the hash cannot be checked, so this runs while the
    typed password is at hand. A refusal is audited; the caller has the session change it first."""
    reason = passwords.problem(password, user.email)
    if reason is None and user.must_change_password:
        reason = "temporary"
    if reason is not None:
        _record(db, "password.change_required", user.email, f"reason={reason}")
        db.commit()
    return reason


def _verify_nothing(password: str) -> None:
    with contextlib.suppress(VerificationError, InvalidHashError):
        passwords.password_hasher().verify(_dummy_hash(), password[: passwords.MAX_LENGTH * 4])


def record_login(db: Session, user: User, second_factor: bool) -> User:
    """The login is complete: reset the failure count and note it."""
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    _record(db, "login", user.email, f"second_factor={'yes' if second_factor else 'no'}")
    db.commit()
    return user


def record_logout(db: Session, user: User) -> None:
    """Signing out ends this account's sessions everywhere, so a copied cookie is worthless too."""
    end_sessions(db, user)
    _record(db, "logout", user.email)
    db.commit()


def check_login_code(db: Session, user: User, code: str) -> User:
    """The second step of a login: the current TOTP code. Wrong codes count towards lockout."""
    if user.is_locked(utcnow()):
        _record(db, "login.refused", user.email, "reason=locked")
        db.commit()
        raise CodeRefused("locked")
    if not user.active or not user.totp_confirmed or user.totp_secret is None:
        raise CodeRefused("wrong")
    secret = _open_secret(db, user)
    step = totp.matching_step(secret, code, after_step=user.totp_last_step)
    if step is None:
        _failed(db, user, "second-factor")
        db.commit()
        raise CodeRefused("locked" if user.is_locked(utcnow()) else "wrong")
    user.totp_last_step = step
    db.commit()
    return user


# ---------------------------------------------------------------------------------------- TOTP


def _open_secret(db: Session, user: User) -> str:
    """The user's base32 secret, unsealed with the TOTP key. A bare value from before sealing is
    accepted and sealed in its place (the caller commits). Raises CodeRefused("unreadable")."""
    stored = user.totp_secret
    assert stored is not None
    key = sealing.app_key()
    if not sealing.is_sealed(stored):
        user.totp_secret = sealing.seal(stored, user.id, key)
        return stored
    try:
        return sealing.unseal(stored, user.id, key)
    except sealing.SealError as error:
        log.error("second factor unusable: %s", error)
        _record(db, "totp.unreadable", user.email, "reason=key")
        db.commit()
        raise CodeRefused("unreadable") from None


def store_totp_secret(user: User, secret: str) -> None:
    """Keep `secret` sealed under the TOTP key, bound to this (stored) account. The caller commits."""
    user.totp_secret = sealing.seal(secret, user.id, sealing.app_key())


def start_totp_enrolment(db: Session, user: User) -> str:
    """The secret to enter into an authenticator app; the same one until it is confirmed. An
    unconfirmed one that no longer opens is replaced (nothing depends on it yet)."""
    if user.totp_secret is not None:
        try:
            secret = _open_secret(db, user)
        except CodeRefused:
            if user.totp_confirmed:
                raise
        else:
            db.commit()  # a secret from before sealing is now sealed
            return secret
    secret = totp.new_secret()
    store_totp_secret(user, secret)
    db.commit()
    return secret


def totp_uri(user: User, secret: str) -> str:
    return totp.provisioning_uri(secret, user.email, TOTP_ISSUER)


def confirm_totp(db: Session, user: User, code: str) -> User:
    """Confirm enrolment with a code from the app; from now on every login asks for one."""
    if user.totp_secret is None:
        raise CodeRefused("wrong")
    step = totp.matching_step(_open_secret(db, user), code, after_step=user.totp_last_step)
    if step is None:
        _record(db, "totp.enrol_failed", user.email)
        db.commit()
        raise CodeRefused("wrong")
    user.totp_confirmed = True
    user.totp_last_step = step
    _record(db, "totp.enrolled", user.email)
    db.commit()
    return user


def reset_totp(db: Session, user: User, actor: str) -> User:
    """Forget a lost authenticator: the user enrols again at the next login."""
    user.totp_secret = None
    user.totp_confirmed = False
    user.totp_last_step = None
    end_sessions(db, user)
    _record(db, "totp.reset", actor, f"user={user.email}")
    db.commit()
    return user


# ---------------------------------------------------------------------------------------- demo


def ensure_demo_admin(db: Session) -> str | None:
    """On an empty user table, create admin@demo.invalid with every role and a random password,
    which is returned to be shown once; None when there are users already."""
    if db.scalar(select(func.count()).select_from(User)):
        return None
    password = secrets.token_urlsafe(18)
    create_user(db, DEMO_ADMIN_EMAIL, (ADMIN, RESEARCHER, INTERVIEWER), password, actor="demo")
    return password
