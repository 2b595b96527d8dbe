"""Timers show the time left by the wall clock: a phone that sleeps, or a tab in the background
whose timers the browser wakes once a minute, shows the true time when it is looked at again
(the capture page's countdown per classroom, the debrief's timer per protocol step)."""

import pytest
from playwright.sync_api import expect

from inquiry.tests.factories import make_round

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_debrief_timer_keeps_time_while_its_tab_is_in_the_background(
    page, live_server, transactional_db, personas
):
    _, visit = make_round(personas)
    page.clock.install()
    sign_in(page, live_server, "coach")
    page.goto(f"{live_server.url}/visits/{visit.pk}/debrief/")
    button = page.locator(".timer-button").first
    minutes = int(button.get_attribute("data-minutes"))
    out = page.locator(".timer-out").first

    button.click()
    expect(out).to_have_text(f"{minutes}:00 left")
    # Two minutes pass, and the page's timers run once (as in a background tab).
    page.clock.fast_forward("02:00")
    expect(out).to_have_text(f"{minutes - 2}:00 left")
    page.clock.fast_forward((minutes - 2) * 60_000)
    expect(out).to_have_text("Time to move on")
    expect(button).to_have_text(f"Start {minutes}-minute timer")


def test_the_capture_countdown_keeps_time_while_the_phone_sleeps(
    page, live_server, transactional_db, personas
):
    cycle, visit = make_round(personas)
    page.clock.install()
    sign_in(page, live_server, "colleague")
    page.goto(f"{live_server.url}/visits/{visit.pk}/capture/")
    expect(page.locator("#capture[data-ready=yes]")).to_be_attached()
    countdown = page.locator("#countdown")
    expect(countdown).to_have_text(f"{cycle.visit_minutes}:00")

    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.fast_forward("02:00")
    expect(countdown).to_have_text(f"{cycle.visit_minutes - 2}:00")
    page.get_by_role("button", name="Pause", exact=True).click()
    page.clock.fast_forward("05:00")
    expect(countdown).to_have_text(f"{cycle.visit_minutes - 2}:00")
