"""The visit page on a phone (390 px) and a laptop (1,366 px), as the host, an observer and
a cover read it: no sideways scrolling, no serious or critical axe violation."""

import pytest
from playwright.sync_api import expect

from visits.tests.test_visit_page import PROBLEM, a_lab_visit

from .axe import axe_check
from .conftest import sign_in

pytestmark = pytest.mark.browser

SCREENS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
NO_PAGE_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def check_page(page, screenshots, name: str) -> None:
    for size in SCREENS.values():
        page.set_viewport_size(size)
        assert page.evaluate(NO_PAGE_SCROLL), f"{name} scrolls sideways at {size['width']} px"
        axe_check(page)
    screenshots(page, name)


def test_the_visit_page_fits_a_phone_for_host_observer_and_cover(
    page, live_server, transactional_db, personas, screenshots
):
    visit = a_lab_visit(personas, pre_brief=False)
    page.set_viewport_size(SCREENS["phone"])
    url = f"{live_server.url}/visits/{visit.pk}/"

    sign_in(page, live_server, "teacher")
    page.goto(url)
    expect(page.get_by_text(PROBLEM)).to_be_visible()
    check_page(page, screenshots, "visit-host")
    page.get_by_role("link", name="Write my pre-brief").first.click()
    page.get_by_label("My instructional goal for this lesson").fill("Partner talk about fractions")
    page.get_by_role("button", name="Save the pre-brief").click()

    page.context.clear_cookies()
    sign_in(page, live_server, "colleague")
    page.goto(url)
    expect(page.get_by_text("Partner talk about fractions")).to_be_visible()
    expect(page.get_by_text("Room 101").first).to_be_visible()
    check_page(page, screenshots, "visit-observer")

    page.context.clear_cookies()
    sign_in(page, live_server, "bystander")
    page.goto(url)
    expect(page.get_by_text("Cover SCI8-1 (Science 8) in room 202")).to_be_visible()
    check_page(page, screenshots, "visit-cover")
