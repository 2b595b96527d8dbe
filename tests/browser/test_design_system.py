"""The design system in Chromium, at a phone's 390 px and a laptop's 1,366 px: the home page and
the style page never scroll sideways, pass axe, and the menu folds behind "Menu" on the phone,
opened and closed from the keyboard, with targets a finger can hit."""

import pytest
from playwright.sync_api import expect

from .axe import axe_check
from .conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


def no_sideways_scroll(page) -> None:
    assert not page.evaluate(SCROLLS_SIDEWAYS), f"{page.url} scrolls sideways"


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_home_and_style_pages_fit_the_screen_and_pass_axe(
    page, live_server, transactional_db, personas, size, screenshots
):
    page.set_viewport_size(size)
    sign_in(page, live_server, "coach")
    no_sideways_scroll(page)
    page.goto(f"{live_server.url}/style/")
    expect(page.get_by_role("heading", name="Style", level=1)).to_be_visible()
    no_sideways_scroll(page)
    axe_check(page)
    page.get_by_text("Markup to copy").first.click()  # an open snippet fits too
    no_sideways_scroll(page)
    page.locator("details.confirm summary").click()  # the confirmation opens in place
    expect(page.get_by_role("button", name="Yes, remove")).to_be_visible()
    no_sideways_scroll(page)
    axe_check(page)
    page.goto(f"{live_server.url}/schools/lincoln/schedule/")
    no_sideways_scroll(page)
    screenshots(page, "style")


def test_on_a_phone_the_menu_opens_from_the_keyboard(page, live_server, transactional_db, personas):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "teacher")
    menu = page.get_by_role("button", name="Menu")
    main_nav = page.get_by_role("navigation", name="Main")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(main_nav).to_be_hidden()

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(main_nav).to_be_visible()
    page.keyboard.press("Tab")
    my_visits = main_nav.get_by_role("link", name="My visits")
    expect(my_visits).to_be_focused()
    expect(my_visits).to_have_attribute("aria-current", "page")
    for link in main_nav.get_by_role("link").all():
        assert link.bounding_box()["height"] >= 44
    assert main_nav.get_by_role("button", name="Sign out").bounding_box()["height"] >= 44
    assert menu.bounding_box()["height"] >= 44
    axe_check(page)

    page.keyboard.press("Escape")
    expect(main_nav).to_be_hidden()
    expect(menu).to_be_focused()

    menu.click()
    main_nav.get_by_role("link", name="My school").click()
    expect(page.get_by_role("heading", name="Lincoln School: master schedule")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Lincoln School").get_by_role("link", name="Schedule")
    ).to_have_attribute("aria-current", "page")
    no_sideways_scroll(page)


def test_on_a_laptop_the_menu_is_always_shown(page, live_server, transactional_db, personas):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "principal")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="My visits")).to_have_attribute("aria-current", "page")
    main_nav.get_by_role("link", name="My cycles").click()
    expect(main_nav.get_by_role("link", name="My cycles")).to_have_attribute("aria-current", "page")


def test_a_rechecked_form_shows_errors_only_under_touched_fields(
    page, live_server, transactional_db, personas
):
    sign_in(page, live_server, "coach")
    page.goto(f"{live_server.url}/style/")
    form = page.locator("#example-form")
    form.get_by_label("Minutes per classroom").fill("3")
    form.get_by_label("Minutes per classroom").press("Tab")  # leaving it re-checks the form
    minutes = page.locator("#example-form").get_by_label("Minutes per classroom")
    expect(minutes).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#example-form").get_by_label("Title")).not_to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator("#example-form .errorlist")).to_have_count(1)
    # The field focus moved to as htmx replaced the form was not left by the person.
    expect(page.locator("#example-form input[name=_touched]")).to_have_value("minutes")
    axe_check(page)
