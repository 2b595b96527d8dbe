"""How long planning takes, counted: the coach plans an instructional round from nothing to
published visits (four look-fors, three hosts, a group of four observers, one of whom needs
cover) and the test counts her clicks and full page loads.

A click is anything she presses, ticks or chooses (a button, a link, a checkbox, a radio);
typing into a field is not. A page load is a full load of the page (htmx swaps are not). The
counts are printed and must stay at or below the ones measured, so a change that makes
planning longer fails here; one that makes it shorter should lower them. Measured before
issue 14: 74 clicks and 20 page loads.
"""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from inquiry.tests.factories import next_weekday
from visits.models import Visit

from .axe import axe_check
from .conftest import sign_in
from .test_plan_a_round_journey import HOSTS, LOOK_FORS, OBSERVERS, PROBLEM, THEORY, TITLE
from .test_plan_a_round_journey import lincoln as lincoln  # the school, as a fixture

pytestmark = pytest.mark.browser

# Measured on the pages as they are (see README, "Measured: planning a round").
MOST_CLICKS = 28
MOST_PAGE_LOADS = 7


@dataclass
class Counter:
    """Every click the test makes goes through `click` (or `choose`); loads are counted as
    the main frame fires `load`."""

    page: Page
    clicks: int = 0
    loads: int = 0

    def __post_init__(self) -> None:
        self.page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.loads += 1

    def click(self, target: Locator) -> None:
        self.clicks += 1
        target.click()

    def choose(self, target: Locator) -> None:
        """Tick a checkbox or choose a radio button: a click too."""
        self.clicks += 1
        target.check()


def start_the_cycle(count: Counter) -> None:
    page = count.page
    count.click(page.get_by_role("link", name="Start a cycle"))
    expect(page.get_by_role("heading", name="Start a cycle of inquiry")).to_be_visible()
    count.choose(page.get_by_role("radio", name="Instructional rounds"))
    page.get_by_label("Title").fill(TITLE)
    count.click(page.get_by_role("button", name="Start", exact=True))
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()


def write_the_focus(count: Counter) -> None:
    page = count.page
    page.get_by_label("Problem of practice").fill(PROBLEM)
    for criterion in (
        "Focuses on the instructional core",
        "Is directly observable",
        "Is actionable",
        "Is high-leverage",
    ):
        count.choose(page.get_by_label(criterion))
    page.get_by_label("Theory of action").fill(THEORY)
    count.click(page.get_by_role("button", name=re.compile("^Save the focus")))
    expect(page.get_by_role("heading", name="What would you see and hear?")).to_be_visible()


def add_the_look_fors(count: Counter) -> None:
    page = count.page
    for text, kind in LOOK_FORS:
        page.get_by_label("What would you see or hear students do, say or think?").fill(text)
        count.choose(page.get_by_role("radio", name=re.compile(f"^{kind}")))
        count.click(page.get_by_role("button", name="Add", exact=True))
        expect(page.locator("ol.look-fors").get_by_text(text)).to_be_visible()
    expect(page.locator("ol.look-fors > li")).to_have_count(len(LOOK_FORS))


def open_step(count: Counter, name: str) -> None:
    nav = count.page.get_by_role("navigation", name="Plan this cycle")
    count.click(nav.get_by_role("link", name=name, exact=True))


def invite_the_people(count: Counter) -> None:
    page = count.page
    open_step(count, "People")
    for name, part in [*((n, "Observes") for n in OBSERVERS), *((n, "Hosts") for n in HOSTS)]:
        person = page.get_by_role("group", name=f"{name}'s part in this cycle")
        count.click(person.get_by_role("button", name=part))
        expect(person.get_by_role("button", name=part)).to_have_attribute("aria-pressed", "true")


def propose_and_publish(count: Counter, monday) -> None:
    """The scheduler places the round (Hal teaches then: Ivy covers him), the coach publishes
    after confirming how many visits and people."""
    page = count.page
    open_step(count, "Visits")
    page.get_by_label("Week of").fill(monday.isoformat())
    page.get_by_label("Seconds to search").fill("5")
    count.click(page.get_by_role("button", name="Propose a schedule"))
    expect(page.get_by_text("Every requested visit fits.")).to_be_visible(timeout=30_000)
    table = page.get_by_role("table", name="Who observes whom, when, and who covers")
    expect(table).to_contain_text("Hal Ward (covered by")
    axe_check(page)
    count.click(page.locator("summary", has_text="Publish"))
    expect(
        page.get_by_text(re.compile(r"^Publish 1 visit and email \d+ people\?$"))
    ).to_be_visible()
    count.click(page.get_by_role("button", name="Yes, publish"))
    expect(page.get_by_text("1 visit published")).to_be_visible()


def test_planning_a_round_takes_few_clicks_and_page_loads(
    page, live_server, transactional_db, lincoln, task_worker, screenshots
):
    monday = next_weekday(0)
    sign_in(page, live_server, "coach")  # signing in is not planning: counted from home
    count = Counter(page)

    start_the_cycle(count)
    write_the_focus(count)
    add_the_look_fors(count)
    invite_the_people(count)
    propose_and_publish(count, monday)

    visit = Visit.objects.get()
    assert visit.classrooms.count() == len(HOSTS) and visit.observers.count() == len(OBSERVERS)
    assert visit.observers.get(person__username="hal").covered_by is not None
    screenshots(page, "published")
    print(f"\nPlanning a round: {count.clicks} clicks, {count.loads} full page loads")
    assert count.clicks <= MOST_CLICKS, f"{count.clicks} clicks: planning got longer"
    assert count.loads <= MOST_PAGE_LOADS, f"{count.loads} page loads: planning got longer"


def test_a_proposal_fits_a_phone_and_removing_a_visit_can_be_undone(
    page, live_server, transactional_db, lincoln, task_worker, screenshots
):
    """The proposal page at 390 px: nothing scrolls sideways; Remove swaps the row for its
    undo line in place (no page load), and Undo brings the visit back."""
    from inquiry.services import cycle_start, participants_set
    from schools.models import Person

    people = {str(p): p for p in Person.objects.all()}
    coach = lincoln.coach
    cycle = cycle_start(school=lincoln.school, structure="rounds", title=TITLE, by=coach)
    participants_set(
        cycle=cycle,
        observers=[people[n] for n in OBSERVERS],
        hosts=[people[n] for n in HOSTS],
        facilitators=[coach],
    )
    sign_in(page, live_server, "coach")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/visits/")
    page.get_by_label("Week of").fill(next_weekday(0).isoformat())
    page.get_by_label("Seconds to search").fill("5")
    page.get_by_role("button", name="Propose a schedule").click()
    expect(page.get_by_text("Every requested visit fits.")).to_be_visible(timeout=30_000)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe_check(page)
    screenshots(page, "proposal")

    count = Counter(page)
    count.click(page.get_by_role("button", name=re.compile(r"^Remove Mon period 2")))
    expect(page.get_by_role("status").filter(has_text="Removed Mon period 2")).to_be_visible()
    expect(
        page.get_by_text("You removed every visit. Undo, or ask the scheduler again.")
    ).to_be_visible()
    expect(page.get_by_text("No visit could be placed")).to_have_count(0)
    axe_check(page)
    screenshots(page, "removed-with-undo")
    count.click(page.get_by_role("button", name="Undo"))
    expect(page.get_by_text("Put back Mon period 2.")).to_be_visible()
    expect(page.get_by_text("Every requested visit fits.")).to_be_visible()
    assert count.loads == 0, "remove and undo happen in place"
