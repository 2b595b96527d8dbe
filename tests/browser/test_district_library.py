"""A coach shares her round's look-fors with the district from the Look-fors page, then finds
them in the district library; the pages pass axe at phone and laptop size."""

import pytest
from playwright.sync_api import expect

from inquiry.tests.factories import make_round

from .conftest import checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def test_a_coach_shares_look_fors_and_finds_them_in_the_library(
    page, live_server, transactional_db, personas
):
    cycle, _ = make_round(personas)
    sign_in(page, live_server, "coach")
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/look-fors/")
    page.get_by_role("button", name="Share these look-fors with the district").click()
    expect(page.get_by_text("Shared with the district")).to_be_visible()
    page.get_by_role("link", name="Copy from the district library").click()
    expect(page.get_by_role("heading", name="District library")).to_be_visible()
    expect(page.get_by_text("Students explain their reasoning to a partner")).to_be_visible()
    checked_at_both_sizes(page)
