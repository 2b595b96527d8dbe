"""A teacher on her phone photographs an anchor chart and attaches it to her goal, then shares
her portfolio by a link; someone signed out opens the link and sees the goal and the photo,
nothing more. The upload page, the portfolio and the shared page pass axe at both sizes."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from growth.models import Artifact
from growth.services import goal_set
from inquiry.tests.factories import make_round

from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser

GOAL = "Students explain their strategy to a partner before writing"


def anchor_chart_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (46, 94, 170)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_a_teacher_adds_a_photo_to_her_goal_and_shares_her_portfolio_by_link(
    page, live_server, transactional_db, personas, screenshots
):
    cycle, visit = make_round(personas)
    goal_set(person=personas.teacher, cycle=cycle, visit=visit, text=GOAL, try_by=visit.date)
    sign_in(page, live_server, "teacher")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{live_server.url}/portfolio/")
    expect(page.get_by_text(GOAL)).to_be_visible()
    checked_at_both_sizes(page)

    page.set_viewport_size(SIZES["phone"])
    page.get_by_role("link", name="Add an artifact to this goal").click()
    expect(page.get_by_text("Remove students’ names.")).to_be_visible()
    checked_at_both_sizes(page)
    page.set_viewport_size(SIZES["phone"])
    page.get_by_label("Take a photo").set_input_files(
        {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": anchor_chart_photo()}
    )
    page.get_by_label("Title").fill("Anchor chart")
    expect(page.get_by_label("What it documents")).to_have_value(
        f"goal:{personas.teacher.goals.get().pk}"
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("“Anchor chart” is in your portfolio.")).to_be_visible()
    assert Artifact.objects.get().goal.text == GOAL
    screenshots(page, "artifact-added")

    page.get_by_role("checkbox", name="Goals and follow-ups").check()
    page.get_by_role("checkbox", name="Artifacts").check()
    page.get_by_role("radio", name="By a link that expires").check()
    page.get_by_label("The link works for (days)").fill("7")
    page.get_by_role("button", name="Share", exact=True).click()
    link = page.get_by_label("Link to your portfolio").input_value()
    assert "/p/" in link
    screenshots(page, "portfolio-link")

    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_text(GOAL, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Anchor chart")).to_be_visible()
    expect(page.get_by_text("Reflections")).to_have_count(0)
    checked_at_both_sizes(page)
    screenshots(page, "portfolio-shared-by-link")
