"""A coach ticks hosts and observers as fast as she can while the server is slow to re-check
the "Place a visit" form: every tick she made is still ticked, and the visit placed has
exactly those people (review of issue 14: a late re-check reply once wiped a tick)."""

import re
import time

import pytest
from playwright.sync_api import expect

from inquiry.services import cycle_start, participants_set
from inquiry.tests.factories import next_weekday
from schools.models import Person
from visits import views
from visits.models import Visit

from .axe import axe_check
from .conftest import sign_in
from .test_plan_a_round_journey import HOSTS, OBSERVERS, TITLE
from .test_plan_a_round_journey import lincoln as lincoln  # the school, as a fixture

pytestmark = pytest.mark.browser

SLOW = 0.5  # seconds the server takes to answer each re-check


@pytest.fixture
def slow_rechecks(monkeypatch):
    """The server answers every re-check of the visit form half a second late (in the live
    server's thread, so the browser keeps clicking meanwhile)."""
    plan_page = views._plan_page

    def slowly(request, *args, **kwargs):
        if request.method == "POST" and request.POST.get("action") == "check":
            time.sleep(SLOW)
        return plan_page(request, *args, **kwargs)

    monkeypatch.setattr(views, "_plan_page", slowly)


def test_every_quick_tick_survives_a_slow_server_and_is_placed(
    page, live_server, transactional_db, lincoln, slow_rechecks, screenshots
):
    people = {str(p): p for p in Person.objects.all()}
    cycle = cycle_start(school=lincoln.school, structure="rounds", title=TITLE, by=lincoln.coach)
    participants_set(
        cycle=cycle,
        observers=[people[n] for n in OBSERVERS],
        hosts=[people[n] for n in HOSTS],
        facilitators=[lincoln.coach],
    )
    monday = next_weekday(0)
    sign_in(page, live_server, "coach")
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/visits/")
    form = page.locator("#visit-form")
    hosts = form.get_by_role("group", name="Hosts")
    observers = form.get_by_role("group", name="Observers")

    # Every click at once, each one a re-check the server answers late.
    form.get_by_label("Date").fill(monday.isoformat())
    for name in HOSTS:
        hosts.get_by_label(name).click()
    period = form.get_by_role("radio", name=re.compile(r"^Mon period 2 "))
    period.click()  # waits until the periods of those hosts are shown
    for name in OBSERVERS:
        observers.get_by_label(name).click()
    cover = form.get_by_label("Who covers Hal Ward's HIST8-1 (History 8)?")
    cover.select_option(label="Ivy Nunez")
    page.wait_for_timeout(3 * SLOW * 1000)  # every late answer has landed
    screenshots(page, "all-ticked")

    for name in HOSTS:
        expect(hosts.get_by_label(name)).to_be_checked()
    for name in OBSERVERS:
        expect(observers.get_by_label(name)).to_be_checked()
    expect(period).to_be_checked()
    expect(cover.locator("option:checked")).to_have_text("Ivy Nunez")
    expect(page.get_by_text("This field is required.")).to_have_count(0)
    axe_check(page)

    page.get_by_role("button", name="Place the visit").click()
    expect(page.get_by_text("Visit placed. Everyone in it gets an email.")).to_be_visible()
    visit = Visit.objects.get()
    assert {str(room.host) for room in visit.classrooms.all()} == set(HOSTS)
    assert {str(seat.person) for seat in visit.observers.all()} == set(OBSERVERS)
    assert str(visit.observers.get(person__username="hal").covered_by) == "Ivy Nunez"


def test_unticking_a_host_while_the_server_is_slow_is_kept(
    page, live_server, transactional_db, lincoln, slow_rechecks
):
    """Ticks and unticks in quick succession: what is on screen is what counts."""
    people = {str(p): p for p in Person.objects.all()}
    cycle = cycle_start(school=lincoln.school, structure="rounds", title=TITLE, by=lincoln.coach)
    participants_set(
        cycle=cycle,
        observers=[people[n] for n in OBSERVERS],
        hosts=[people[n] for n in HOSTS],
        facilitators=[lincoln.coach],
    )
    sign_in(page, live_server, "coach")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/visits/")
    hosts = page.locator("#visit-form").get_by_role("group", name="Hosts")
    for name in HOSTS:
        hosts.get_by_label(name).click()
    hosts.get_by_label(HOSTS[1]).click()  # unticked again at once
    page.wait_for_timeout(3 * SLOW * 1000)
    expect(hosts.get_by_label(HOSTS[0])).to_be_checked()
    expect(hosts.get_by_label(HOSTS[1])).not_to_be_checked()
    expect(hosts.get_by_label(HOSTS[2])).to_be_checked()
    # The periods shown are those of the hosts ticked now (Ana and Dora share Mon 2, Tue 1).
    expect(page.locator("#visit-form").get_by_role("radio")).to_have_count(2)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe_check(page)


def test_propose_starts_on_next_week_and_an_emptied_week_is_answered_under_the_field(
    page, live_server, transactional_db, lincoln, screenshots
):
    people = {str(p): p for p in Person.objects.all()}
    cycle = cycle_start(school=lincoln.school, structure="rounds", title=TITLE, by=lincoln.coach)
    participants_set(
        cycle=cycle,
        observers=[people[n] for n in OBSERVERS],
        hosts=[people[n] for n in HOSTS],
        facilitators=[lincoln.coach],
    )
    sign_in(page, live_server, "coach")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/visits/")
    week = page.get_by_label("Week of")
    expect(week).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    week.fill("")
    page.get_by_role("button", name="Propose a schedule").click()
    expect(page.get_by_text("Choose the week to schedule.")).to_be_visible()
    expect(page.get_by_label("Week of")).to_have_attribute("aria-invalid", "true")
    screenshots(page, "week-needed")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe_check(page)
