"""The teams journey of issue 12, end to end: a teacher leader forms a grade-level team, finds
its common period, schedules four weekly meetings and runs a tuning protocol in the first,
two members following on their phones (the countdown runs and the step changes on their
screens); the recorder takes notes, the leader records the team's next step, each member sets
their own goal from the end screen, and a member's shout-out is made public by the teacher it
celebrates. The key pages pass axe at phone and laptop size."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from growth.models import Goal, ShoutOut
from schools.tests.factories import make_person
from teams.models import MeetingStatus, ProtocolRun, StepNote, Team, TeamMeeting
from teams.tests.factories import library_loaded

from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser

CLOCK = re.compile(r"^\d+:\d\d$")
GOALS = {
    "leader": "Ask for evidence before agreeing with a claim",
    "teacher": "Sentence frames for claims in every lab report",
    "bystander": "A claim-evidence wall my students add to",
}


def this_monday() -> date:
    """The series starts on this week's Monday (today, or a day already past): a protocol
    runs on its meeting's day, never ahead of it, so the first meeting is the one run."""
    today = date.today()
    return today - timedelta(days=today.weekday())


def phone(browser, live_server, username: str):
    context = browser.new_context(viewport=SIZES["phone"])
    page = context.new_page()
    sign_in(page, live_server, username)
    return context, page


def set_my_goal(page, text: str, *, check: bool = False) -> None:
    """From the run's end screen: the member's own goal, saved back on the meeting's page."""
    page.get_by_role("link", name="Set my goal", exact=True).click()
    expect(page.get_by_role("heading", name="What will I try in my classroom?")).to_be_visible()
    if check:
        checked_at_both_sizes(page)
    page.get_by_label("What I will try in my classroom").fill(text)
    page.get_by_label("I will try it by").fill((date.today() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Save my goal").click()
    expect(page.get_by_text("Goal saved.")).to_be_visible()


def test_a_teacher_leader_s_team_meets_runs_a_tuning_protocol_and_each_member_sets_a_goal(
    page, browser, live_server, transactional_db, personas, screenshots
):
    library_loaded()
    make_person("leader", personas.school, "teacher", "facilitator", first_name="Lee")

    # Form a grade-level team: the leader, Ana Ortiz and Bo Stander.
    sign_in(page, live_server, "leader")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{live_server.url}/schools/{personas.school.slug}/teams/")
    page.get_by_role("link", name="Form a team").first.click()
    page.get_by_label("Name").fill("Grade 7")
    page.get_by_label("Kind of team").select_option("grade_level")
    members = page.get_by_role("group", name="Members", exact=True)
    members.get_by_role("checkbox", name=re.compile("Ana Ortiz")).check()
    members.get_by_role("checkbox", name=re.compile("Bo Stander")).check()
    page.get_by_role("button", name="Form the team").click()

    # Its common period, and four weekly meetings there.
    expect(page.get_by_role("heading", name="Every member is free")).to_be_visible()
    checked_at_both_sizes(page)
    page.get_by_role("link", name="Meet then").first.click()
    monday = this_monday()
    page.get_by_label("From").fill(monday.isoformat())
    page.get_by_label("Until").fill((monday + timedelta(weeks=3, days=4)).isoformat())
    page.get_by_role("button", name="Place the meetings").click()
    expect(page.get_by_text("4 meetings placed")).to_be_visible()
    team = Team.objects.get(name="Grade 7")
    meetings = list(TeamMeeting.objects.filter(team=team).order_by("date"))
    assert [m.date for m in meetings] == [monday + timedelta(weeks=w) for w in range(4)]
    screenshots(page, "meetings-placed")

    # The first meeting: the leader runs the tuning protocol, Ana Ortiz records.
    # (The team's page lists the meetings ahead; this week's may already be under way.)
    page.goto(f"{live_server.url}/meetings/{meetings[0].pk}/")
    expect(page.get_by_role("link", name="Set my goal")).to_be_visible()
    checked_at_both_sizes(page)
    page.get_by_role("link", name="Run the protocol").click()
    page.get_by_label("Protocol").select_option(label="Tuning protocol")
    page.get_by_label("Recorder").select_option(label="Ana Ortiz")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Step 1 of 7")).to_be_visible()
    run = ProtocolRun.objects.get(meeting=meetings[0])
    checked_at_both_sizes(page)
    screenshots(page, "facilitator")

    phones = [phone(browser, live_server, name) for name in ("teacher", "bystander")]
    try:
        for _, member in phones:
            member.goto(f"{live_server.url}/runs/{run.pk}/")
            state = member.locator("#run-state")
            expect(state.get_by_role("heading", name="Introduction")).to_be_visible()
            countdown = member.locator("[data-countdown]")
            expect(countdown).to_have_text(CLOCK)
            first = countdown.text_content()
            expect(countdown).not_to_have_text(first, timeout=3000)  # it counts down by itself
        checked_at_both_sizes(phones[1][1])
        phones[1][1].set_viewport_size(SIZES["phone"])
        screenshots(phones[1][1], "member-phone")

        page.get_by_role("button", name="Next step").click()
        expect(page.get_by_text("Step 2 of 7")).to_be_visible()
        for _, member in phones:
            # The runner polls every 2 s: the new step arrives without a reload.
            expect(
                member.locator("#run-state").get_by_role("heading", name="Presentation")
            ).to_be_visible(timeout=6000)
            expect(member.locator("[data-countdown]")).to_have_text(CLOCK)

        recorder = phones[0][1]
        recorder.reload()
        recorder.get_by_label("Notes for this step").fill(
            "Lab report, draft 2: claims lack evidence"
        )
        recorder.get_by_role("button", name="Save the notes").click()
        expect(recorder.get_by_text("Saved by Ana Ortiz")).to_be_visible()
        assert StepNote.objects.get(run=run, step=1).text.startswith("Lab report")

        # The leader ends it with the takeaways and the team's next step.
        page.goto(f"{live_server.url}/runs/{run.pk}/end/")
        page.get_by_label("Takeaways").fill("Our claims need evidence students can point to")
        page.get_by_label("The team's next step").fill("Each of us tries one move for claims")
        checked_at_both_sizes(page)
        page.get_by_role("button", name="End the protocol").click()
        expect(page.get_by_text("Each of us tries one move for claims")).to_be_visible()
        expect(page.get_by_text("3 attended")).to_be_visible()
        checked_at_both_sizes(page)
        screenshots(page, "ended")

        # Each member sets their own goal from the end screen: the leader on the laptop, the
        # two members on their phones.
        page.set_viewport_size(SIZES["laptop"])
        set_my_goal(page, GOALS["leader"], check=True)
        for username, (_, member) in zip(("teacher", "bystander"), phones, strict=True):
            member.goto(f"{live_server.url}/runs/{run.pk}/")
            expect(member.get_by_role("heading", name="What the meeting gave")).to_be_visible()
            set_my_goal(member, GOALS[username])
        checked_at_both_sizes(phones[0][1])
        screenshots(phones[0][1], "goal-set")

        # Nobody else reads a member's goal: the leader's end screen shows only their own.
        page.goto(f"{live_server.url}/runs/{run.pk}/")
        expect(page.get_by_text(GOALS["leader"])).to_be_visible()
        expect(page.get_by_text(GOALS["teacher"])).to_have_count(0)
        expect(page.get_by_text(GOALS["bystander"])).to_have_count(0)
    finally:
        for context, _ in phones:
            context.close()

    goals = Goal.objects.filter(meeting=meetings[0]).select_related("person")
    assert {g.person.username: g.text for g in goals} == GOALS
    meetings[0].refresh_from_db()
    assert meetings[0].status == MeetingStatus.HELD

    # Bo Stander gives Ana Ortiz a shout-out; she makes it public to the school.
    page.context.clear_cookies()
    sign_in(page, live_server, "bystander")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{live_server.url}/schools/{personas.school.slug}/celebrations/")
    page.get_by_label("Who are you celebrating?").select_option(label="Ana Ortiz")
    page.get_by_label("What did they do for students' learning?").fill(
        "Her lab reports showed us what evidence looks like"
    )
    page.get_by_label("A team you share (optional)").select_option(label="Grade 7")
    page.get_by_role("button", name="Send the shout-out").click()
    expect(page.get_by_text("They choose whether their team or the school sees it")).to_be_visible()
    checked_at_both_sizes(page)

    page.context.clear_cookies()
    sign_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/celebrations/")
    expect(page.get_by_text("Her lab reports showed us what evidence looks like")).to_be_visible()
    checked_at_both_sizes(page)
    page.get_by_label("My school").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Shown to your school.")).to_be_visible()
    screenshots(page, "shout-out-made-public")
    assert ShoutOut.objects.get().audience == "school"
