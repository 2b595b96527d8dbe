"""The coach plans an instructional round from nothing; an observer then finds the visit on
their home page and in their calendar feed."""

import re
from datetime import datetime, time
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from inquiry.tests.factories import next_weekday
from schools.tests.factories import HEADER_ROW, make_person, make_schedule

from .axe import axe_check
from .conftest import sign_in

pytestmark = pytest.mark.browser

TITLE = "Grade 7 rounds: student discourse"
# Monday period 2 is the only period in which all three hosts (Ana, Ben, Dora) teach. Then
# Eli, Fay and Gus are free, Hal teaches (he needs cover) and Ivy is free to cover him.
SCHEDULE = (
    HEADER_ROW
    + """\
teacher,Ana Ortiz,Mon,1,MATH7-1,Math 7,math,7,101
teacher,Ana Ortiz,Mon,2,MATH7-2,Math 7,math,7,101
teacher,Ana Ortiz,Tue,1,MATH7-1,Math 7,math,7,101
teacher,Ana Ortiz,Tue,2,MATH7-2,Math 7,math,7,101
colleague,Ben Lee,Mon,2,SCI8-1,Science 8,science,8,202
colleague,Ben Lee,Mon,3,SCI8-2,Science 8,science,8,202
colleague,Ben Lee,Tue,3,SCI8-1,Science 8,science,8,202
dora,Dora Kim,Mon,2,ELA7-1,English 7,ela,7,103
dora,Dora Kim,Tue,1,ELA7-1,English 7,ela,7,103
eli,Eli Park,Mon,1,MATH8-1,Math 8,math,8,104
fay,Fay Chen,Mon,3,SCI7-1,Science 7,science,7,204
gus,Gus Brown,Tue,2,ART7-1,Art 7,art,7,301
hal,Hal Ward,Mon,2,HIST8-1,History 8,history,8,205
hal,Hal Ward,Tue,3,HIST8-1,History 8,history,8,205
ivy,Ivy Nunez,Mon,1,ELA8-1,English 8,ela,8,105
"""
)
BELL = """day,period,start,end
Mon,1,08:00,08:45
Mon,2,08:50,09:35
Mon,3,09:40,10:25
Tue,1,08:00,08:45
Tue,2,08:50,09:35
Tue,3,09:40,10:25
"""
NEW_TEACHERS = {
    "dora": ("Dora", "Kim"),
    "eli": ("Eli", "Park"),
    "fay": ("Fay", "Chen"),
    "gus": ("Gus", "Brown"),
    "hal": ("Hal", "Ward"),
    "ivy": ("Ivy", "Nunez"),
}
HOSTS = ["Ana Ortiz", "Ben Lee", "Dora Kim"]
OBSERVERS = ["Eli Park", "Fay Chen", "Gus Brown", "Hal Ward"]
LOOK_FORS = [
    ("Students explain their reasoning to a partner", "Oral"),
    ("Students ask each other clarifying questions", "Oral"),
    ("Students point to the anchor chart when they explain", "Visual"),
    ("Students revise their written answer after talking", "Visual"),
]
TALLY_LABELS = ["Student asks a question", "Student builds on a peer", "Teacher asks why"]
PROBLEM = (
    "Students rarely explain their reasoning; most talk is teacher questions and one-word "
    "student answers."
)
THEORY = (
    "If teachers plan partner talk around the learning target, then more students will "
    "explain their reasoning aloud and in writing."
)


@pytest.fixture
def lincoln(personas):
    """The personas, six more Lincoln teachers, and a week with clock times."""
    for username, (first, last) in NEW_TEACHERS.items():
        make_person(username, personas.school, "teacher", first_name=first, last_name=last)
    make_schedule(personas.school, SCHEDULE, bell_text=BELL)
    return personas


def open_step(page, name: str) -> None:
    page.get_by_role("navigation", name="Plan this cycle").get_by_role("link", name=name).click()


def rerendered(page, action) -> None:
    """Do `action` in the visit form, then wait until htmx has redrawn what depends on it
    (every re-check redraws the periods; the boxes ticked are never replaced)."""
    page.locator("#visit-periods").evaluate("part => { part.dataset.stale = 'yes'; }")
    action()
    expect(page.locator("#visit-periods:not([data-stale])")).to_be_attached()


def test_coach_plans_a_round_and_an_observer_finds_it(
    page, live_server, transactional_db, lincoln, screenshots
):
    monday = next_weekday(0)

    # Start the cycle.
    sign_in(page, live_server, "coach")
    screenshots(page, "home")
    page.get_by_role("link", name="Start a cycle").click()
    expect(page.get_by_role("heading", name="Start a cycle of inquiry")).to_be_visible()
    axe_check(page)
    page.get_by_role("radio", name="Instructional rounds").check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Start", exact=True).click()

    # Focus: a theory of action without "then" is refused, then fixed.
    expect(page.get_by_text("Cycle started. Next: write the focus.")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    axe_check(page)
    page.get_by_label("Problem of practice").fill(PROBLEM)
    for criterion in (
        "Focuses on the instructional core",
        "Is directly observable",
        "Is actionable",
        "Is high-leverage",
    ):
        page.get_by_label(criterion).check()
    page.get_by_label("Theory of action").fill("If teachers plan partner talk around the target")
    page.get_by_role("button", name="Save the focus").click()
    expect(page.get_by_text("this one has no “then …”")).to_be_visible()
    expect(page.get_by_label("Problem of practice")).to_have_value(PROBLEM)
    expect(page.get_by_label("Is directly observable")).to_be_checked()
    axe_check(page)
    screenshots(page, "focus-refused")
    page.get_by_label("Theory of action").fill(THEORY)
    page.get_by_role("button", name="Save the focus").click()

    # Look-fors.
    expect(page.get_by_text("Focus saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="What would you see and hear?")).to_be_visible()
    axe_check(page)
    for text, kind in LOOK_FORS:
        page.get_by_label("What would you see or hear students do, say or think?").fill(text)
        page.get_by_role("radio", name=re.compile(f"^{kind}")).check()
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator("ol.look-fors .lf-text", has_text=text)).to_be_visible()
    listed = page.locator("ol.look-fors > li.look-for")
    expect(listed).to_have_count(len(LOOK_FORS))
    expect(listed.locator(".lf-text")).to_have_text([text for text, _ in LOOK_FORS])
    expect(listed.locator(".badge")).to_have_text([kind.lower() for _, kind in LOOK_FORS])
    axe_check(page)
    screenshots(page, "look-fors")
    # Edited in place, then one removed and brought back with "Undo" (no page loads).
    first = listed.nth(0)
    first.get_by_role("link", name="Edit").click()
    editor = page.get_by_label("Look-for", exact=True)
    expect(editor).to_be_focused()
    editor.fill(LOOK_FORS[0][0] + " or a group")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(listed.nth(0).locator(".lf-text")).to_have_text(LOOK_FORS[0][0] + " or a group")
    page.get_by_role("button", name=f"Remove “{LOOK_FORS[3][0]}”").click()
    undo = page.locator("ol.look-fors .undo")
    expect(undo).to_contain_text(f"Removed “{LOOK_FORS[3][0]}”.")
    axe_check(page)
    undo.get_by_role("button", name="Undo").click()
    expect(listed).to_have_count(len(LOOK_FORS))
    expect(listed.nth(3).locator(".lf-text")).to_have_text(LOOK_FORS[3][0])

    # Evidence tool: the rounds template's checklist, plus tally counters, added in place.
    open_step(page, "Evidence tool")
    expect(page.get_by_text("The checklist is made from the look-fors (4 active)")).to_be_visible()
    axe_check(page)
    parts = page.locator("ol.tool-parts > li.tool-part-row strong")
    expect(parts).to_have_text(
        ["Look-for checklist with counts", "Talk-time tracker", "Timestamped notes"]
    )
    page.get_by_text("Add: Tally counters").click()
    page.get_by_label("Tally title").fill("Who talks")
    page.get_by_label("Tally labels, one per line").fill("\n".join(TALLY_LABELS))
    page.get_by_role("button", name="Add tally counters").click()
    expect(parts).to_have_text(
        [
            "Look-for checklist with counts",
            "Talk-time tracker",
            "Timestamped notes",
            "Tally counters",
        ]
    )
    expect(page.get_by_label("Tally labels, one per line")).to_have_value("\n".join(TALLY_LABELS))
    page.get_by_role("button", name="Move Tally counters up").click()
    expect(parts.nth(2)).to_have_text("Tally counters")
    axe_check(page)
    screenshots(page, "evidence-tool")
    page.get_by_role("link", name="Preview it as an observer").click()
    phone = page.get_by_role("region", name="Phone preview")
    expect(phone.get_by_role("heading", name="Look-fors")).to_be_visible()
    expect(phone.get_by_role("heading", name="Who talks")).to_be_visible()
    for text, _ in LOOK_FORS[1:]:
        expect(phone.get_by_role("button", name=text)).to_be_visible()
    for label in TALLY_LABELS:
        expect(phone.get_by_role("button", name=label)).to_be_visible()
    axe_check(page)
    page.go_back()

    # People: four observers, three hosts, the coach facilitates; each part saved as pressed.
    open_step(page, "People")
    staff = page.get_by_role("region", name="Staff of Lincoln School")
    expect(staff).to_be_visible()
    expect(staff.get_by_role("button", name="coach Facilitates")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(staff.locator("#person-" + str(lincoln.teacher.pk))).to_contain_text("math")
    axe_check(page)
    page.get_by_label("Name").fill("Park")
    expect(staff.locator("li.person-card")).to_have_count(1)
    page.get_by_role("link", name="Clear").click()
    for name in OBSERVERS:
        button = staff.get_by_role("button", name=f"{name} Observes")
        button.click()
        expect(staff.get_by_role("button", name=f"{name} Observes")).to_have_attribute(
            "aria-pressed", "true"
        )
    for name in HOSTS:
        staff.get_by_role("button", name=f"{name} Hosts").click()
        expect(staff.get_by_role("button", name=f"{name} Hosts")).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(page.locator("#people-summary")).to_contain_text("Observers: 4 · Hosts: 3")
    axe_check(page)
    screenshots(page, "people")
    page.reload()
    for name in OBSERVERS:
        expect(staff.get_by_role("button", name=f"{name} Observes")).to_have_attribute(
            "aria-pressed", "true"
        )

    # Visits: the form re-renders itself (htmx) after each choice.
    open_step(page, "Visits")
    expect(page.get_by_role("heading", name="Place a visit")).to_be_visible()
    expect(page.get_by_text("No visits placed yet.")).to_be_visible()
    axe_check(page)
    form = page.locator("#visit-form")
    rerendered(page, lambda: form.get_by_label("Date").fill(monday.isoformat()))
    expect(form.get_by_label("Date")).to_have_value(monday.isoformat())
    for name in HOSTS:
        box = form.get_by_role("group", name="Hosts").get_by_label(name)
        rerendered(page, box.click)
        expect(box).to_be_checked()
    periods = form.get_by_role("radio")
    expect(periods).to_have_count(1)
    period = form.get_by_role("radio", name=re.compile(r"^Mon period 2 \(08:50–09:35\)"))
    expect(form.get_by_text("MATH7-2 in 101, SCI8-1 in 202, ELA7-1 in 103")).to_be_visible()
    rerendered(page, period.click)
    expect(period).to_be_checked()
    for name in OBSERVERS:
        box = form.get_by_role("group", name="Observers").get_by_label(name)
        rerendered(page, box.click)
        expect(box).to_be_checked()
    available = page.get_by_role("region", name="Observers in that period")
    expect(available.locator("li")).to_have_count(4)
    for name in ("Eli Park", "Fay Chen", "Gus Brown"):
        expect(available.locator("li", has_text=name)).to_contain_text(f"{name}: free")
    expect(available.locator("li", has_text="Hal Ward")).to_contain_text(
        "Hal Ward: needs cover (HIST8-1 (History 8))"
    )
    axe_check(page)
    screenshots(page, "place-a-visit")
    cover = available.get_by_label("Who covers Hal Ward's HIST8-1 (History 8)?")
    # Only colleagues free then, and nobody already in the visit.
    options = cover.locator("option")
    expect(options.filter(has_text="Ivy Nunez")).to_have_count(1)
    for busy in (*HOSTS, *OBSERVERS):
        expect(options.filter(has_text=busy)).to_have_count(0)
    rerendered(page, partial(cover.select_option, label="Ivy Nunez"))
    expect(cover.locator("option:checked")).to_have_text("Ivy Nunez")
    page.get_by_role("button", name="Place the visit").click()

    expect(page.get_by_text("Visit placed. Everyone in it gets an email.")).to_be_visible()
    placed = page.locator(".visit-list li.card")
    expect(placed).to_have_count(1)
    expect(placed.get_by_role("link")).to_have_text(f"{monday:%a %b} {monday.day}, period 2")
    for room in ("Ana Ortiz (MATH7-2)", "Ben Lee (SCI8-1)", "Dora Kim (ELA7-1)"):
        expect(placed).to_contain_text(room)
    for seat in ("Eli Park", "Fay Chen", "Gus Brown", "Hal Ward (covered by Ivy Nunez)"):
        expect(placed).to_contain_text(seat)
    axe_check(page)
    screenshots(page, "visit-placed")

    # A free observer finds the visit at home and in their calendar feed.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    sign_in(page, live_server, "eli")
    upcoming = page.get_by_role("region", name="My upcoming visits")
    card = upcoming.locator("li.card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("link")).to_have_text(f"{monday:%a %b} {monday.day}, period 2")
    expect(card).to_contain_text("08:50–09:35")
    expect(card).to_contain_text(f"Observing {TITLE}")
    screenshots(page, "observer-home")
    upcoming.get_by_role("link", name="Put my visits in my calendar").click()
    feed_url = page.locator("input#feed-url").input_value()
    assert feed_url.startswith(f"{live_server.url}/calendar/")
    axe_check(page)

    response = page.request.get(feed_url)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == f"Observing: {TITLE}"
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    new_york = ZoneInfo("America/New_York")
    assert event.decoded("DTSTART") == datetime.combine(monday, time(8, 50), tzinfo=new_york)
    assert event.decoded("DTEND") == datetime.combine(monday, time(9, 35), tzinfo=new_york)

    # The colleague who covers sees it too.
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    sign_in(page, live_server, "ivy")
    card = page.get_by_role("region", name="My upcoming visits").locator("li.card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Covering")
    expect(card).not_to_contain_text(TITLE)  # covering is not taking part


NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_the_planning_pages_fit_a_phone(page, live_server, transactional_db, lincoln):
    """At 390 px the look-fors and the People page scroll only down: people are cards, each
    part a large toggle."""
    from inquiry.services import cycle_start, look_for_add

    cycle = cycle_start(school=lincoln.school, structure="rounds", title=TITLE, by=lincoln.coach)
    for text, kind in LOOK_FORS:
        look_for_add(cycle=cycle, text=text, kind=kind.lower())
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "coach")
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/look-fors/")
    expect(page.locator("ol.look-fors > li.look-for")).to_have_count(len(LOOK_FORS))
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    axe_check(page)
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/people/")
    toggle = page.get_by_role("button", name="Eli Park Observes")
    expect(toggle).to_be_visible()
    assert toggle.bounding_box()["height"] >= 44
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    axe_check(page)
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/evidence-tool/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    axe_check(page)
