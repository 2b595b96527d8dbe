"""A coach imports a master schedule end to end; a teacher then finds their free periods."""

import csv
import io

import pytest
from playwright.sync_api import expect

from schools.tests.factories import SMALL_SCHEDULE

from .axe import axe_check
from .conftest import sign_in

pytestmark = pytest.mark.browser

# Lincoln already holds the personas' schedule; the upload keeps it and adds Cara, who is
# new, teaches a new section, and is free (planning) in the other periods.
CARA = """cara,Cara Diaz,Mon,3,ART6-1,Art 6,art,6,303
cara,Cara Diaz,Tue,2,ART6-1,Art 6,art,6,303
"""
KEPT = list(csv.DictReader(io.StringIO(SMALL_SCHEDULE)))


def counts(page, row: str) -> list[str]:
    """Added, changed, unchanged and removed, as the preview table shows them for `row`."""
    cells = page.locator("table.counts tbody tr", has_text=row).locator("td")
    return [cell.inner_text() for cell in cells.all()]


def test_coach_imports_a_schedule(
    page, live_server, transactional_db, personas, task_worker, tmp_path, screenshots
):
    upload = tmp_path / "lincoln-schedule.csv"
    upload.write_text(SMALL_SCHEDULE + CARA)

    sign_in(page, live_server, "coach")
    page.get_by_role("link", name="Import a schedule").click()
    expect(
        page.get_by_role("heading", name="Import Lincoln School's master schedule")
    ).to_be_visible()
    axe_check(page)

    page.get_by_label("Master-schedule CSV").check()
    page.get_by_label("Schedule file").set_input_files(upload)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Importing lincoln-schedule.csv")).to_be_visible()

    status = page.locator("#import-status")
    expect(status.locator("strong")).to_have_text("Ready to review", timeout=15_000)
    kept_sections = {row["section"] for row in KEPT}
    assert counts(page, "Teachers") == ["1", "0", "2", "0"]
    assert counts(page, "Sections") == ["1", "0", str(len(kept_sections)), "0"]
    assert counts(page, "Meetings") == ["2", "–", str(len(KEPT)), "0"]
    axe_check(page)
    screenshots(page, "import-preview")

    page.get_by_role("button", name="Apply this schedule").click()
    expect(status.locator("strong")).to_have_text("Applied", timeout=15_000)
    axe_check(page)

    page.get_by_role("link", name="See the master schedule").click()
    grid = page.get_by_role("region", name="Schedule grid, teachers by periods")
    for name in ("Ana Ortiz", "Ben Lee", "Cara Diaz"):
        expect(grid.get_by_role("rowheader", name=name)).to_be_visible()
    expect(grid.get_by_role("cell", name="Free", exact=True).first).to_be_visible()
    axe_check(page)
    screenshots(page, "master-schedule")


def test_teacher_finds_their_free_periods(page, live_server, transactional_db, personas):
    sign_in(page, live_server, "teacher")
    page.get_by_role("link", name="Master schedule").click()
    expect(page.get_by_role("heading", name="Lincoln School: master schedule")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Ana Ortiz").click()
    expect(page.get_by_role("heading", name="Ana Ortiz's week")).to_be_visible()
    expect(page.get_by_role("cell", name="Free (planning)").first).to_be_visible()
    axe_check(page)
