"""Staff accounts: admins, researchers and interviewers. Respondents never have an account."""

from __future__ import annotations

import datetime

from flask import current_app, has_app_context
from sqlalchemy import Boolean, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow

ADMIN = "admin"
RESEARCHER = "researcher"
INTERVIEWER = "interviewer"
ROLES = (ADMIN, RESEARCHER, INTERVIEWER)
# Roles that see more than one person's work: usable only after a second factor in this session.
SECOND_FACTOR_ROLES = frozenset({ADMIN, RESEARCHER})
# The setting that adds interviewers to them (off by default: docs/security.md says why).
INTERVIEWER_SECOND_FACTOR = "INTERVIEWER_SECOND_FACTOR"


def second_factor_roles() -> frozenset[str]:
    """The roles that need a second factor on this site: admins and researchers, and interviewers
    too where INTERVIEWER_SECOND_FACTOR is set."""
    if has_app_context() and current_app.config.get(INTERVIEWER_SECOND_FACTOR):
        return SECOND_FACTOR_ROLES | {INTERVIEWER}
    return SECOND_FACTOR_ROLES


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-case, so uniqueness does not depend on how someone typed it.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Argon2id, in the PHC string format (parameters and salt included).
    password_hash: Mapped[str] = mapped_column(String(255))
    # Comma-separated, sorted, from ROLES; one person may hold several.
    roles: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Consecutive failed attempts (password or second factor); reset by a successful login.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime())
    # The TOTP secret sealed with the TOTP key kept outside the database (accounts/sealing.py); set at
    # enrolment, in use once confirmed with a valid code. A bare base32 value is from before sealing and
    # is sealed at its next use.
    totp_secret: Mapped[str | None] = mapped_column(String(128))
    totp_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last accepted TOTP time step: a code is accepted once (no replay within its window).
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A temporary password, set by an admin for someone else (or `users create|set-password
    # --temporary`): the next sign-in has to replace it first. Cleared by the user's own change.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Copied into each signed session at login; a session carrying another number is over. Raised by
    # logout, password changes, a second-factor reset and disabling, so copies of a cookie stop working.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_login_at: Mapped[datetime.datetime | None] = mapped_column(UTCDateTime())

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(role for role in self.roles.split(",") if role)

    @role_set.setter
    def role_set(self, roles: frozenset[str] | set[str]) -> None:
        self.roles = ",".join(sorted(roles))

    @property
    def needs_second_factor(self) -> bool:
        """Whether this person's roles require a second factor before their pages open."""
        return bool(self.role_set & second_factor_roles())

    def is_locked(self, now: datetime.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.roles}>"
