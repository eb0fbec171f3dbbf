"""Review of assisted interviews: researchers decide with a comment, the status is exported, and an
interviewer sees only the status of their own interviews."""

from __future__ import annotations

import csv

from survey import vault
from survey.export.pipeline import ExportOptions, export
from survey.interview import services as interviews
from survey.respond import services as journey

from ..accounts.signin import login, make_user
from ..conftest import csrf_token, private_keys
from ..factories import issue_code


def submitted_interview(app, email: str, code: str) -> str:
    """An assisted interview of the panel questionnaire, answered and submitted through the services."""
    user = make_user(app, email, ["interviewer"])
    with app.app_context(), app.extensions["survey.db"].sessions() as db:
        questionnaire = app.extensions["survey.questionnaires"]["panel"]
        interview, state = interviews.start(db, user.id, questionnaire, "en", "de", vault.pseudonym_key(), code=code)
        journey.save_page(db, state, questionnaire.page("consent"), {"consent": "yes"}, "en")
        story = {"story": "Ein Garten", "income": 1200, "born": "1980-04-03"}
        journey.save_page(db, state, questionnaire.page("story"), story, "en")
        interviews.submit(db, interview, state, vault.study_key())
        return interview.id


def test_a_researcher_reviews_and_the_status_reaches_the_export(app, runner, tmp_path):
    first = submitted_interview(app, "iv1@example.org", issue_code(runner, tmp_path))
    second = submitted_interview(app, "iv2@example.org", issue_code(runner, tmp_path))
    researcher = login(app.test_client(), app, "re@example.org", ["researcher"])
    researcher.get("/?lang=en")
    page = researcher.get("/research/fieldwork/interviews")
    assert page.status_code == 200 and "iv1@example.org" in page.data.decode()
    token = csrf_token(page.data)
    refused = researcher.post(
        f"/research/fieldwork/interviews/{second}", data={"csrf_token": token, "status": "rejected"}
    )
    assert refused.status_code == 400
    assert "Say why the interview is on hold or rejected." in refused.data.decode()
    assert f'href="#status-{second}"' in refused.data.decode()
    done = researcher.post(f"/research/fieldwork/interviews/{first}", data={"csrf_token": token, "status": "approved"})
    assert done.status_code == 303
    held = researcher.post(
        f"/research/fieldwork/interviews/{second}",
        data={"csrf_token": token, "status": "on_hold", "comment": "Antworten zu schnell, bitte Rücksprache"},
    )
    assert held.status_code == 303
    assert "Antworten zu schnell" in researcher.get("/research/fieldwork/interviews").data.decode()
    unknown = researcher.post(
        "/research/fieldwork/interviews/" + "0" * 32, data={"csrf_token": token, "status": "approved"}
    )
    assert unknown.status_code == 404

    with app.app_context(), app.extensions["survey.db"].sessions() as db:
        questionnaire = app.extensions["survey.questionnaires"]["panel"]
        result = export(db, questionnaire, private_keys(), tmp_path / "out", ExportOptions(k=1, formats=("csv",)))
    with (tmp_path / "out" / "panel.csv").open(encoding="utf-8") as handle:
        statuses = sorted(row["review"] for row in csv.DictReader(handle))
    assert statuses == ["approved", "on_hold"]
    codebook = "".join(path.read_text(encoding="utf-8") for path in result.files if "codebook" in path.name)
    assert "Review status of the assisted interview" in codebook
    summary = list(csv.DictReader((tmp_path / "out" / "interviewer-quality.csv").read_text("utf-8").splitlines()))
    assert sorted(row["interviewer"] for row in summary) == ["I01", "I02"]
    assert all(row["interviews"] == "1" and row["item_nonresponse_mean_percent"] == "0.0" for row in summary)


def test_an_interviewer_sees_only_the_status_of_their_own(app, runner, tmp_path):
    own = submitted_interview(app, "iv1@example.org", issue_code(runner, tmp_path))
    other = submitted_interview(app, "iv2@example.org", issue_code(runner, tmp_path))
    researcher = login(app.test_client(), app, "re@example.org", ["researcher"])
    token = csrf_token(researcher.get("/research/fieldwork/interviews").data)
    for interview_id, comment in ((own, "Geheimer Kommentar"), (other, "Anderer Kommentar")):
        response = researcher.post(
            f"/research/fieldwork/interviews/{interview_id}",
            data={"csrf_token": token, "status": "rejected", "comment": comment},
        )
        assert response.status_code == 303
    interviewer = login(app.test_client(), app, "iv1@example.org", ["interviewer"])
    interviewer.get("/?lang=en")
    assert 'href="/interview/reviews"' in interviewer.get("/interview/").data.decode()  # linked from their list
    html = interviewer.get("/interview/reviews").data.decode()
    assert html.count("<tr>") == 2 and "rejected" in html  # header row and their one interview
    assert "Kommentar" not in html and "iv2@example.org" not in html
    assert interviewer.get("/research/fieldwork/interviews").status_code == 403
