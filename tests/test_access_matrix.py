"""Every route states who may use it, and each kind of user reaches exactly the routes allowed."""

from __future__ import annotations

import pytest

from survey.accounts.access import PUBLIC, SIGNED_IN, access_policy

from .accounts.signin import login
from .conftest import csrf_token

ARGUMENTS = {
    "questionnaire_id": "every-type",
    "question_id": "birth_year",
    "lang": "ar",
    "page_id": "consent",
    "roster_id": "relatives",
    "number": "1",
    "interview_id": "0" * 32,
    "user_id": "1",
    "filename": "survey.css",
}
USERS = {
    "anonymous": None,
    "interviewer": ["interviewer"],
    "researcher": ["researcher"],
    "admin": ["admin"],
}


def routes(app):
    """Every route once, logout last (it ends the session the others need)."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        url = rule.build({name: ARGUMENTS[name] for name in rule.arguments})[1]
        found.append((rule.endpoint, method, url))
    return sorted(found, key=lambda route: route[0] == "accounts.logout")


def allowed(policy, roles) -> bool:
    if policy == PUBLIC:
        return True
    if roles is None:
        return False
    if policy == SIGNED_IN:
        return True
    return bool(set(roles) & policy)


def test_every_route_declares_a_policy(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and access_policy(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


@pytest.mark.parametrize("who", list(USERS))
def test_each_user_reaches_exactly_the_allowed_routes(app, who):
    client = app.test_client()
    roles = USERS[who]
    if roles is not None:
        client = login(client, app, f"{who}@example.org", roles)
    token = csrf_token(client.get("/every-type/").data)
    wrong = []
    for endpoint, method, url in routes(app):
        policy = access_policy(app.view_functions[endpoint])
        response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        response.close()  # file responses (audio, static) hold their file open until closed
        to_login = response.status_code in (302, 303) and "/account/login" in (response.location or "")
        # requires() sends a GET to the login page with a way back (next=); a POST without one.
        sent_away = to_login and (method == "POST" or "next=" in response.location) and endpoint != "accounts.logout"
        refused = response.status_code == 403 or sent_away
        if allowed(policy, roles) == refused:
            wrong.append(f"{endpoint} {method} {url}: {response.status_code} {response.location or ''}")
    assert wrong == []


# Staff pages whose audience is fixed by the issue that added them: a change of policy must be deliberate.
EXPECTED = {
    "fieldwork.rates": frozenset({"researcher"}),
    "fieldwork.rates_csv": frozenset({"researcher"}),
    "interview_review.interviews_page": frozenset({"researcher"}),
    "interview_review.decide": frozenset({"researcher"}),
    "interview_review.mine": frozenset({"interviewer"}),
}


def test_fieldwork_and_review_pages_keep_their_audience(app):
    for endpoint, policy in EXPECTED.items():
        assert access_policy(app.view_functions[endpoint]) == policy, endpoint
