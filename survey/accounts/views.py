"""Account pages: login, logout, password change, second factor, user administration."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("accounts", __name__, url_prefix="/account")
