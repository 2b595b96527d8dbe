"""A teacher leader forms a grade-level team, finds its common period on the team's page and
schedules four weekly meetings there, on a phone and a laptop: every page passes axe and
never scrolls sideways."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from schools.tests.factories import make_person
from teams.models import Team, TeamMeeting

from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def next_monday() -> date:
    start = date.today() + timedelta(days=1)
    return start + timedelta(days=(0 - start.weekday()) % 7)


def test_a_teacher_leader_forms_a_team_finds_its_period_and_schedules_four_meetings(
    page, live_server, transactional_db, personas, screenshots
):
    make_person("leader", personas.school, "teacher", "facilitator", first_name="Lee")
    sign_in(page, live_server, "leader")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{live_server.url}/schools/{personas.school.slug}/teams/")
    checked_at_both_sizes(page)
    page.get_by_role("link", name="Form a team").first.click()
    page.get_by_label("Name").fill("Grade 7")
    page.get_by_label("Kind of team").select_option("grade_level")
    members = page.get_by_role("group", name="Members", exact=True)
    members.get_by_role("checkbox", name=re.compile("Ana Ortiz")).check()
    members.get_by_role("checkbox", name=re.compile("Bo Stander")).check()
    checked_at_both_sizes(page)
    screenshots(page, "form-a-team")
    page.get_by_role("button", name="Form the team").click()

    # The team's page: its members, and the periods in which all of them are free.
    expect(page.get_by_role("heading", name="Grade 7", level=1)).to_be_visible()
    expect(page.get_by_text("math · grade 7")).to_be_visible()
    expect(page.get_by_role("heading", name="Every member is free")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "team-time")
    page.get_by_role("link", name="Meet then").first.click()

    monday = next_monday()
    page.get_by_label("From").fill(monday.isoformat())
    page.get_by_label("Until").fill((monday + timedelta(weeks=3, days=4)).isoformat())
    checked_at_both_sizes(page)
    page.get_by_role("button", name="Place the meetings").click()
    expect(page.get_by_text("4 meetings placed")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "meetings-placed")

    team = Team.objects.get(name="Grade 7")
    meetings = list(TeamMeeting.objects.filter(team=team).order_by("date"))
    assert [m.date for m in meetings] == [monday + timedelta(weeks=w) for w in range(4)]
    assert {(m.slot.day.label, m.slot.period.label) for m in meetings} == {("Mon", "3")}
    page.get_by_role("link", name=re.compile(r"Mon period 3")).first.click()
    expect(page.get_by_text("No agenda yet")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "meeting")
