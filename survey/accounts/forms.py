"""Account forms: what each page accepts and the messages for missing input. Rules that need the
database or the password policy live in the services; views attach their refusals to fields."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, SelectMultipleField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from .models import ADMIN, INTERVIEWER, RESEARCHER, ROLES

ROLE_LABELS = {
    ADMIN: lazy_gettext("Administrator"),
    RESEARCHER: lazy_gettext("Researcher"),
    INTERVIEWER: lazy_gettext("Interviewer"),
}
ROLE_HINTS = {
    ADMIN: lazy_gettext("Manages accounts."),
    RESEARCHER: lazy_gettext("Works with the study's data and reports."),
    INTERVIEWER: lazy_gettext("Runs assisted interviews and sees only their own."),
}


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=lazy_gettext("Enter at most %(max)d characters"))


def _role_choices() -> list[tuple[str, str]]:
    return [(role, str(ROLE_LABELS[role])) for role in ROLES]


class LoginForm(FlaskForm):
    email = StringField(
        lazy_gettext("Email address"),
        validators=[InputRequired(lazy_gettext("Enter your email address")), _at_most(254)],
    )
    password = PasswordField(
        lazy_gettext("Password"),
        validators=[InputRequired(lazy_gettext("Enter your password")), _at_most(1024)],
    )


class CodeForm(FlaskForm):
    code = StringField(
        lazy_gettext("Code from your authenticator app"),
        validators=[InputRequired(lazy_gettext("Enter the 6-digit code from your app")), _at_most(20)],
    )


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        lazy_gettext("Current password"),
        validators=[InputRequired(lazy_gettext("Enter your current password")), _at_most(1024)],
    )
    new = PasswordField(
        lazy_gettext("New password"),
        validators=[InputRequired(lazy_gettext("Enter a new password")), _at_most(1024)],
    )
    confirm = PasswordField(
        lazy_gettext("Repeat the new password"),
        validators=[
            InputRequired(lazy_gettext("Enter the new password again")),
            EqualTo("new", lazy_gettext("The two new passwords are not the same")),
        ],
    )


class RolesField(SelectMultipleField):
    def pre_validate(self, form: FlaskForm) -> None:
        if any(value not in ROLES for value in self.data or []):
            raise ValidationError(lazy_gettext("Choose roles from the list"))


class RolesForm(FlaskForm):
    roles = RolesField(
        lazy_gettext("Roles"),
        choices=_role_choices,
        validators=[InputRequired(lazy_gettext("Choose at least one role"))],
    )


class NewUserForm(RolesForm):
    email = StringField(
        lazy_gettext("Email address"),
        validators=[InputRequired(lazy_gettext("Enter an email address")), _at_most(254)],
    )
    password = PasswordField(
        lazy_gettext("Initial password"),
        validators=[InputRequired(lazy_gettext("Enter an initial password")), _at_most(1024)],
    )

    def field_order(self) -> list[Field]:
        return [self.email, self.roles, self.password]


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        lazy_gettext("New password"),
        validators=[InputRequired(lazy_gettext("Enter a new password")), _at_most(1024)],
    )


@dataclass(frozen=True)
class Problem:
    """One message in the error summary, linking to the field (`anchor`) it is about."""

    anchor: str
    message: str


def anchor(field: Field) -> str:
    """The element the summary links to: the first checkbox of a group, else the input itself."""
    return f"{field.id}-0" if isinstance(field, SelectMultipleField) else field.id


def problems(form: FlaskForm) -> list[Problem]:
    """The first message of each field with errors, in page order."""
    fields = form.field_order() if hasattr(form, "field_order") else list(form)
    return [Problem(anchor(field), str(field.errors[0])) for field in fields if field.errors]


def add_error(field: Field, message: str) -> None:
    field.errors = [*field.errors, message]
