"""The patient's pages without JavaScript: forms post, redirect, and the next page renders."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from web_helpers import (
    EMERGENCY_TEXT,
    GOOD_BOOKING,
    answer_form,
    csrf_of,
    finish,
    hidden,
    start,
)

from popliteal.results import DISCLAIMER
from popliteal.store import Store


def _on_every_patient_page(html: str) -> None:
    assert 'href="tel:995"' in html
    assert DISCLAIMER in html
    assert "Not a diagnosis" in html


def test_start_page_says_what_this_is_and_asks_for_consent(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    _on_every_patient_page(page.text)
    for field in ('for="text"', 'for="age"', 'for="consent"', 'id="sex-female"'):
        assert field in page.text
    assert "It is not for emergencies" in page.text


def test_whole_visit_posts_and_redirects(client: TestClient, store: Store) -> None:
    started = start(client)
    assert started.status_code == 303
    assert started.headers["location"] == "/assessment/question"
    question = client.get("/assessment/question")
    _on_every_patient_page(question.text)
    assert re.search(r'<progress max="20" value="0"', question.text)
    assert "Don&#39;t know" in question.text or "Don't know" in question.text
    answered = finish(client)
    assert answered >= 3
    result = client.get("/assessment/result")
    assert result.status_code == 200
    _on_every_patient_page(result.text)
    assert 'role="alert"' in result.text
    assert "Likely causes" in result.text and "you said: " in result.text
    assert "Your home exercises" in result.text  # a routine level gets its programme
    assert '/figures/' in result.text
    assert "/resume/" in result.text
    book = client.get("/book?postal_code=560123")
    assert book.status_code == 200
    assert re.search(r'id="branch-serangoon" name="branch_id" value="serangoon" checked', book.text)
    sent = client.post("/book", data={**GOOD_BOOKING, "csrf_token": csrf_of(book.text)},
                       follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/book/thanks")
    thanks = client.get(sent.headers["location"])
    assert "Phoenix Rehab Serangoon" in thanks.text
    [booking] = store.list_bookings()
    assert booking.phone == "+6591234567" and booking.assessment_id is not None


def test_validation_errors_stay_next_to_fields_and_keep_the_input(client: TestClient) -> None:
    token = csrf_of(client.get("/").text)
    page = client.post("/start", data={"csrf_token": token, "age": "old", "text": "my words"})
    assert page.status_code == 422
    html = page.text
    for name in ("age", "sex", "consent"):
        assert f'id="{name}-error"' in html
    assert re.search(r'id="age"[^>]*aria-describedby="age-error"[^>]*aria-invalid="true"', html)
    assert ">my words</textarea>" in html
    assert 'value="old"' in html
    assert 'id="error-summary"' in html


def test_no_consent_stores_nothing(client: TestClient, store: Store) -> None:
    token = csrf_of(client.get("/").text)
    page = client.post("/start", data={"csrf_token": token, "age": "40", "sex": "female",
                                       "text": "pain behind the knee"})
    assert page.status_code == 422
    assert store.list_assessments(actor="system") == []


def test_dont_know_back_and_double_submit(client: TestClient, store: Store) -> None:
    start(client)
    first = client.get("/assessment/question").text
    form = answer_form(first)
    form.pop("answer", None)
    form["dont_know"] = "1"
    assert client.post("/assessment/answer", data=form, follow_redirects=False).status_code == 303
    again = client.post("/assessment/answer", data=form, follow_redirects=False)  # double tap
    assert again.status_code == 303
    [assessment] = store.list_assessments(actor="system")
    answers = store.list_answers(assessment.id)
    assert [(a.finding_id, a.answer) for a in answers] == [(form["question"], "unknown")]
    second = client.get("/assessment/question").text
    assert hidden(second, "question") != form["question"]
    assert "Back to the previous question" in second
    back = client.post("/assessment/back", data={"csrf_token": csrf_of(second),
                                                 "seq": hidden(second, "seq")},
                       follow_redirects=False)
    assert back.status_code == 303
    assert hidden(client.get("/assessment/question").text, "question") == form["question"]


def test_an_answer_that_does_not_fit_is_explained(client: TestClient) -> None:
    start(client)
    form = answer_form(client.get("/assessment/question").text)
    form["answer"] = "perhaps"
    page = client.post("/assessment/answer", data=form)
    assert page.status_code == 422
    assert 'id="q-error"' in page.text and "Please choose one of the answers." in page.text


def test_emergency_story_gets_the_emergency_page_and_no_exercises(client: TestClient) -> None:
    started = start(client, text=EMERGENCY_TEXT, age="62")
    assert started.status_code == 303
    question = client.get("/assessment/question", follow_redirects=False)
    assert question.status_code == 303
    assert question.headers["location"] == "/assessment/result"
    page = client.get("/assessment/result").text
    assert 'class="banner level-emergency_now" role="alert"' in page
    assert 'class="call-button" href="tel:995"' in page
    assert "Emergency" in page  # the level in words, not only in colour
    assert "Your home exercises" not in page and "/figures/" not in page
    assert 'action="/book"' not in page


def test_resume_link_opens_the_assessment_in_another_browser(client: TestClient,
                                                             settings) -> None:  # type: ignore[no-untyped-def]
    start(client)
    finish(client)
    link = re.search(r'href="https://testserver(/resume/[^"]+)"',
                     client.get("/assessment/result").text)
    assert link
    with TestClient(client.app, base_url="https://testserver") as other:
        assert other.get("/assessment/result").status_code == 404  # no cookie yet
        opened = other.get(link.group(1))
        assert opened.status_code == 200 and "Likely causes" in opened.text
        assert other.get("/resume/not-a-token").status_code == 404


def test_patient_deletes_their_data(client: TestClient, store: Store) -> None:
    start(client)
    link = re.search(r'href="https://testserver(/resume/[^"]+)"',
                     client.get("/assessment/question").text)
    assert link
    confirm = client.get("/assessment/delete")
    assert confirm.status_code == 200
    done = client.post("/assessment/delete", data={"csrf_token": csrf_of(confirm.text)},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/deleted"
    assert "popliteal_assessment=" in done.headers["set-cookie"]
    assert store.list_assessments(actor="system") == []
    assert client.get(link.group(1)).status_code == 404
    assert client.get("/assessment/result").status_code == 404


def test_booking_errors_are_shown_and_input_kept(client: TestClient) -> None:
    page = client.get("/book?postal_code=999999")
    assert page.status_code == 200 and 'id="postal_code-error"' in page.text
    bad = client.post("/book", data={"csrf_token": csrf_of(page.text), "name": "Mei",
                                     "phone": "12345", "branch_id": "novena"})
    assert bad.status_code == 422
    for name in ("phone", "consent", "times"):
        assert f'id="{name}-error"' in bad.text, name
    assert 'value="Mei"' in bad.text
    assert "Singapore" in bad.text


def test_pages_and_assets_are_served_by_the_app(client: TestClient) -> None:
    html = client.get("/").text
    css = re.search(r'href="(/static/style\.css\?v=[0-9a-f]+)"', html)
    js = re.search(r'src="(/static/app\.js\?v=[0-9a-f]+)"', html)
    assert css and js
    for url in (css.group(1), js.group(1)):
        asset = client.get(url)
        assert asset.status_code == 200 and "max-age" in asset.headers["cache-control"]
    assert client.get("/figures/bridge.svg").headers["content-type"] == "image/svg+xml"
    assert client.get("/figures/..%2Fconditions%2Facl_injury.yaml").status_code == 404
    missing = client.get("/no-such-page", headers={"accept": "text/html,*/*;q=0.8"})
    assert missing.status_code == 404 and "Page not found" in missing.text
    assert client.get("/no-such-page").json()["error"]["code"] == "not_found"  # API clients
    assert client.get("/api/v1/no-such").json()["error"]["code"] == "not_found"
