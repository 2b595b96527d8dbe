"""A teacher opens their account page on a phone: corrects their name, turns off reminder emails,
and finds their password and calendar; the page passes axe at phone and laptop size."""

import pytest
from playwright.sync_api import expect

from .axe import axe_check
from .conftest import SIZES, sign_in

pytestmark = pytest.mark.browser

NO_PAGE_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_a_teacher_keeps_their_account_in_order(
    page, live_server, transactional_db, personas, screenshots
):
    sign_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    for size in SIZES.values():
        page.set_viewport_size(size)
        axe_check(page)
        assert page.evaluate(NO_PAGE_SCROLL), f"the page scrolls sideways at {size['width']} px"
    screenshots(page, "account")

    page.set_viewport_size(SIZES["phone"])
    page.get_by_label("First name").fill("Anna")
    page.get_by_role("button", name="Save name and email").click()
    expect(page.get_by_text("Your name and email address are saved.")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Anna")

    page.get_by_label("Reminders").uncheck()
    page.get_by_role("button", name="Save email choices").click()
    expect(page.get_by_text("Your email choices are saved.")).to_be_visible()
    expect(page.get_by_label("Reminders")).not_to_be_checked()
    expect(page.get_by_label("Changes to my visits")).to_be_checked()
    personas.teacher.refresh_from_db()
    assert (personas.teacher.first_name, personas.teacher.email_reminders) == ("Anna", False)

    page.get_by_role("textbox", name="Email address").fill("ana.ortiz@example.org")
    page.get_by_role("button", name="Save name and email").click()
    expect(
        page.get_by_text("Type your current password to change your email address.")
    ).to_be_visible()
    axe_check(page)
    screenshots(page, "account-email-needs-password")

    page.get_by_role("link", name="My calendar address").click()
    expect(page.get_by_label("Your private calendar address")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Change my password").click()
    expect(page.get_by_label("Current password")).to_be_visible()
