"""An observer tags a note with a look-for on a 390 px phone ("About"), with one thumb and
without a connection; the debrief quotes it under that look-for, not under "Other notes". A note
tagged with a look-for the coach retired meanwhile is refused with what to do, and sent without
it in one tap. The countdown is legible at arm's length and still fits the phone."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from inquiry.services import look_for_retire
from inquiry.tests.factories import make_round
from visits.models import Evidence

from .axe import axe_check
from .conftest import UNDER_SERVICE_WORKER, sign_in
from .test_capture_offline import PUT_IN_OUTBOX

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ANCHOR = "Students use the anchor chart"
EXPLAIN = "Students explain their reasoning to a partner"
SYNC_WAIT = 30_000
NO_PAGE_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def open_capture(page, live_server, visit) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "colleague")
    page.goto(f"{live_server.url}/visits/{visit.pk}/capture/")
    expect(page.locator("#capture[data-ready=yes]")).to_be_attached()


def test_a_note_tagged_on_a_phone_is_quoted_under_its_look_for_in_the_debrief(
    page, live_server, transactional_db, personas, screenshots
):
    _, visit = make_round(personas, held=True)
    open_capture(page, live_server, visit)
    page.evaluate(UNDER_SERVICE_WORKER)
    expect(page.locator("#capture[data-offline-ready=yes]")).to_be_attached()
    about = page.get_by_role("group", name="About")
    expect(about.get_by_role("radio", name="None")).to_be_checked()
    assert page.evaluate(NO_PAGE_SCROLL), "the capture page scrolls sideways at 390 px"
    axe_check(page)

    # The countdown reads at arm's length (at least 2.5rem) and the bar still fits the phone.
    countdown = page.locator(".capture-bar .countdown")
    assert float(countdown.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")) >= 40
    assert countdown.evaluate("n => getComputedStyle(n).fontVariantNumeric") == "tabular-nums"
    bar = page.locator(".capture-bar").bounding_box()
    assert bar and bar["x"] + bar["width"] <= PHONE["width"]
    for button in page.locator(".capture-bar button").all():
        box = button.bounding_box()
        assert box and box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]

    # Offline, the observer taps the look-for chip and starts a note; the choice and the draft
    # stay on the phone when the page reopens from the service worker.
    page.context.set_offline(True)
    chip = about.get_by_role("radio", name=ANCHOR)
    about.get_by_text(ANCHOR).click()  # the whole chip is the target
    expect(chip).to_be_checked()
    chip_box = page.locator(".about-chip label", has_text=ANCHOR).bounding_box()
    assert chip_box and chip_box["height"] >= 44
    page.get_by_label("A timestamped note").fill("Three pairs pointed at the chart to explain")
    page.reload()
    expect(page.locator("#capture[data-ready=yes]")).to_be_attached()
    expect(about.get_by_role("radio", name=ANCHOR)).to_be_checked()
    expect(page.get_by_label("A timestamped note")).to_have_value(
        "Three pairs pointed at the chart to explain"
    )
    page.get_by_label("A timestamped note").scroll_into_view_if_needed()
    screenshots(page, "note-about-a-look-for")

    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_label("A timestamped note")).to_have_value("")
    expect(about.get_by_role("radio", name="None")).to_be_checked()  # the next note starts untagged
    recent = page.locator("#recent")
    expect(recent.locator(".entry-about")).to_have_text(f"About: {ANCHOR}")

    # The next note, about no look-for in particular, with the keyboard alone: Tab reaches the
    # chosen chip, arrows move the choice, Tab and Enter save.
    page.get_by_label("A timestamped note").fill("The room was warm")
    page.keyboard.press("Tab")
    expect(about.get_by_role("radio", name="None")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(about.get_by_role("radio", name=EXPLAIN)).to_be_checked()
    page.keyboard.press("ArrowLeft")
    expect(about.get_by_role("radio", name="None")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save note")).to_be_focused()
    page.keyboard.press("Enter")
    expect(recent.locator("li")).to_have_count(2)
    expect(recent.locator(".entry-about")).to_have_count(1)
    axe_check(page)

    page.context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_text("All 2 entries saved", timeout=SYNC_WAIT)
    stored = Evidence.objects.filter(classroom__visit=visit, kind="note")
    tagged = stored.get(text="Three pairs pointed at the chart to explain")
    assert tagged.look_for is not None and tagged.look_for.text == ANCHOR
    assert stored.get(text="The room was warm").look_for is None

    page.goto(f"{live_server.url}/visits/{visit.pk}/debrief/")
    grouped = page.get_by_role("region", name="Evidence, grouped by look-for")
    quote = grouped.get_by_role("listitem").filter(has_text="Three pairs pointed at the chart")
    expect(quote).to_be_visible()
    # Under the look-for's heading: the nearest heading before the quote names the look-for.
    heading = quote.evaluate(
        "li => { let n = li.closest('ul').previousElementSibling;"
        " while (n && n.tagName !== 'H3') n = n.previousElementSibling;"
        " return n && n.textContent.trim(); }"
    )
    assert heading == ANCHOR
    others = grouped.get_by_role("listitem").filter(has_text="The room was warm")
    expect(others).to_be_visible()
    assert page.evaluate(NO_PAGE_SCROLL), "the debrief scrolls sideways at 390 px"
    axe_check(page)
    screenshots(page, "debrief-quotes-by-look-for")


def test_a_note_about_a_look_for_retired_meanwhile_is_sent_without_it_in_one_tap(
    page, live_server, transactional_db, personas, server_turn
):
    cycle, visit = make_round(personas)
    room = visit.classrooms.get()
    look_for = cycle.look_fors.get(text=ANCHOR)
    open_capture(page, live_server, visit)

    # The note waited on the phone, tagged, while the coach retired the look-for.
    page.context.set_offline(True)
    recorded_at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    page.evaluate(
        PUT_IN_OUTBOX,
        [
            {
                "visit": visit.pk,
                "user": str(personas.colleague.pk),
                "kind": "note",
                "id": str(uuid.uuid4()),
                "classroom": room.pk,
                "recorded_at": recorded_at.isoformat(),
                "text": "Pairs checked the chart before answering",
                "look_for": look_for.pk,
                "created": 1,
            }
        ],
    )
    with server_turn:  # a request the page sent before it went offline may still be read
        look_for_retire(look_for=look_for)
    page.context.set_offline(False)
    page.reload()
    expect(page.get_by_role("radio", name=ANCHOR)).to_have_count(0)  # no longer offered

    refused = page.get_by_role("region", name="Could not be saved")
    expect(refused.get_by_text("was retired from this cycle", exact=False)).to_be_visible(
        timeout=SYNC_WAIT
    )
    expect(refused.get_by_text(f"About: {ANCHOR}")).to_be_visible()
    axe_check(page)
    refused.get_by_role("button", name="Send without the look-for").click()
    expect(page.locator("#sync-status")).to_have_text("1 entry saved", timeout=SYNC_WAIT)
    expect(refused).to_be_hidden()
    note = Evidence.objects.get(classroom__visit=visit)
    assert note.text == "Pairs checked the chart before answering" and note.look_for is None
