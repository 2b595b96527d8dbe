"""A district leader sets the district's credits on a phone: CEUs of 10 clock hours, rounded
down to a quarter, and an equity designation carried by debriefs and lesson study. The page
passes axe and never scrolls sideways, with its forms open."""

import pytest
from playwright.sync_api import expect

from schools.models import CreditDesignation, District

from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def test_a_leader_sets_ceus_and_an_equity_designation_on_a_phone(
    page, live_server, transactional_db, personas, screenshots
):
    sign_in(page, live_server, "district")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{live_server.url}/district/riverbend/settings/")

    credits = page.locator("#credits")
    credits.get_by_label("Credits are counted in").select_option("ceu")
    credits.get_by_label("Clock hours per credit").fill("10")
    credits.get_by_label("Down to a quarter").check()
    credits.get_by_role("button", name="Save credit rules").click()
    expect(
        page.get_by_text("60 minutes = 1 clock hour; 10 clock hours = 1 CEU").first
    ).to_be_visible()
    district = District.objects.get(slug="riverbend")
    assert (district.credit_unit, district.credit_rounding) == ("ceu", "quarter_down")

    adding = page.locator("#designations form").last
    adding.get_by_label("Designation").fill("Equity hours")
    adding.get_by_label("Debrief").check()
    adding.get_by_label("Lesson study").check()
    adding.get_by_role("button", name="Add the designation").click()
    expect(page.get_by_text("Carried by: Debrief, Lesson study")).to_be_visible()
    assert CreditDesignation.objects.get().activities == ["debrief", "lesson_study"]

    page.locator("#designations summary", has_text="Edit").first.click()
    checked_at_both_sizes(page)
    screenshots(page, "district-credits")
