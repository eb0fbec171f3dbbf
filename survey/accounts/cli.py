"""`flask users ...`: create and list staff accounts, and the recovery steps an admin locked out of
the web pages needs (new password, new second factor)."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext

from .. import db
from . import services
from .models import ROLES, User

PASSWORD_VARIABLE = "SURVEY_USER_PASSWORD"
TEMPORARY_HELP = "Someone else chose the password: the user has to replace it at the next sign-in."


def _password() -> str:
    """From SURVEY_USER_PASSWORD (automation), else a hidden prompt typed twice."""
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    if from_environment:
        return from_environment
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _explain(error: services.AccountError) -> str:
    messages = {
        "email": "not an email address",
        "taken": "there is already an account with this email address",
        "role": f"unknown role '{error.detail}' (roles: {', '.join(ROLES)})",
        "no-role": f"give at least one --role ({', '.join(ROLES)})",
        "last-admin": "the last active administrator must keep the admin role",
        "short": "the password is too short (at least 12 characters)",
        "long": "the password is too long (at most 128 characters)",
        "email-password": "the password must not be the email address",
        "breached": "the password is known from leaked password lists, or is too close to one; choose another",
        "common": "the password is too easy to guess; choose a longer, less common one",
    }
    key = "email-password" if isinstance(error, services.PasswordRefused) and error.reason == "email" else error.reason
    return messages.get(key, error.reason)


def _find(email: str) -> User:
    user = services.find_by_email(db.session(), email)
    if user is None:
        raise click.ClickException(f"no account with the email address {email}")
    return user


@click.group("users", help="Staff accounts (admins, researchers, interviewers).")
def users_group() -> None:
    pass


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--role", "roles", multiple=True, required=True, help=f"One of {', '.join(ROLES)}; repeat for more.")
@click.option("--temporary", is_flag=True, help=TEMPORARY_HELP)
@with_appcontext
def create(email: str, roles: tuple[str, ...], temporary: bool) -> None:
    """Create an account. The password comes from a hidden prompt, or from SURVEY_USER_PASSWORD."""
    session = db.session()
    try:
        # Check what can be checked before asking for a password.
        services.check_roles(roles)
        if services.find_by_email(session, email) is not None:
            raise services.UserRefused("taken")
        user = services.create_user(session, email, roles, _password(), actor="cli", temporary=temporary)
    except services.AccountError as error:
        raise click.ClickException(_explain(error)) from None
    click.echo(f"created {user.email} ({user.roles})")
    if temporary:
        click.echo("they choose a new password at the first sign-in")
    if user.needs_second_factor:
        click.echo("they set up their second factor (an authenticator app) at the first sign-in")


@users_group.command("list")
@with_appcontext
def list_users() -> None:
    """Every account with its roles and status."""
    now = db.utcnow()
    for user in services.all_users(db.session()):
        status = "disabled" if not user.active else "locked" if user.is_locked(now) else "active"
        factor = "totp" if user.totp_confirmed else "no-totp"
        click.echo(f"{user.email}\t{user.roles}\t{status}\t{factor}")


@users_group.command("set-password")
@click.option("--email", required=True)
@click.option("--temporary", is_flag=True, help=TEMPORARY_HELP)
@with_appcontext
def set_password(email: str, temporary: bool) -> None:
    """A new password (hidden prompt or SURVEY_USER_PASSWORD); lifts a lockout.

    Without --temporary the password counts as the user's own (the recovery of an admin locked out
    of the web pages, who types it themselves) and lifts a pending required change."""
    user = _find(email)
    try:
        services.set_password(db.session(), user, _password(), actor="cli", temporary=temporary)
    except services.AccountError as error:
        raise click.ClickException(_explain(error)) from None
    click.echo(f"new password set for {user.email}")
    if temporary:
        click.echo("they choose a new password at the next sign-in")


@users_group.command("reset-second-factor")
@click.option("--email", required=True)
@with_appcontext
def reset_second_factor(email: str) -> None:
    """Forget the authenticator app (lost phone); a new one is set up at the next sign-in."""
    user = _find(email)
    services.reset_totp(db.session(), user, actor="cli")
    click.echo(f"{user.email} sets up a new second factor at the next sign-in")
