"""Assisted interviews ask rosters as self-completion does: member pages, review, remove, submit."""

from __future__ import annotations

from survey.vault.models import SealedResponse
from survey.vault.responses import unseal_response

from ..accounts.signin import login
from ..conftest import csrf_token, private_keys
from .test_interview import post_page, start_interview


def test_an_interviewer_asks_each_member_and_removes_one_on_the_review(app, db_session):
    client = login(app.test_client(), app, "iv@example.org", ["interviewer"])
    first = start_interview(client, "ar", "de", questionnaire="household")
    base = first.rsplit("/p/", 1)[0]
    assert post_page(client, first, {"hh_size": "1"}).location.endswith("/p/member_name_page.1")
    post_page(client, f"{base}/p/member_name_page.1", {"member_name": "Salma"})
    html = client.get(f"{base}/p/member_born.1").data.decode()
    assert "في أي سنة ولد <bdi>Salma</bdi>؟" in html
    post_page(client, f"{base}/p/member_born.1", {"member_birth_year": "1990"})
    post_page(client, f"{base}/p/member_work_page.1", {"member_works": "1"})
    assert post_page(client, f"{base}/p/relatives.0", {"relatives_more": "1"}).location.endswith("/p/relative.1")
    post_page(client, f"{base}/p/relative.1", {"relative_name": "Omar", "relative_contact": "1"})
    post_page(client, f"{base}/p/relatives.1", {"relatives_more": "1"})
    post_page(client, f"{base}/p/relative.2", {"relative_name": "Huda", "relative_contact": "2"})
    post_page(client, f"{base}/p/relatives.2", {"relatives_more": "2"})
    post_page(client, f"{base}/p/end", {"comment": ""})
    review = client.get(f"{base}/review").data.decode()
    assert "<bdi>Omar</bdi>" in review and f'action="{base}/remove/relatives/1"' in review
    response = client.post(f"{base}/remove/relatives/1", data={"csrf_token": csrf_token(review)})
    assert response.status_code == 303 and response.location.endswith("/review")
    review = client.get(f"{base}/review").data.decode()
    assert "Omar" not in review
    response = client.post(f"{base}/submit", data={"csrf_token": csrf_token(review)})
    assert response.status_code == 303 and response.location.endswith("/done")
    (row,) = db_session.query(SealedResponse).all()
    record = unseal_response(row.id, row.questionnaire_id, row.questionnaire_version, row.content, private_keys())
    assert record["answers"]["members"] == [{"member_name": "Salma", "member_birth_year": 1990, "member_works": 1}]
    assert record["answers"]["relatives"] == [{"relative_name": "Huda", "relative_contact": 2}]
    assert "relative.1" in record["pages"] and "relatives.1" in record["pages"]
