"""Every page declares who may use it; the decorators record that policy on the view."""

from __future__ import annotations

import pytest
from flask import Flask

from survey.accounts.access import PUBLIC, SIGNED_IN, access_policy, local_path, public, requires, signed_in
from survey.accounts.models import ROLES

# The respondent pages are open to everyone by design (respondents have no accounts).
PUBLIC_BY_DEFAULT_BLUEPRINTS = {"respond"}
PUBLIC_BY_DEFAULT_ENDPOINTS = {"static"}


def declared(app: Flask, endpoint: str):
    if endpoint in PUBLIC_BY_DEFAULT_ENDPOINTS or endpoint.split(".", 1)[0] in PUBLIC_BY_DEFAULT_BLUEPRINTS:
        return PUBLIC
    return access_policy(app.view_functions[endpoint])


def test_every_route_declares_who_may_use_it(app):
    undeclared = sorted(
        f"{rule.rule} -> {rule.endpoint}" for rule in app.url_map.iter_rules() if declared(app, rule.endpoint) is None
    )
    assert undeclared == [], "add @public, @signed_in or @requires(...) below the route decorator"


def test_declared_policies_are_known_values(app):
    for rule in app.url_map.iter_rules():
        policy = declared(app, rule.endpoint)
        assert policy in (PUBLIC, SIGNED_IN) or (isinstance(policy, frozenset) and policy and policy <= set(ROLES))


def test_account_pages_have_the_intended_policies(app):
    expected = {
        "accounts.login": PUBLIC,
        "accounts.logout": PUBLIC,
        "accounts.totp": PUBLIC,
        "accounts.totp_setup": SIGNED_IN,
        "accounts.index": SIGNED_IN,
        "accounts.password": SIGNED_IN,
        "accounts.users": frozenset({"admin"}),
        "accounts.user": frozenset({"admin"}),
        "accounts.user_roles": frozenset({"admin"}),
        "accounts.user_disable": frozenset({"admin"}),
        "accounts.user_enable": frozenset({"admin"}),
        "accounts.user_reset_totp": frozenset({"admin"}),
        "accounts.user_password": frozenset({"admin"}),
    }
    found = {name: access_policy(view) for name, view in app.view_functions.items() if name.startswith("accounts.")}
    assert found == expected


def test_decorators_record_the_policy_and_an_undecorated_view_has_none():
    def view() -> str:
        return ""

    assert access_policy(view) is None
    assert access_policy(public(view)) == PUBLIC
    assert access_policy(signed_in(lambda: "")) == SIGNED_IN
    assert access_policy(requires("researcher", "admin")(lambda: "")) == frozenset({"researcher", "admin"})


def test_requires_refuses_unknown_or_missing_roles():
    with pytest.raises(ValueError):
        requires("reseacher")
    with pytest.raises(ValueError):
        requires()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/interview/", "/interview/"),
        ("/research/export?x=1", "/research/export?x=1"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"),
        ("/\r\nSet-Cookie: x", None),
        ("javascript:alert(1)", None),
        ("interview", None),
        ("", None),
        (None, None),
    ],
)
def test_only_local_paths_are_redirect_targets(target, expected):
    assert local_path(target) == expected
