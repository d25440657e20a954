"""Browser tests: Debian's chromium through playwright, on a phone-sized screen.

A patient goes from the first page to a booking; a patient whose story is an emergency gets
the emergency page and no exercises; a clinician logs in and sees that booking; a stranger
cannot reach the desk. Every page visited is screenshotted (test-artifacts/screenshots/),
checked with axe-core (no serious or critical violation), and may talk only to our server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    ThreadServer,
    Visit,
    missing,
)
from web_helpers import CLINICIAN, EMERGENCY_TEXT, PATIENT_TEXT, make_settings

from popliteal.api import create_app
from popliteal.store import Store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    db = tmp_path_factory.mktemp("web") / "browser.db"
    Store.from_url(f"sqlite:///{db}").add_user(*CLINICIAN)
    # development: plain http on 127.0.0.1, so the cookies are not Secure
    settings = make_settings(f"sqlite:///{db}", env="development")
    with ThreadServer(create_app(settings)) as running:
        yield running


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        missing(f"axe-core is not installed at {AXE.relative_to(AXE.parents[4])}")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def visit(browser: Any, server: ThreadServer, axe_source: str,
          request: pytest.FixtureRequest) -> Iterator[Any]:
    def open_visit(name: str, viewport: dict[str, int] = PHONE) -> Visit:
        context = browser.new_context(viewport=viewport, base_url=server.url,
                                      is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
        contexts.append(context)
        return Visit(context.new_page(), server.url, axe_source, name)

    contexts: list[Any] = []
    yield open_visit
    for context in contexts:
        context.close()


def _answer_until_result(v: Visit, limit: int = 30) -> None:
    page = v.page
    for n in range(limit):
        if "/assessment/result" in page.url:
            return
        if n < 2:
            v.check(f"question {n + 1}")
        buttons = page.locator("button.choice")
        if buttons.count() and page.locator("input[name=answer]").count() == 0:
            buttons.nth(1).click()  # yes/no or choice: the second option (No)
        else:
            page.get_by_role("button", name="Don't know").click()
        page.wait_for_load_state()
    raise AssertionError("no result after answering")


def _start(v: Visit, text: str, age: str) -> None:
    page = v.page
    page.goto("/")
    v.check("start")
    page.get_by_label("In your own words").fill(text)
    page.get_by_label("Your age in years").fill(age)
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("I agree that my answers").check()
    page.get_by_role("button", name="Start").click()
    page.wait_for_load_state()


@pytest.fixture(scope="module")
def booked(browser: Any, server: ThreadServer, axe_source: str) -> dict[str, Any]:
    """A patient on a phone from the first page to a booking request (run once)."""
    context = browser.new_context(viewport=PHONE, base_url=server.url, is_mobile=True,
                                  has_touch=True)
    v = Visit(context.new_page(), server.url, axe_source, "patient")
    page = v.page
    page.goto("/")
    page.get_by_role("button", name="Start").click()  # nothing filled in: errors first
    v.check("start with errors")
    assert page.locator("#age-error").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    _start(v, PATIENT_TEXT, "34")
    assert page.locator("progress").count() == 1
    _answer_until_result(v)
    banner = page.locator("[role=alert].banner")
    assert banner.is_visible()
    level = banner.locator(".badge").inner_text()
    v.check("result")
    exercises = page.locator("details.exercise summary")
    if exercises.count():
        exercises.first.click()
        assert page.locator("details.exercise img").first.is_visible()
        v.check("result with an exercise open")
    resume = page.locator(".link-box a").first.inner_text()
    page.get_by_label("Your postal code").fill("560123")
    page.get_by_role("button", name="Find and book").click()
    page.wait_for_load_state()
    assert page.get_by_label("Phoenix Rehab Serangoon").is_checked()
    v.check("book")
    page.get_by_label("Your name").fill("Siti Browser")
    page.get_by_label("Your phone number").fill("8123 4567")
    page.get_by_label("Choice 1: day").select_option("saturday")
    page.get_by_label("Choice 1: time of day").select_option("morning")
    page.get_by_label("The clinic may phone or message me").check()
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_load_state()
    assert "Thank you" in page.locator("h1").inner_text()
    v.check("thanks")
    context.close()
    return {"name": "Siti Browser", "level": level, "resume": resume, "axe": v.axe_results}


def test_patient_on_a_phone_goes_from_the_first_page_to_a_booking(booked: dict[str, Any]
                                                                  ) -> None:
    assert booked["level"]
    assert "/resume/" in booked["resume"]
    assert {"start", "result", "book", "thanks"} <= set(booked["axe"])


def test_emergency_story_gets_the_emergency_page_and_no_exercises(visit: Any) -> None:
    v = visit("emergency")
    _start(v, EMERGENCY_TEXT, "62")
    page = v.page
    assert page.url.endswith("/assessment/result")
    banner = page.locator("[role=alert].banner")
    assert "EMERGENCY" in banner.locator(".badge").inner_text().upper()
    assert banner.locator("a[href='tel:995']").is_visible()
    assert page.locator("#exercises").count() == 0
    assert page.locator("details.exercise").count() == 0
    assert page.locator("form[action='/book']").count() == 0
    v.check("emergency result")


def test_clinician_logs_in_and_sees_that_booking(visit: Any, booked: dict[str, Any]) -> None:
    v = visit("clinician", viewport={"width": 1024, "height": 768})
    page = v.page
    page.goto("/desk")
    assert page.url.endswith("/desk/login")
    v.check("login")
    page.get_by_label("Username").fill(CLINICIAN[0])
    page.get_by_label("Password").fill(CLINICIAN[1])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    v.check("assessments")
    page.get_by_role("link", name="Booking requests").click()
    page.wait_for_load_state()
    card = page.locator("li.card", has_text=booked["name"])
    assert card.count() == 1
    v.check("bookings")
    card.get_by_role("link", name="assessment").click()
    page.wait_for_load_state()
    assert page.locator(".markdown table").count() >= 1
    v.check("assessment summary")
    page.get_by_role("button", name="Mark handled").click()
    page.wait_for_load_state()
    assert "by dr.tan" in page.locator("dl.facts").inner_text()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    assert page.url.endswith("/desk/login?logged_out=1")
    page.goto("/desk/bookings")
    assert page.url.endswith("/desk/login")


def test_stranger_cannot_reach_the_desk(visit: Any, booked: dict[str, Any]) -> None:
    v = visit("stranger")
    page = v.page
    for path in ("/desk", "/desk/bookings", "/desk/assessments/1"):
        page.goto(path)
        assert page.url.endswith("/desk/login")
        assert booked["name"] not in page.content()
    v.check("stranger at the desk")


def test_keyboard_alone_starts_an_assessment(visit: Any) -> None:
    v = visit("keyboard")
    page = v.page
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    focus_ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus_ring != "none"
    page.keyboard.press("Enter")
    order = []
    for _ in range(9):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement"
                                   ".textContent.trim()"))
    assert order.index("text") < order.index("age") < order.index("sex-female")
    assert order.index("sex-female") < order.index("consent")
    page.focus("#text")
    page.keyboard.type("Pain behind the knee after running")
    page.keyboard.press("Tab")
    page.keyboard.type("45")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first radio: female
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # consent
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Start"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/assessment/question" in page.url or "/assessment/result" in page.url
    v.check("keyboard question")


def test_the_other_pages_pass_axe_too(visit: Any) -> None:
    """Error states, deletion, and the pages a patient rarely sees."""
    v = visit("other")
    page = v.page
    page.goto("/book")
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_load_state()
    assert page.locator("#phone-error").is_visible()
    v.check("book with errors")
    page.goto("/resume/not-a-real-token")
    v.check("unknown resume link")
    page.goto("/no-such-page")
    v.check("page not found")
    _start(v, "Aching behind the knee when I run uphill", "29")
    page.goto("/assessment/delete")
    v.check("delete")
    page.get_by_role("button", name="Delete my answers now").click()
    page.wait_for_load_state()
    assert page.url.endswith("/deleted")
    v.check("deleted")
    page.goto("/desk/login")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert page.locator("#login-error").is_visible()
    v.check("login refused")


def test_screenshots_were_saved(booked: dict[str, Any]) -> None:
    shots = sorted(Path(__file__).resolve().parents[2].glob("test-artifacts/screenshots/*.png"))
    assert any(s.name.startswith("patient-") for s in shots)
