"""Rosters without JavaScript: pages per member, a count from an earlier answer and "add another",
member piping, per-member computed values, review with change and remove, drafts, the sealed response."""

from __future__ import annotations

import datetime

from ..journey import Respondent
from .test_journey import stored_answers

THIS_YEAR = datetime.datetime.now(datetime.UTC).year


def two_members(person: Respondent) -> None:
    """Household of two: Anna (adult, works) and Ben (a child of 3); Anna's name reaches member 2."""
    assert person.answer("size", {"hh_size": "2"}).location.endswith("/p/member_name_page.1")
    assert person.answer("member_name_page.1", {"member_name": "Anna"}).location.endswith("/p/member_born.1")
    assert person.answer("member_born.1", {"member_birth_year": "1980"}).location.endswith("/p/member_work_page.1")
    assert person.answer("member_work_page.1", {"member_works": "1"}).location.endswith("/p/member_name_page.2")
    person.answer("member_name_page.2", {"member_name": "Ben"})
    # A child: the work page of member 2 is skipped (the member's computed age is under 15).
    assert person.answer("member_born.2", {"member_birth_year": str(THIS_YEAR - 3)}).location.endswith("/p/childcare")


def test_count_roster_asks_each_member_with_their_name_and_age(app, client, db_session):
    person = Respondent(client, "household")
    assert person.start("en") == "size"
    two_members(person)
    html = person.page("member_born.2").data.decode()
    assert "In which year was <bdi>Ben</bdi> born?" in html
    assert "Page <bdi>6</bdi> of" in person.page("member_born.2").data.decode()  # progress counts member pages
    html = person.page("member_work_page.1").data.decode()
    assert f"Does <bdi>Anna</bdi> (<bdi>{THIS_YEAR - 1980}</bdi> years) work for pay?" in html
    # The page after the roster shows (a member is under 6) and pipes member 1's name.
    html = person.page("childcare").data.decode()
    assert "(First person: <bdi>Anna</bdi>)" in html
    person.answer("childcare", {"childcare": "1"})
    assert person.answer("relatives.0", {"relatives_more": "2"}).location.endswith("/p/end")
    person.answer("end", {"comment": ""})
    review = person.get("/household/review").data.decode()
    assert "Household members: Person <bdi>2</bdi> – <bdi>Ben</bdi>" in review
    assert 'href="/household/p/member_born.2?return_to=review"' in review
    assert person.submit().status_code == 303
    (answers,) = stored_answers(db_session)
    assert answers["hh_size"] == 2
    assert answers["members"] == [
        {"member_name": "Anna", "member_birth_year": 1980, "member_works": 1},
        {"member_name": "Ben", "member_birth_year": THIS_YEAR - 3},
    ]
    assert answers["relatives"] == [] and answers["childcare"] == 1


def test_back_links_walk_through_the_members(app, client):
    person = Respondent(client, "household")
    person.start("en")
    two_members(person)
    html = person.page("member_name_page.2").data.decode()
    assert 'href="/household/p/member_work_page.1"' in html  # back to the last page of member 1


def test_a_smaller_count_drops_the_members_beyond_it(app, client, db_session):
    person = Respondent(client, "household")
    person.start("en")
    two_members(person)
    person.answer("childcare", {"childcare": "2"})
    person.answer("relatives.0", {"relatives_more": "2"})
    person.answer("end", {"comment": ""})
    # Change the household size on the review: member 2 and the childcare page (Ben was under 6) go.
    response = person.post("/household/p/size", {"hh_size": "1", "return_to": "review"})
    assert response.location.endswith("/household/review")
    assert person.get("/household/p/member_name_page.2").status_code == 303  # no longer on the route
    assert person.submit().status_code == 303
    (answers,) = stored_answers(db_session)
    assert answers["members"] == [{"member_name": "Anna", "member_birth_year": 1980, "member_works": 1}]
    assert "childcare" not in answers


def test_add_another_roster_adds_edits_and_removes_members(app, client, db_session):
    person = Respondent(client, "household")
    person.start("ar")
    person.answer("size", {"hh_size": "1"})
    person.answer("member_name_page.1", {"member_name": "Salma"})
    person.answer("member_born.1", {"member_birth_year": "1990"})
    person.answer("member_work_page.1", {"member_works": "2"})
    assert person.answer("relatives.0", {"relatives_more": "1"}).location.endswith("/p/relative.1")
    person.answer("relative.1", {"relative_name": "Omar", "relative_contact": "1"})
    assert person.answer("relatives.1", {"relatives_more": "1"}).location.endswith("/p/relative.2")
    # Unanswered "add another?" is an error on the page, not a new member.
    person.answer("relative.2", {"relative_name": "Huda", "relative_contact": "2"})
    response = person.answer("relatives.2", {})
    assert response.status_code == 200 and 'href="#relatives_more' in response.data.decode()
    assert person.answer("relatives.2", {"relatives_more": "2"}).location.endswith("/p/end")
    person.answer("end", {"comment": ""})
    review = person.get("/household/review").data.decode()
    assert "<bdi>Omar</bdi>" in review and "<bdi>Huda</bdi>" in review
    # Edit member 2 from the review, then remove member 1: Huda moves up.
    response = person.post(
        "/household/p/relative.2", {"relative_name": "Hoda", "relative_contact": "2", "return_to": "review"}
    )
    assert response.location.endswith("/household/review")
    person.get("/household/review")
    assert person.post("/household/remove/relatives/1", {}).location.endswith("/household/review")
    review = person.get("/household/review").data.decode()
    assert "Omar" not in review and "<bdi>Hoda</bdi>" in review
    assert person.post("/household/remove/relatives/7", {}).status_code == 400
    assert person.submit().status_code == 303
    (answers,) = stored_answers(db_session)
    assert answers["relatives"] == [{"relative_name": "Hoda", "relative_contact": 2}]


def test_add_another_from_the_review_asks_the_new_member_first(app, client, db_session):
    person = Respondent(client, "household")
    person.start("en")
    person.answer("size", {"hh_size": "1"})
    person.answer("member_name_page.1", {"member_name": "Salma"})
    person.answer("member_born.1", {"member_birth_year": "1990"})
    person.answer("member_work_page.1", {"member_works": "2"})
    person.answer("relatives.0", {"relatives_more": "2"})
    person.answer("end", {"comment": ""})
    review = person.get("/household/review").data.decode()
    assert 'href="/household/p/relatives.0?return_to=review"' in review
    response = person.post("/household/p/relatives.0", {"relatives_more": "1", "return_to": "review"})
    assert response.location.endswith("/p/relative.1")
    person.answer("relative.1", {"relative_name": "Omar", "relative_contact": "1"})
    assert person.answer("relatives.1", {"relatives_more": "2"}).location.endswith("/household/p/end")
    assert person.submit().status_code == 303
    (answers,) = stored_answers(db_session)
    assert answers["relatives"] == [{"relative_name": "Omar", "relative_contact": 1}]


def test_member_pages_beyond_the_count_do_not_exist(app, client):
    person = Respondent(client, "household")
    person.start("en")
    person.answer("size", {"hh_size": "1"})
    assert person.get("/household/p/member_name_page.2").status_code == 303
    assert person.post("/household/p/member_name_page.2", {"member_name": "X"}).status_code == 400
    assert person.get("/household/p/member_name_page.9").status_code == 404
    assert person.get("/household/p/member_name_page.01").status_code == 404


def test_each_member_page_shows_that_members_own_answers(app, client):
    person = Respondent(client, "household")
    person.start("en")
    two_members(person)
    first = person.page("member_name_page.1").data.decode()
    second = person.page("member_name_page.2").data.decode()
    assert 'value="Anna"' in first and 'value="Ben"' not in first
    assert 'value="Ben"' in second and 'value="Anna"' not in second
    work = person.page("member_work_page.1").data.decode()
    assert 'value="1" checked>' in work and 'value="2" checked>' not in work


def test_a_draft_keeps_member_answers_across_sessions(app, client):
    person = Respondent(client, "household")
    person.start("en")
    person.answer("size", {"hh_size": "2"})
    person.answer("member_name_page.1", {"member_name": "Anna"})
    # A new request reads the sealed draft again: the member's answer is still there, the next page open.
    response = person.post("/household/start", {})
    assert response.location.endswith("/p/member_born.1")
    assert "In which year was <bdi>Anna</bdi> born?" in person.get(response.location).data.decode()
