"""The leaders' dashboards in a browser: the principal opens the school's dashboard from the
menu, changes the months, reads why a number is not shown, and downloads the PDF report; the
district leader compares the schools. Axe passes and nothing scrolls sideways at either size."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from insights.tests.dashboard_data import a_cycle, ledger, visit_on
from schools.models import LearningActivity
from schools.tests.factories import make_person

from .conftest import checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def visits_held(personas):
    """September 2025: four teachers host; October: only one (too few to show)."""
    extra = [make_person(f"t{n}", personas.school, "teacher") for n in range(5)]
    cycle = a_cycle(personas.school, personas.coach)
    for host in [personas.teacher, personas.bystander, *extra[:2]]:
        visit_on(cycle, date(2025, 9, 10), [host], [personas.colleague])
        ledger(host, personas.school, date(2025, 9, 10), LearningActivity.HOSTED)
    visit_on(cycle, date(2025, 10, 8), [personas.teacher], [personas.colleague])
    return personas


def test_a_principal_reads_the_dashboard_for_chosen_months_and_downloads_the_report(
    page, live_server, transactional_db, visits_held, screenshots
):
    sign_in(page, live_server, "principal")
    page.get_by_role("link", name="My school").first.click()
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    page.get_by_label("From:", exact=True).fill("2025-09-01")
    page.get_by_label("To:", exact=True).fill("2025-10-31")
    page.get_by_role("button", name="Show these months").click()
    expect(page.get_by_text("Sep 2025 to Oct 2025")).to_be_visible()
    # October's one visit would point at its host: the chart says why it is missing.
    expect(page.get_by_role("cell", name="not shown: fewer than 3 teachers").first).to_be_visible()
    expect(page.get_by_text("Visits held in these months: 4")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "school-dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF report").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


def test_a_district_leader_compares_the_schools(
    page, live_server, transactional_db, visits_held, screenshots
):
    sign_in(page, live_server, "district")
    page.get_by_role("link", name="District").first.click()
    page.get_by_role("link", name="Dashboard").first.click()
    page.get_by_label("From:", exact=True).fill("2025-09-01")
    page.get_by_label("To:", exact=True).fill("2025-10-31")
    page.get_by_role("button", name="Show these months").click()
    compared = page.get_by_role("table", name="Schools compared")
    expect(compared.get_by_role("row", name="Lincoln School")).to_contain_text("4")
    checked_at_both_sizes(page)
    screenshots(page, "district-dashboard")
