"""A coach marks who attended a debrief; the observer finds the visit and the debrief in her
hours, reports a book she read, and the coach approves it from the school's queue; the
district leader counts and downloads the ledger. Every page passes axe at phone and laptop
size without scrolling sideways."""

import pytest
from playwright.sync_api import expect

from inquiry.tests.factories import make_round

from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def test_hours_accrue_a_teacher_reports_reading_and_the_coach_approves_it(
    page, live_server, transactional_db, personas
):
    _, visit = make_round(personas, held=True)
    district = personas.school.district
    district.self_reported_needs_approval = True  # reported learning waits for the coach
    district.save(update_fields=["self_reported_needs_approval"])
    sign_in(page, live_server, "coach")
    page.goto(f"{live_server.url}/visits/{visit.pk}/debrief/")
    page.get_by_label("Vi Assistant").uncheck()
    page.get_by_label("How long it took, in minutes (optional)").fill("30")
    page.get_by_role("button", name="Save who attended").click()
    expect(page.get_by_text("Attendance saved")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, "colleague")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{live_server.url}/hours/")
    expect(page.get_by_text("Observing a visit")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Debrief Student discourse")).to_be_visible()
    checked_at_both_sizes(page)
    page.get_by_label("What kind of learning").select_option(label="Professional reading")
    page.get_by_label("Title").fill("Read “Make It Stick”, chapter 3")
    page.get_by_label("Date").fill(visit.date.isoformat())
    page.get_by_label("Minutes").fill("45")
    page.get_by_role("button", name="Add to my hours").click()
    expect(page.get_by_text("Learning added to your hours.")).to_be_visible()
    expect(page.get_by_text("Waiting for approval", exact=True)).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, "coach")
    page.goto(f"{live_server.url}/schools/lincoln/hours/approvals/")
    expect(page.get_by_role("heading", name="Read “Make It Stick”, chapter 3")).to_be_visible()
    checked_at_both_sizes(page)
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Nothing to review")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, "district")
    page.goto(f"{live_server.url}/district/riverbend/hours/")
    # observed, hosted, three debriefs (the vice was unticked) and the reading
    expect(page.get_by_role("heading", name="7 entries of 4 people")).to_be_visible()
    checked_at_both_sizes(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the CSV").click()
    assert download.value.suggested_filename.startswith("hours-ledger-riverbend-")
