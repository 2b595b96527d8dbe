"""A principal reads the school's patterns over time, by improvement goal and by problem of
practice, on a phone and a laptop: axe passes, nothing scrolls sideways, and a term chosen
in the form narrows the page to whole cycles."""

import pytest
from playwright.sync_api import expect

from insights.tests.test_patterns_over_time import year  # noqa: F401 (a fixture)

from .conftest import checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def test_patterns_over_time_read_on_a_phone_and_a_laptop(
    page,
    live_server,
    transactional_db,
    year,  # noqa: F811
):
    sign_in(page, live_server, "principal")
    page.goto(f"{live_server.url}/schools/lincoln/patterns/")
    expect(page.get_by_role("heading", name="Over time")).to_be_visible()
    expect(page.get_by_role("heading", name="By improvement goal")).to_be_visible()
    checked_at_both_sizes(page)
    page.get_by_label("or a term").select_option(label="Spring")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Spring walk")).to_be_visible()
    expect(page.get_by_role("heading", name="Fall rounds")).to_have_count(0)
    checked_at_both_sizes(page)
