"""A facilitator runs a tuning protocol with two members following on their phones: the
countdown runs on their screens and the step changes there after the facilitator presses
Next; the recorder takes notes and the facilitator saves the team's next step."""

import re

import pytest
from playwright.sync_api import expect

from teams.models import MeetingStatus, ProtocolRun, StepNote
from teams.tests.factories import library_loaded, make_team, make_team_meeting

from .axe import axe_check
from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser

CLOCK = re.compile(r"^\d+:\d\d$")


def phone(browser, live_server, username: str):
    context = browser.new_context(viewport=SIZES["phone"])
    page = context.new_page()
    sign_in(page, live_server, username)
    return context, page


def test_members_follow_a_tuning_protocol_on_their_phones(
    page, browser, live_server, transactional_db, personas, server_log, screenshots
):
    library_loaded()
    team = make_team(
        personas.school,
        "Grade 6 science",
        members=[personas.colleague, personas.bystander],
        facilitators=[personas.teacher],
    )
    meeting = make_team_meeting(team)

    sign_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/run-protocol/")
    page.get_by_label("Protocol").select_option(label="Tuning protocol")
    page.get_by_label("Recorder").select_option(label="Ben Lee")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Step 1 of 7")).to_be_visible()
    run = ProtocolRun.objects.get(meeting=meeting)
    checked_at_both_sizes(page)
    screenshots(page, "facilitator")

    members = [phone(browser, live_server, name) for name in ("colleague", "bystander")]
    try:
        for _, member in members:
            member.goto(f"{live_server.url}/runs/{run.pk}/")
            expect(
                member.locator("#run-state").get_by_role("heading", name="Introduction")
            ).to_be_visible()
            expect(member.get_by_role("button", name="Next step")).to_have_count(0)
            countdown = member.locator("[data-countdown]")
            expect(countdown).to_have_text(CLOCK)
            first = countdown.text_content()
            expect(countdown).not_to_have_text(first, timeout=3000)  # it counts down by itself
        checked_at_both_sizes(members[0][1])
        members[0][1].set_viewport_size(SIZES["phone"])
        screenshots(members[0][1], "member-phone")

        page.get_by_role("button", name="Next step").click()
        expect(page.get_by_text("Step 2 of 7")).to_be_visible()
        for _, member in members:
            # htmx polls every 2 s: the new step arrives without a reload.
            expect(
                member.locator("#run-state").get_by_role("heading", name="Presentation")
            ).to_be_visible(timeout=6000)
            expect(
                member.get_by_text("Presenter speaks; participants listen silently")
            ).to_be_visible()
            expect(member.locator("[data-countdown]")).to_have_text(re.compile(r"^(10:00|9:\d\d)$"))
            expect(member.locator("#run-announce")).to_have_text("Step 2 of 7: Presentation")
        axe_check(members[1][1])

        recorder = members[0][1]
        recorder.reload()
        recorder.get_by_label("Notes for this step").fill(
            "Lab report, draft 2: claims lack evidence"
        )
        recorder.get_by_role("button", name="Save the notes").click()
        expect(recorder.get_by_text("Saved by Ben Lee")).to_be_visible()
        assert StepNote.objects.get(run=run, step=1).text.startswith("Lab report")
        screenshots(recorder, "notes")
    finally:
        for context, _ in members:
            context.close()

    page.goto(f"{live_server.url}/runs/{run.pk}/projector/")
    expect(page.get_by_role("heading", name="Presentation")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "projector")

    page.goto(f"{live_server.url}/runs/{run.pk}/end/")
    page.get_by_label("The team's next step").fill("Each of us tries sentence frames for claims")
    page.get_by_label("Bo Stander").uncheck()
    checked_at_both_sizes(page)
    page.get_by_role("button", name="End the protocol").click()
    expect(page.get_by_text("Each of us tries sentence frames for claims")).to_be_visible()
    expect(page.get_by_text("2 attended")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "ended")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
