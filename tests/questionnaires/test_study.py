"""The shipped study questionnaire: complete, private by design, and answerable in every language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from survey.questionnaires.loader import load_file
from survey.vault.models import SealedResponse
from survey.vault.responses import unseal_response

from ..conftest import ROOT, make_app, private_keys
from ..journey import Respondent, complete, valid_post

STUDY = ROOT / "questionnaires" / "wetterau-integration.json"
REQUIRED_LANGUAGES = {"de", "en", "ar", "fa", "tr", "uk", "ru"}


@pytest.fixture(scope="module")
def study():
    questionnaire, problems = load_file(STUDY)
    assert questionnaire is not None, [str(p) for p in problems]
    return questionnaire


@pytest.fixture(scope="module")
def study_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from survey.migrations import upgrade

    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('study') / 's.sqlite3'}", questionnaire_dir=STUDY.parent)
    upgrade(app.extensions["survey.db"].engine)
    yield app
    app.extensions["survey.db"].dispose()


def test_study_loads_without_errors_or_warnings(study):
    _, problems = load_file(STUDY)
    assert [str(problem) for problem in problems] == []


def test_study_has_between_50_and_80_items(study):
    items = sum(
        len(q.export_columns()) if q.type_name == "matrix" else 1
        for q in study.questions()
        if q.answerable and q.type_name != "consent"
    )
    assert 50 <= items <= 80


def test_study_is_in_every_required_language_with_review_status(study):
    assert set(study.language_tags) >= REQUIRED_LANGUAGES
    assert all(isinstance(info.reviewed, bool) for info in study.languages)


def test_every_item_has_a_privacy_class_and_no_direct_identifiers(study):
    classes = {q.id: q.privacy for q in study.questions() if q.answerable and q.type_name != "consent"}
    assert "direct" not in classes.values()
    assert {"quasi", "sensitive", "free_text"} <= set(classes.values())
    quasi = [q for q in study.questions() if q.privacy == "quasi"]
    assert all(q.hierarchy is not None for q in quasi)


def test_study_opens_with_consent(study):
    assert study.pages[0].questions[0].type_name == "consent"


def choose(**overrides):
    def pick(question):
        if question.id in overrides:
            value = overrides[question.id]
            return value if isinstance(value, list) else [(question.id, str(value))]
        return valid_post(question)

    return pick


def response_ids(app: Flask) -> set[str]:
    with app.extensions["survey.db"].sessions() as session:
        return set(session.scalars(select(SealedResponse.id)))


def stored(app: Flask, before: set[str]) -> dict:
    """The answers of the one response submitted since `before` was taken."""
    with app.extensions["survey.db"].sessions() as session:
        (new,) = response_ids(app) - before
        row = session.get(SealedResponse, new)
        return unseal_response(row.id, row.questionnaire_id, row.questionnaire_version, row.content, private_keys())[
            "answers"
        ]


ARRIVED_2015 = [("arrival_year-calendar", "gregorian"), ("arrival_year", "2015")]
STUDY_LANGUAGES = [tag for tag in __import__("json").loads(STUDY.read_text(encoding="utf-8"))["languages"]]


@pytest.mark.parametrize("language", STUDY_LANGUAGES)
def test_whole_study_can_be_answered_in_each_language(study, study_app, language):
    client = study_app.test_client()
    respondent = Respondent(client, study.id)
    visited = complete(respondent, language, study)
    html = respondent.last.data.decode()
    direction = "rtl" if language in ("ar", "fa", "fa-AF", "ps", "ckb") else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert respondent.submit().location.endswith("/done")
    assert len(visited) >= 30


def test_born_in_germany_skips_arrival_and_working_full_time_shows_job_page(study, study_app):
    respondent = Respondent(study_app.test_client(), study.id)
    visited = complete(respondent, "de", study, choose(country_birth="DE", main_activity=1, children_count=0))
    assert "arrival" not in visited and "job" in visited
    assert "children_care" not in visited and "children_difficulties" not in visited


def test_not_working_and_children_show_children_pages_but_no_job_page(study, study_app):
    before = response_ids(study_app)
    respondent = Respondent(study_app.test_client(), study.id)
    visited = complete(
        respondent,
        "ar",
        study,
        choose(country_birth="SY", main_activity=7, children_count=2, child_kita=1, child_school=2),
    )
    assert "arrival" in visited and "job" not in visited
    assert {"children_care", "children_satisfaction", "children_difficulties"} <= set(visited)
    respondent.submit()
    answers = stored(study_app, before)
    assert answers["children_count"] == 2 and "kita_satisfaction" in answers
    assert "school_satisfaction" not in answers


def test_discrimination_follow_ups_only_when_experienced(study, study_app):
    never = complete(Respondent(study_app.test_client(), study.id), "de", study, choose(discrimination=4))
    often = complete(Respondent(study_app.test_client(), study.id), "de", study, choose(discrimination=1))
    assert "discrimination_where" not in never and "discrimination_where" in often


def test_municipality_is_piped_into_a_later_question(study, study_app):
    respondent = Respondent(study_app.test_client(), study.id)
    complete(respondent, "de", study, choose(municipality=4))
    html = respondent.page("place_satisfaction").data.decode()
    assert "Büdingen" in html


def test_household_members_are_asked_in_a_roster_with_their_name_piped(study, study_app):
    roster = study.roster("household_members")
    assert roster is not None and roster.count == "household_size" and roster.name == "member_first_name"
    assert [computed.id for computed in roster.computed] == ["member_age"]
    birth = study.question("member_birth_year")
    assert all("{{member_first_name}}" in birth.text.get(lang) for lang in study.language_tags)
    before = response_ids(study_app)
    respondent = Respondent(study_app.test_client(), study.id)
    names = iter(["Amina", "Yusuf"])

    def pick(question):
        if question.id == "member_first_name":
            return [(question.id, next(names))]
        if question.id == "member_birth_year":
            return [(question.id, "1988")]
        return choose(household_size=2)(question)

    visited = complete(respondent, "ar", study, pick)
    assert visited[visited.index("household") + 1 : visited.index("household") + 5] == [
        "member_name.1",
        "member_birth.1",
        "member_name.2",
        "member_birth.2",
    ]
    html = respondent.page("member_birth.2").data.decode()
    assert "في أي سنة وُلد <bdi>Yusuf</bdi>؟" in html
    respondent.submit()
    answers = stored(study_app, before)
    assert answers["household_members"] == [
        {"member_first_name": "Amina", "member_birth_year": 1988},
        {"member_first_name": "Yusuf", "member_birth_year": 1988},
    ]


def test_arrival_year_may_be_given_in_the_solar_hijri_calendar_and_is_stored_as_the_gregorian_year(study, study_app):
    before = response_ids(study_app)
    respondent = Respondent(study_app.test_client(), study.id)
    # 1394 in Persian digits: Farvardin 1394 to Esfand 1394 is 21 March 2015 to 19 March 2016.
    solar = [("arrival_year-calendar", "solar_hijri"), ("arrival_year", "۱۳۹۴")]
    visited = complete(respondent, "fa", study, choose(country_birth="AF", birth_year=1985, arrival_year=solar))
    assert "arrival" in visited
    html = respondent.page("arrival").data.decode()
    assert 'name="arrival_year-calendar" value="solar_hijri"' in html and "تقویم هجری شمسی (ایران و افغانستان)" in html
    # A stored year is shown again in the Gregorian calendar.
    assert 'value="gregorian" checked' in html and 'value="2015"' in html
    no_calendar = respondent.answer("arrival", {"arrival_year": "2015"})
    assert (
        no_calendar.status_code == 200 and "تقویمی را که تاریخ با آن نوشته شده انتخاب کنید" in no_calendar.data.decode()
    )
    assert 'href="#arrival_year-calendar-0"' in no_calendar.data.decode()
    ethiopian = respondent.answer("arrival", {"arrival_year-calendar": "ethiopian", "arrival_year": "2008"})
    assert ethiopian.status_code == 303
    assert respondent.submit().location.endswith("/done")
    assert stored(study_app, before)["arrival_year"] == 2016  # Ethiopian 2008: September 2015 to September 2016


def test_wetterau_since_typed_as_a_solar_hijri_month_is_stored_and_exported_as_the_iso_month(
    study, study_app, tmp_path
):
    from survey.questionnaires.values import years_between

    from ..export.test_export import run_export

    question = study.question("wetterau_since")
    assert question.type_name == "date" and question.precision == "month"
    assert question.calendars == ("gregorian", "solar_hijri", "ethiopian")
    before = response_ids(study_app)
    respondent = Respondent(study_app.test_client(), study.id)
    # Farvardin 1399 (in Persian digits) runs from 20 March to 20 April 2020; its middle is in April.
    farvardin = [
        ("wetterau_since-calendar", "solar_hijri"),
        ("wetterau_since-month", "۱"),
        ("wetterau_since-year", "۱۳۹۹"),
    ]
    visited = complete(
        respondent,
        "fa",
        study,
        choose(country_birth="AF", birth_year=1985, arrival_year=ARRIVED_2015, wetterau_since=farvardin),
    )
    assert visited[visited.index("municipality") + 1] == "wetterau_since"
    html = respondent.page("wetterau_since").data.decode()
    assert "از چه زمانی در ناحیه وتراو زندگی می‌کنید؟" in html
    assert "ماه‌های تقویم هجری شمسی" in html and "فروردین" in html  # the month key in Persian
    assert 'name="wetterau_since-month"' in html and 'name="wetterau_since-day"' not in html
    assert respondent.submit().location.endswith("/done")
    assert stored(study_app, before)["wetterau_since"] == "2020-04"

    _, rows = run_export(study_app, tmp_path, study.id, k=1, max_suppression=0.0)
    (row,) = [row for row in rows if row["wetterau_since"] == "2020-04"]
    with study_app.extensions["survey.db"].sessions() as session:
        (new,) = response_ids(study_app) - before
        interview = session.get(SealedResponse, new).submitted_hour.date()
    assert row["years_in_wetterau"] == str(years_between("2020-04", interview.isoformat()))


def test_wetterau_since_in_the_future_or_before_birth_is_refused_in_any_calendar(study, study_app):
    import datetime

    respondent = Respondent(study_app.test_client(), study.id)
    # Born in Germany: no arrival year is asked, and the date is still checked against today.
    complete(respondent, "de", study, choose(country_birth="DE", birth_year=1985))
    next_year = datetime.datetime.now(datetime.UTC).year + 1
    refused = "Das Datum kann nicht in der Zukunft oder vor Ihrem Geburtsjahr liegen."
    for typed in (
        {"wetterau_since-calendar": "gregorian", "wetterau_since-month": "1", "wetterau_since-year": str(next_year)},
        {"wetterau_since-calendar": "solar_hijri", "wetterau_since-month": "1", "wetterau_since-year": "1410"},
        {"wetterau_since-calendar": "gregorian", "wetterau_since-month": "12", "wetterau_since-year": "1984"},
        {"wetterau_since-calendar": "ethiopian", "wetterau_since-month": "4", "wetterau_since-year": "1977"},
    ):
        response = respondent.answer("wetterau_since", typed)
        html = response.data.decode()
        assert response.status_code == 200 and refused in html, typed
        assert html.count(refused) == 2  # in the error summary and at the question
    # Ethiopian Tahsas 1978 is December 1985: the year of birth, so it is taken.
    taken = respondent.answer(
        "wetterau_since",
        {"wetterau_since-calendar": "ethiopian", "wetterau_since-month": "4", "wetterau_since-year": "1978"},
    )
    assert taken.status_code == 303
