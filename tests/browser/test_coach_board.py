"""A coach starts her day on the board of the cycles she facilitates: each step's status and
what to do next, on a phone and a laptop; she closes a cycle by hand and lets it follow its
steps again. Every page passes axe and never scrolls sideways."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from inquiry.models import Stage
from inquiry.structures import Structure
from inquiry.tests.factories import make_round
from visits.models import Commitment, Debrief, Visit

from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def test_a_coach_reads_her_board_and_sets_a_stage_by_hand(
    page, live_server, transactional_db, personas, screenshots
):
    _, held = make_round(personas)
    on = held.date - timedelta(weeks=2)
    Visit.objects.filter(pk=held.pk).update(date=on)
    Commitment.objects.filter(visit=held).update(date=on)
    Debrief.objects.create(visit=held, takeaways="Students explained more after a partner turn.")
    lab, _ = make_round(personas, structure=Structure.LAB)
    lab.title = "Number talks lab"
    lab.problem_of_practice = "How do number talks get more students to share a strategy?"
    lab.save()

    sign_in(page, live_server, "coach")
    board = page.get_by_role("region", name="My cycles")
    expect(board.get_by_role("link", name="Ask hosts for pre-briefs")).to_be_visible()
    expect(board.get_by_role("link", name="Remind people to set goals")).to_be_visible()
    expect(page.get_by_text("Facilitating")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "coach-board")

    page.set_viewport_size(SIZES["phone"])
    board.get_by_role("link", name="Student discourse", exact=True).click()
    expect(page.get_by_role("heading", name="Stage: Following up")).to_be_visible()
    expect(page.get_by_text("Students explained more after a partner turn.")).to_be_visible()
    page.get_by_text("Set the stage by hand").click()
    page.get_by_label("Stage, set by hand").select_option(Stage.CLOSED)
    page.get_by_role("button", name="Save the stage").click()
    expect(page.get_by_role("heading", name="Stage: Closed")).to_be_visible()
    expect(page.get_by_text("You set this stage by hand")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "closed-by-hand")

    page.goto(f"{live_server.url}/schools/lincoln/cycles/")
    page.get_by_text("Closed cycles (1)").click()
    expect(page.get_by_role("link", name="Student discourse", exact=True)).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "my-cycles")

    page.get_by_role("link", name="Student discourse", exact=True).click()
    page.get_by_role("button", name="Follow the steps again").click()
    expect(page.get_by_role("heading", name="Stage: Following up")).to_be_visible()
