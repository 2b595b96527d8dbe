"""Timers show the time left by the wall clock: a phone that sleeps, or a tab in the background
whose timers the browser wakes once a minute, shows the true time when it is looked at again
(the capture page's countdown per classroom, the debrief's timer per protocol step). Saving the
debrief, or an entry on the capture page, neither stops nor resets them; a stopped timer says
what was spent, never the last second it drew."""

import pytest
from playwright.sync_api import expect

from inquiry.tests.factories import make_round

from .axe import axe_check
from .conftest import sign_in

pytestmark = pytest.mark.browser


def open_debrief(page, live_server, visit):
    page.goto(f"{live_server.url}/visits/{visit.pk}/debrief/")
    step = page.locator(".step-timer").first
    return step, int(step.get_attribute("data-minutes"))


def test_the_debrief_timer_keeps_time_while_its_tab_is_in_the_background(
    page, live_server, transactional_db, personas
):
    _, visit = make_round(personas, held=True)  # the debrief opens once it starts
    page.clock.install()
    sign_in(page, live_server, "coach")
    step, minutes = open_debrief(page, live_server, visit)
    button = step.locator(".timer-button")
    out = step.locator(".timer-out")

    button.click()
    expect(out).to_have_text(f"{minutes}:00 left")
    # Two minutes pass, and the page's timers run once (as in a background tab).
    page.clock.fast_forward("02:00")
    expect(out).to_have_text(f"{minutes - 2}:00 left")
    expect(step.locator(".step-timer-note")).to_have_text("2:00 spent")
    page.clock.fast_forward((minutes - 2) * 60_000)
    expect(out).to_have_text("Time to move on")
    expect(step.locator(".step-timer-note")).to_have_text(f"All {minutes} minutes spent")
    expect(button).to_have_text(f"Start {minutes}-minute timer")
    expect(page.locator("#timer-announce")).to_have_text("Time to move on from Describe.")


def test_a_stopped_debrief_timer_says_what_was_spent_not_a_stale_time(
    page, live_server, transactional_db, personas, screenshots
):
    _, visit = make_round(personas, held=True)  # the debrief opens once it starts
    page.clock.install()
    sign_in(page, live_server, "coach")
    step, minutes = open_debrief(page, live_server, visit)
    button = step.locator(".timer-button")
    out = step.locator(".timer-out")

    button.click()
    page.clock.fast_forward("03:00")
    button.click()
    expect(button).to_have_text("Resume timer")
    expect(out).to_have_text("Stopped at 3:00")
    expect(step.locator(".step-timer-note")).to_have_text(f"{minutes - 3}:00 of {minutes}:00 left")
    page.clock.fast_forward("05:00")
    expect(out).to_have_text("Stopped at 3:00")
    axe_check(page)
    screenshots(page, "debrief-timer-stopped")

    button.click()
    page.clock.fast_forward("01:00")
    expect(out).to_have_text(f"{minutes - 4}:00 left")
    step.get_by_role("button", name="Reset").click()
    expect(out).to_have_text(f"{minutes}:00")
    expect(button).to_be_focused()


def test_saving_the_debrief_keeps_each_step_timer_running(
    page, live_server, transactional_db, personas
):
    _, visit = make_round(personas, held=True)  # the debrief opens once it starts
    page.clock.install()
    sign_in(page, live_server, "coach")
    step, minutes = open_debrief(page, live_server, visit)
    step.locator(".timer-button").click()
    page.clock.fast_forward("02:00")

    page.get_by_label("Takeaways").fill("Talk before writing works")
    page.get_by_role("button", name="Save the debrief").click()
    expect(page.get_by_text("Debrief saved.")).to_be_visible()
    expect(page.get_by_label("Takeaways")).to_have_value("Talk before writing works")

    step = page.locator(".step-timer").first
    expect(step.locator(".timer-out")).to_have_text(f"{minutes - 2}:00 left")
    expect(step.locator(".timer-button")).to_have_text("Stop timer")
    page.clock.fast_forward("01:00")
    expect(step.locator(".timer-out")).to_have_text(f"{minutes - 3}:00 left")
    # The other steps' timers were never started, and still are not.
    expect(page.locator(".step-timer").nth(1).locator(".timer-out")).to_have_text("10:00")


def test_the_capture_countdown_keeps_time_while_the_phone_sleeps(
    page, live_server, transactional_db, personas, screenshots
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
    screenshots(page, "capture-paused")


def test_saving_a_note_or_reloading_the_capture_page_keeps_the_countdown_running(
    page, live_server, transactional_db, personas
):
    cycle, visit = make_round(personas)
    page.clock.install()
    sign_in(page, live_server, "colleague")
    page.goto(f"{live_server.url}/visits/{visit.pk}/capture/")
    expect(page.locator("#capture[data-ready=yes]")).to_be_attached()
    countdown = page.locator("#countdown")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.fast_forward("01:00")

    page.get_by_label("A timestamped note").fill("Pairs compared two answers")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("#recent")).to_contain_text("Pairs compared two answers")
    page.clock.fast_forward("01:00")
    expect(countdown).to_have_text(f"{cycle.visit_minutes - 2}:00")

    page.reload()
    expect(page.locator("#capture[data-ready=yes]")).to_be_attached()
    page.clock.fast_forward("01:00")
    expect(page.locator("#countdown")).to_have_text(f"{cycle.visit_minutes - 3}:00")
    expect(page.get_by_role("button", name="Pause", exact=True)).to_be_visible()
