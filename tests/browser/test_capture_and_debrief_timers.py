"""Timers show the time left by the wall clock: a phone that sleeps, or a tab in the background
whose timers the browser wakes once a minute, shows the true time when it is looked at again
(the capture page's countdown per classroom, the countdown of the debrief's protocol, run with
the teams' runner). Saving the debrief, or an entry on the capture page, neither stops nor
resets them."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from inquiry.tests.factories import make_round
from teams.models import ProtocolRun
from teams.tests.factories import library_loaded
from visits.models import Debrief

from .axe import axe_check
from .conftest import sign_in

pytestmark = pytest.mark.browser


def about(minutes: int) -> re.Pattern[str]:
    """The countdown at `minutes` left, or within the minute after: the installed clock also
    runs in real time, and a loaded machine takes seconds between the steps (a reset would
    show the visit's full time)."""
    return re.compile(rf"^({minutes}:00|{minutes - 1}:[0-5]\d)$")


def open_debrief(page, live_server, visit):
    """The debrief's page, its protocol started by the coach (its facilitator): the countdown
    of the first step, and that step's minutes."""
    library_loaded()
    page.goto(f"{live_server.url}/visits/{visit.pk}/debrief/")
    page.get_by_role("button", name="Start the protocol").click()
    expect(page.locator("#run-state")).to_have_attribute("data-run-step", "1")
    run = Debrief.objects.get(visit=visit).run
    return page.locator("[data-countdown]"), run.steps[0]["minutes"]


def test_moving_on_starts_the_next_step_s_full_time_and_says_so(
    page, live_server, transactional_db, personas, screenshots
):
    _, visit = make_round(personas, held=True)  # the debrief opens once it starts
    sign_in(page, live_server, "coach")
    out, _ = open_debrief(page, live_server, visit)
    page.get_by_role("button", name="Next step").click()
    expect(page.locator("#run-state").get_by_role("heading", name="Analyze")).to_be_visible()
    expect(out).to_have_text(re.compile(r"^(10:00|9:5\d)$"))
    page.get_by_role("button", name="+1 min").click()
    expect(page.get_by_text("+ 1 min")).to_be_visible()
    axe_check(page)
    screenshots(page, "debrief-protocol-step-2")


def test_saving_the_debrief_keeps_the_protocol_s_countdown_running(
    page, live_server, transactional_db, personas, server_turn
):
    _, visit = make_round(personas, held=True)  # the debrief opens once it starts
    sign_in(page, live_server, "coach")
    out, minutes = open_debrief(page, live_server, visit)
    # Two minutes of the step pass (on the server's clock, which the countdown follows).
    with server_turn:  # the page asks for the run's state every few seconds
        run = Debrief.objects.get(visit=visit).run
        ProtocolRun.objects.filter(pk=run.pk).update(
            step_started_at=run.step_started_at - timedelta(minutes=2)
        )

    page.get_by_label("Notes: Describe").fill("Pairs explained their strategies")
    page.get_by_label("Takeaways").fill("Talk before writing works")
    page.get_by_role("button", name="Save the debrief").click()
    expect(page.get_by_text("Debrief saved.")).to_be_visible()
    expect(page.get_by_label("Takeaways")).to_have_value("Talk before writing works")
    expect(page.get_by_label("Notes: Describe")).to_have_value("Pairs explained their strategies")
    # (Within the minute after: a loaded machine takes seconds between the steps.)
    expect(out).to_have_text(re.compile(rf"^({minutes - 2}:00|{minutes - 3}:[0-5]\d)$"))
    expect(page.locator("#run-state")).to_have_attribute("data-run-step", "1")


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
    expect(countdown).to_have_text(about(cycle.visit_minutes - 2))
    page.get_by_role("button", name="Pause", exact=True).click()
    paused_at = countdown.inner_text()
    page.clock.fast_forward("05:00")
    expect(countdown).to_have_text(paused_at)
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
    expect(countdown).to_have_text(about(cycle.visit_minutes - 2))

    page.reload()
    expect(page.locator("#capture[data-ready=yes]")).to_be_attached()
    page.clock.fast_forward("01:00")
    expect(page.locator("#countdown")).to_have_text(about(cycle.visit_minutes - 3))
    expect(page.get_by_role("button", name="Pause", exact=True)).to_be_visible()
