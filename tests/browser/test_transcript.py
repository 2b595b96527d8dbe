"""A teacher on a phone downloads their transcript as a PDF and as a CSV; someone they give it
to opens its verification link without signing in and reads "Genuine" with the totals. Both
pages pass axe and do not scroll sideways at phone and laptop size."""

import csv
import io
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from growth.models import EntryStatus, LedgerEntry
from growth.transcript import school_year_of

from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def test_a_teacher_downloads_a_transcript_that_a_stranger_verifies(
    page, live_server, transactional_db, personas, screenshots
):
    first, _ = school_year_of(timezone.localdate())
    district = personas.school.district
    district.self_reported_needs_approval = True  # the reading waits for a coach's approval
    district.save(update_fields=["self_reported_needs_approval"])
    for day, title, minutes, status in [
        (first, "Round: how students explain their reasoning", 45, EntryStatus.VERIFIED),
        (first, "Lesson study on fractions", 120, EntryStatus.APPROVED),
        (first, "Reading: Visible Learning", 60, EntryStatus.SELF_REPORTED),
    ]:
        LedgerEntry.objects.create(
            person=personas.teacher,
            district=personas.school.district,
            date=day,
            activity="observed",
            title=title,
            minutes=minutes,
            credits=minutes / 60,
            credit_unit="clock_hours",
            status=status,
        )
    sign_in(page, live_server, "teacher")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{live_server.url}/hours/transcript/")
    expect(page.get_by_role("heading", name="My transcript")).to_be_visible()
    expect(page.get_by_text("1 self-reported entry is waiting for approval")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "transcript-form")

    page.set_viewport_size(SIZES["phone"])
    with page.expect_download() as started:
        page.get_by_role("button", name="Download my transcript").click()
    assert started.value.path().read_bytes().startswith(b"%PDF")
    page.goto(f"{live_server.url}/hours/transcript/")
    page.get_by_label("CSV (for a spreadsheet)").check()
    with page.expect_download() as started:
        page.get_by_role("button", name="Download my transcript").click()
    lines = list(csv.DictReader(io.StringIO(started.value.path().read_text(encoding="utf-8"))))
    link = next(line["title"] for line in lines if line["line"] == "verification")

    page.context.clear_cookies()
    page.goto(live_server.url + urlsplit(link).path)
    expect(page.get_by_role("heading", name="Genuine")).to_be_visible()
    expect(page.get_by_text("Ana Ortiz")).to_be_visible()
    expect(page.get_by_role("cell", name="165", exact=True)).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "transcript-verified")

    page.goto(f"{live_server.url}/verify/transcript/not-a-link/")
    expect(page.get_by_role("heading", name="Not a transcript link")).to_be_visible()
    checked_at_both_sizes(page)
