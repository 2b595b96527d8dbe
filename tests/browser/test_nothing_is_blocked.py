"""The site's Content-Security-Policy and Permissions-Policy block nothing a page needs: each
app's pages, the debrief's charts, the focus page and the API docs load in Chromium with no
violation (the `page` fixture fails the test on any) and pass axe."""

import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from inquiry.tests.factories import make_round
from visits.capture import Entry, evidence_record

from .axe import axe_check
from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_pages_of_every_app_work_under_the_security_headers(
    page, live_server, transactional_db, personas
):
    cycle, visit = make_round(personas, held=True)
    room, look_for = visit.classrooms.get(), cycle.look_fors.first()
    now = datetime.now(UTC)
    talk = {"teacher_talk_seconds": 300, "student_talk_seconds": 420, "silence_seconds": 60}
    entries = [
        Entry(uuid.uuid4(), room.pk, "look_for", now, look_for=look_for.pk),
        Entry(uuid.uuid4(), room.pk, "talk_time", now, **talk),
    ]
    evidence_record(visit=visit, author=personas.colleague, entries=entries)

    sign_in(page, live_server, "coach")
    for path in (
        f"/cycles/{cycle.pk}/",
        f"/cycles/{cycle.pk}/focus/",
        "/schools/lincoln/patterns/",
    ):
        page.goto(f"{live_server.url}{path}")
        axe_check(page)
    page.goto(f"{live_server.url}/visits/{visit.pk}/debrief/")
    expect(page.locator("svg.stack-bar rect.students")).to_have_attribute("width", "54")
    axe_check(page)
    # The debrief's protocol runs with the teams' runner: its countdown script works too.
    page.get_by_role("button", name="Start the protocol").click()
    clock = page.get_by_role("timer", name="Time left in this step").locator("[data-countdown]")
    expect(clock).to_contain_text(":", timeout=15_000)  # the page follows the start
    expect(clock).not_to_have_text(clock.inner_text())  # it counts down: the script runs

    page.goto(f"{live_server.url}/schools/lincoln/schedule/")
    axe_check(page)
    page.goto(f"{live_server.url}/api/docs")
    expect(page.get_by_text("OpenDoors API").first).to_be_visible()
    expect(page.get_by_text("/api/visits/{visit_id}/capture").first).to_be_visible()
