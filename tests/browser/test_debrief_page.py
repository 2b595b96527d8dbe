"""The debrief and a host's page read on a phone (390 px) and a laptop (1,366 px): no sideways
scrolling of the page (wide tables scroll inside their own box), no serious or critical axe
violation, and the numbers as text. Screenshots go to build/screenshots/ (not committed)."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from teams.tests.factories import library_loaded
from visits.capture import Entry, evidence_record
from visits.models import EvidenceRead
from visits.tests.test_debrief import big_round

from .axe import axe_check
from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser

SCREENS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
LONG = "Students explain, in their own words and with a drawing, why their strategy works"
NO_PAGE_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def captured_round(personas):
    """A round through three classrooms with a long look-for, talk time in two of them, long
    tally labels, bright moments with and without words, and notes tagged or not."""
    cycle, visit, watchers = big_round(personas, classrooms=3, observers=2)
    cycle.look_fors.filter(text="Students do 0").update(text=LONG)
    look_fors = list(cycle.look_fors.all())
    at = datetime.now(UTC)  # the visit is next week: captured now, as in a rehearsal
    rooms = list(visit.classrooms.order_by("position", "id"))

    def make(room, kind, **fields):
        return Entry(id=uuid.uuid4(), classroom=room.pk, kind=kind, recorded_at=at, **fields)

    for n, observer in enumerate(watchers):
        entries = []
        for r, room in enumerate(rooms):
            entries += [
                make(room, "look_for", look_for=look_fors[(i + r) % 4].pk) for i in range(5)
            ]
            entries.append(make(room, "tally", label="Student-to-student question, unprompted"))
            entries.append(make(room, "note", look_for=look_fors[0].pk, text=f"Quote {n}{r} " * 12))
            entries.append(make(room, "note", text="An untagged note about the room"))
            entries.append(make(room, "bright_moment"))
            if r < 2:
                talk = {"teacher_talk_seconds": 200, "student_talk_seconds": 300 - 50 * r}
                entries.append(make(room, "talk_time", silence_seconds=60, **talk))
        entries.append(make(rooms[0], "bright_moment", text="A quiet student led the pair"))
        outcomes = evidence_record(visit=visit, author=observer, entries=entries)
        assert {o.status for o in outcomes} == {"stored"}, outcomes
    for reader in watchers:
        EvidenceRead.objects.bulk_create(
            EvidenceRead(classroom=rooms[0], reader=reader, where="debrief") for _ in range(4)
        )
    return visit, rooms


def check_page(page, name: str) -> None:
    for screen, size in SCREENS.items():
        page.set_viewport_size(size)
        assert page.evaluate(NO_PAGE_SCROLL), f"{name} scrolls sideways at {size['width']} px"
        axe_check(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{screen}.png"), full_page=True)


def test_the_debrief_fits_a_phone_and_passes_axe(page, live_server, transactional_db, personas):
    visit, _ = captured_round(personas)
    page.set_viewport_size(SCREENS["phone"])
    sign_in(page, live_server, "coach")
    page.goto(f"{live_server.url}/visits/{visit.pk}/debrief/")
    expect(page.get_by_role("heading", name="Look-fors across classrooms")).to_be_visible()
    expect(page.get_by_text("Classroom C: talk time not tracked")).to_be_visible()
    expect(page.get_by_text("8 bright moments in 3 classrooms")).to_be_visible()
    check_page(page, "debrief")


def test_the_host_page_fits_a_phone_and_passes_axe(page, live_server, transactional_db, personas):
    _, rooms = captured_round(personas)
    page.set_viewport_size(SCREENS["phone"])
    sign_in(page, live_server, rooms[0].host.username)
    page.goto(f"{live_server.url}/visits/{rooms[0].visit_id}/my-classroom/")
    expect(page.get_by_role("heading", name="Look-fors in my classroom")).to_be_visible()
    expect(page.get_by_text("o0 read it 4 times", exact=False)).to_be_visible()
    expect(page.get_by_text("4 bright moments")).to_be_visible()
    page.get_by_text("Show all", exact=False).click()  # every entry, opened
    check_page(page, "my-classroom")


def test_the_group_follows_the_debrief_s_protocol_on_their_phones(
    page, browser, live_server, transactional_db, personas, screenshots
):
    """An observer waits on the debrief's page on a phone; the coach starts the protocol and
    moves on; the observer's page shows each step without a reload by hand."""
    library_loaded()
    visit, _ = captured_round(personas)
    context = browser.new_context(viewport=SIZES["phone"])
    try:
        observer = context.new_page()
        sign_in(observer, live_server, "o0")
        observer.goto(f"{live_server.url}/visits/{visit.pk}/debrief/")
        expect(observer.get_by_text("When the facilitator starts the protocol")).to_be_visible()

        sign_in(page, live_server, "coach")
        page.goto(f"{live_server.url}/visits/{visit.pk}/debrief/")
        page.get_by_role("button", name="Start the protocol").click()
        expect(page.get_by_text("Step 1 of 4")).to_be_visible()

        state = observer.locator("#run-state")
        expect(state.get_by_role("heading", name="Describe")).to_be_visible(timeout=8000)
        expect(observer.get_by_role("button", name="Next step")).to_have_count(0)
        page.get_by_role("button", name="Next step").click()
        expect(state.get_by_role("heading", name="Analyze")).to_be_visible(timeout=6000)
        expect(observer.locator("#run-announce")).to_have_text("Step 2 of 4: Analyze")
        checked_at_both_sizes(observer)
        observer.set_viewport_size(SIZES["phone"])
        screenshots(observer, "debrief-protocol-phone")
    finally:
        context.close()
