"""A principal reaches every cycle of the school from her home page on a phone and a laptop,
opens one cycle's plan and schedule, and adds an improvement goal; the district leader reads
the district's strategy. Every page passes axe and never scrolls sideways."""

import pytest
from playwright.sync_api import expect

from inquiry.tests.factories import make_round
from schools.models import ImprovementGoal

from .conftest import checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def test_a_principal_sees_the_school_s_cycles_and_adds_a_goal(
    page, live_server, transactional_db, personas, screenshots
):
    cycle, _ = make_round(personas)
    goal = ImprovementGoal.objects.create(school=personas.school, title="Students reason aloud")
    cycle.improvement_goal = goal
    cycle.problem_of_practice = "Students rarely explain their reasoning to each other"
    cycle.save()
    sign_in(page, live_server, "principal")
    page.get_by_role("link", name="The school's cycles").first.click()
    expect(page.get_by_role("heading", level=1, name="The school's cycles")).to_be_visible()
    expect(page.get_by_role("table", name="Cycles by stage")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "school-cycles")

    page.get_by_role("link", name=cycle.title).click()
    expect(page.get_by_role("heading", level=2, name="Visits and coverage")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "school-cycle")

    page.goto(f"{live_server.url}/schools/lincoln/goals/")
    adding = page.locator("form", has=page.get_by_role("button", name="Add the goal"))
    adding.get_by_label("Goal").fill("Reading across the content areas")
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_text("Goal “Reading across the content areas” added.")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "goals")


def test_a_district_leader_reads_the_district_s_strategy(
    page, live_server, transactional_db, personas, screenshots
):
    district = personas.school.district
    district.strategy = "Every student explains their thinking."
    district.save()
    ImprovementGoal.objects.create(school=personas.school, title="Students reason aloud")
    sign_in(page, live_server, "district")
    page.goto(f"{live_server.url}/district/{district.slug}/strategy/")
    expect(page.get_by_text("Every student explains their thinking.")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "strategy")
