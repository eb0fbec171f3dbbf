"""A journey through computed values, a `valid_if` rule, piping and a filtered list, without JavaScript."""

from __future__ import annotations

import datetime

import pytest

from survey.questionnaires.values import years_between

from ..journey import Respondent
from .test_journey import stored_answers


@pytest.fixture
def respondent(app, client) -> Respondent:
    person = Respondent(client, "derived")
    assert person.start("ar") == "name"
    assert person.answer("name", {"first_name": "Maria"}).status_code == 303
    assert (
        person.answer(
            "birth", {"birth-calendar": "gregorian", "birth-day": "15", "birth-month": "1", "birth-year": "1990"}
        ).status_code
        == 303
    )
    return person


def test_a_latin_name_is_piped_into_an_arabic_question_isolated(respondent):
    html = respondent.page("arrival").data.decode()
    assert "<bdi>Maria</bdi>، في أي سنة أتيت إلى ألمانيا؟" in html
    assert "\u2068Maria\u2069" in html.split("<title>")[1].split("</title>")[0]  # no tags inside a title


def test_piped_text_is_escaped(app, client):
    person = Respondent(client, "derived")
    person.start("de")
    person.answer("name", {"first_name": "<script>x</script>"})
    person.answer("birth", {"birth-calendar": "gregorian", "birth-day": "15", "birth-month": "1", "birth-year": "1990"})
    html = person.page("arrival").data.decode()
    assert "<bdi>&lt;script&gt;x&lt;/script&gt;</bdi>" in html and "<script>x" not in html


def test_a_rule_breaking_answer_is_refused_with_its_message(respondent):
    response = respondent.answer("arrival", {"arrival_year": "1980"})
    assert response.status_code == 200
    html = response.data.decode()
    assert "سنة الوصول قبل سنة ميلادك" in html and 'href="#arrival_year"' in html
    assert respondent.answer("arrival", {"arrival_year": "2016"}).status_code == 303


def test_a_rule_is_not_checked_when_a_value_it_reads_is_unknown(app, client):
    person = Respondent(client, "derived")
    person.start("de")
    person.answer("name", {"first_name": "Maria"})
    person.answer("birth", {"birth-missing": "refused"})
    assert person.answer("arrival", {"arrival_year": "1960"}).status_code == 303


def test_filtered_list_offers_only_the_languages_chosen_before(respondent):
    respondent.answer("arrival", {"arrival_year": "2016"})
    respondent.answer("langs", [("langs", "2"), ("langs", "4")])
    html = respondent.page("best").data.decode()
    assert "العربية" in html and "الفارسية" in html
    assert "الألمانية" not in html and "الإنجليزية" not in html
    refused = respondent.answer("best", {"best_lang": "1"})  # German was not chosen: no honest form sends it
    assert refused.status_code == 400
    assert respondent.answer("best", {"best_lang": "4"}).status_code == 303


def test_filtered_list_with_nothing_chosen_is_not_asked(respondent):
    respondent.answer("arrival", {"arrival_year": "2016"})
    response = respondent.answer("langs", {"langs": "9"})  # "none of these" is exclusive and not offered
    assert respondent.follow(response) == "summary"


def test_changing_the_source_answer_drops_an_answer_no_longer_offered(respondent, db_session):
    respondent.answer("arrival", {"arrival_year": "2016"})
    respondent.answer("langs", [("langs", "2"), ("langs", "4")])
    respondent.answer("best", {"best_lang": "4"})
    respondent.answer("langs", [("langs", "2"), ("langs", "3")])
    html = respondent.page("best").data.decode()
    assert "checked" not in html
    respondent.answer("best", {"best_lang": "3"})
    respondent.answer("summary", {})
    respondent.answer("adults", {"course": "1"})
    assert respondent.submit().status_code == 303
    answers = stored_answers(db_session)[0]
    assert answers["best_lang"] == 3 and answers["langs"] == [2, 3]


def test_computed_values_are_piped_and_steer_the_route(respondent):
    respondent.answer("arrival", {"arrival_year": "2020"})
    response = respondent.answer("langs", {"langs": "9"})
    assert respondent.follow(response) == "summary"
    html = respondent.last.data.decode()
    today = datetime.datetime.now(datetime.UTC).date()
    age = years_between("1990-01-15", today.isoformat())
    assert f"عمرك <bdi>{age}</bdi> سنة" in html and f"<bdi>{today.year - 2020}</bdi>" in html
    # adult and fewer than 10 years here: the course page follows.
    assert respondent.follow(respondent.answer("summary", {})) == "adults"


def test_computed_value_hides_a_page(app, client):
    person = Respondent(client, "derived")
    person.start("de")
    person.answer("name", {"first_name": "Ali"})
    person.answer("birth", {"birth-calendar": "gregorian", "birth-day": "1", "birth-month": "1", "birth-year": "1990"})
    person.answer("arrival", {"arrival_year": "1995"})  # more than 10 years here
    person.answer("langs", {"langs": "1"})
    person.answer("best", {"best_lang": "1"})
    assert person.follow(person.answer("summary", {})) == "review"


def test_a_birth_date_typed_in_the_solar_hijri_calendar_is_stored_as_an_iso_date(app, client, db_session):
    person = Respondent(client, "derived")
    person.start("ar")
    person.answer("name", {"first_name": "Zahra"})
    html = person.page("birth").data.decode()
    assert 'name="birth-calendar" value="solar_hijri"' in html and "checked" not in html  # nothing pre-chosen
    # Persian digits are read too: 25 Dey 1368.
    posted = {"birth-calendar": "solar_hijri", "birth-day": "۲۵", "birth-month": "۱۰", "birth-year": "۱۳۶۸"}
    assert person.answer("birth", posted).status_code == 303
    person.answer("arrival", {"arrival_year": "2016"})
    person.answer("langs", {"langs": "9"})
    person.answer("summary", {})
    person.answer("adults", {"course": "2"})
    assert person.submit().status_code == 303
    assert stored_answers(db_session)[0]["birth"] == "1990-01-15"


def test_a_date_needs_its_calendar_a_real_day_in_it_and_not_the_future(respondent):
    no_calendar = respondent.answer("birth", {"birth-day": "1", "birth-month": "1", "birth-year": "1990"})
    assert no_calendar.status_code == 200 and 'href="#birth-calendar-0"' in no_calendar.data.decode()
    pagume = {"birth-calendar": "ethiopian", "birth-day": "6", "birth-month": "13", "birth-year": "2016"}
    assert respondent.answer("birth", pagume).status_code == 200  # 2016 is no leap year
    future = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=40)
    posted = {"birth-calendar": "gregorian", "birth-day": str(future.day), "birth-month": str(future.month)}
    refused = respondent.answer("birth", posted | {"birth-year": str(future.year)})
    assert refused.status_code == 200 and "تاريخ الميلاد في المستقبل" in refused.data.decode()
    unknown = {"birth-calendar": "julian", "birth-day": "1", "birth-month": "1", "birth-year": "1990"}
    assert respondent.answer("birth", unknown).status_code == 400


def test_a_stored_date_is_shown_again_in_the_gregorian_calendar(respondent):
    html = respondent.page("birth").data.decode()
    assert 'value="gregorian" checked' in html and 'value="1990"' in html


def test_the_date_page_names_the_months_of_the_other_calendars_in_the_page_language(app, client):
    person = Respondent(client, "derived")
    person.start("ar")
    person.answer("name", {"first_name": "Zahra"})
    html = person.page("birth").data.decode()
    # A key per other calendar (a <details>, no JavaScript): month 10 of the Solar Hijri calendar is Dey.
    assert "<summary>أشهر التقويم الهجري الشمسي</summary>" in html
    assert '<li><span class="month-number">10</span> دي</li>' in html
    assert "<summary>أشهر التقويم الإثيوبي</summary>" in html and '<span class="month-number">13</span> باجمن' in html
    assert "<script" not in html
