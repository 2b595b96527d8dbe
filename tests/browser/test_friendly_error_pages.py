"""A teacher who follows a link they may not open, in the demo's development mode, reads a
friendly page in the site's layout (not Django's debug page) that passes axe on a phone."""

import pytest
from playwright.sync_api import expect

from inquiry.tests.factories import make_round

from .axe import axe_check
from .conftest import SIZES, sign_in

pytestmark = pytest.mark.browser


def test_a_bystander_following_a_debrief_link_is_told_what_to_do(
    page, live_server, transactional_db, personas, settings, screenshots
):
    settings.DEBUG = True  # as `make demo` runs
    _cycle, visit = make_round(personas)
    sign_in(page, live_server, "bystander")
    page.set_viewport_size(SIZES["phone"])
    response = page.goto(f"{live_server.url}/visits/{visit.pk}/debrief/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="We can’t show you this page")).to_be_visible()
    expect(page.get_by_text("ask the cycle’s facilitator to add you")).to_be_visible()
    axe_check(page)
    screenshots(page, "not-found")

    page.get_by_role("link", name="Go to my home page").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="We can’t show you this page")).to_be_visible()


def test_a_host_opening_the_debrief_reads_why_not(
    page, live_server, transactional_db, personas, settings
):
    settings.DEBUG = True
    _cycle, visit = make_round(personas)
    sign_in(page, live_server, "teacher")
    response = page.goto(f"{live_server.url}/visits/{visit.pk}/debrief/")
    assert response is not None and response.status == 403
    expect(
        page.get_by_text("The debrief is for the visit's observers and facilitators.")
    ).to_be_visible()
    axe_check(page)
