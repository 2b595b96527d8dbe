"""Each member sets their own goal at the end of a team's meeting: nobody else reads it (not
the team, its facilitator or the principal); its check-in is asked like a cycle's, the
reminder always emailed, and its answer earns hours at the team's school."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from growth.forms import audience_choices
from growth.ledger import FOLLOW_UP_MINUTES
from growth.models import FollowUp, Goal, LedgerEntry
from growth.services import follow_up_answer, goal_set, ledger_refresh
from inquiry.tests.factories import make_round
from schools.tests.factories import make_district, make_person, make_school
from teams.models import MeetingStatus
from teams.runner import run_end
from teams.tests.factories import make_protocol_run, make_team, make_team_meeting

TODAY = timezone.localdate()
GOAL = "Open with a number talk"


@pytest.fixture
def meeting(personas):
    """Grade 7: the teacher facilitates, the colleague and the bystander are members."""
    team = make_team(
        personas.school,
        "Grade 7",
        members=[personas.colleague, personas.bystander],
        facilitators=[personas.teacher],
    )
    return make_team_meeting(team, TODAY)


def held(meeting, personas):
    """The tuning protocol run and ended: the run's page shows its end screen."""
    run = make_protocol_run(meeting, by=personas.teacher)
    run_end(run=run, takeaways="", next_step="Try number talks", attended=set())
    return run


@pytest.mark.django_db
def test_a_member_sets_a_goal_at_the_meeting_and_is_checked_in_with_two_weeks_later(
    client, personas, meeting
):
    client.force_login(personas.colleague)
    page = client.get(f"/meetings/{meeting.pk}/goal/").content.decode()
    assert "nobody on the team" in page
    assert "facilitators" not in page  # nothing to share: the goal is theirs
    try_by = TODAY + timedelta(days=3)
    response = client.post(
        f"/meetings/{meeting.pk}/goal/", {"text": GOAL, "try_by": try_by.isoformat()}
    )
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    goal = Goal.objects.get()
    assert (goal.person, goal.meeting, goal.cycle) == (personas.colleague, meeting, None)
    assert not goal.shared_with_facilitators
    assert goal.follow_up.due_on == try_by + timedelta(weeks=2)
    assert GOAL in client.get(f"/meetings/{meeting.pk}/goal/").content.decode()


@pytest.mark.django_db
def test_a_goal_in_the_past_or_empty_is_refused_with_a_message(client, personas, meeting):
    client.force_login(personas.colleague)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    response = client.post(f"/meetings/{meeting.pk}/goal/", {"text": "x", "try_by": yesterday})
    assert response.status_code == 400 and "Choose a day from today on." in response.text
    assert client.post(f"/meetings/{meeting.pk}/goal/", {}).status_code == 400
    assert not Goal.objects.exists()


@pytest.mark.django_db
def test_nobody_sets_a_goal_at_a_cancelled_meeting(client, personas, meeting):
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    client.force_login(personas.colleague)
    assert client.get(f"/meetings/{meeting.pk}/goal/").status_code == 403
    assert "Set my goal" not in client.get(f"/meetings/{meeting.pk}/").content.decode()


@pytest.mark.django_db
def test_every_member_finds_set_my_goal_on_the_meeting_page_and_the_end_screen(
    client, personas, meeting
):
    run = held(meeting, personas)
    for member in (personas.teacher, personas.colleague, personas.bystander):
        client.force_login(member)
        for page in (f"/meetings/{meeting.pk}/", f"/runs/{run.pk}/"):
            assert f'href="/meetings/{meeting.pk}/goal/"' in client.get(page).content.decode()
    # The school's principal sees the meeting, but is not in it.
    client.force_login(personas.principal)
    assert "/goal/" not in client.get(f"/meetings/{meeting.pk}/").content.decode()


@pytest.mark.django_db
def test_a_meeting_goal_is_read_by_its_author_only(client, personas, meeting):
    run = held(meeting, personas)
    goal = goal_set(person=personas.colleague, meeting=meeting, text=GOAL, try_by=TODAY)
    client.force_login(personas.colleague)
    assert GOAL in client.get(f"/runs/{run.pk}/").content.decode()
    # Not the facilitator, another member or the principal: no words and no counts.
    for other in (personas.teacher, personas.bystander, personas.principal, personas.coach):
        client.force_login(other)
        for page in (f"/meetings/{meeting.pk}/", f"/runs/{run.pk}/", f"/teams/{meeting.team_id}/"):
            text = client.get(page).content.decode()
            assert GOAL not in text and "set a goal" not in text
        assert client.get(f"/follow-ups/{goal.follow_up.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_meeting_goal_s_answer_is_never_shared_with_a_cycle(client, personas, meeting):
    goal = goal_set(person=personas.colleague, meeting=meeting, text=GOAL, try_by=TODAY)
    cycle, _ = make_round(personas)  # a cycle the colleague takes part in
    client.force_login(personas.colleague)
    page = client.get(f"/follow-ups/{goal.follow_up.pk}/").content.decode()
    assert "Grade 7, meeting of" in page and "nobody else reads it" in page
    assert "Share my answer" not in page
    # Even asked by hand, and with "share" in the answer: nothing is shared.
    response = client.post(
        f"/follow-ups/{goal.follow_up.pk}/",
        {"tried": "yes", "results_as_anticipated": "yes", "why": "It worked", "share": "on"},
    )
    assert response.status_code == 302
    shared = client.post(
        f"/cycles/{cycle.pk}/follow-ups/{goal.follow_up.pk}/share/", {"share": "yes"}
    )
    assert shared.status_code == 404
    assert not goal.follow_up.shared_with.exists()


@pytest.mark.django_db(transaction=True)
def test_a_meeting_goal_s_reminder_is_always_emailed_when_due(personas, run_tasks):
    team = make_team(personas.school, "Grade 7", members=[personas.colleague])
    meeting = make_team_meeting(team, TODAY - timedelta(days=30))
    past = TODAY - timedelta(days=30)
    goal_set(person=personas.colleague, meeting=meeting, text=GOAL, try_by=past)
    run_tasks()
    [message] = mail.outbox
    assert message.to == ["colleague@example.org"]
    assert "Grade 7, meeting of" in message.subject
    assert "Two weeks ago you set a goal" in message.body and GOAL in message.body
    assert FollowUp.objects.get().reminded_at is not None


@pytest.mark.django_db
def test_its_answer_earns_hours_at_the_team_s_school_in_its_district(personas, meeting):
    elsewhere = make_school("hillside", district=make_district("lakeside"))
    goal = goal_set(person=personas.colleague, meeting=meeting, text=GOAL, try_by=TODAY)
    follow_up_answer(follow_up=goal.follow_up, tried=True, results="yes", why="It worked")
    entry = LedgerEntry.objects.get(person=personas.colleague, activity="follow_up")
    assert entry.minutes == FOLLOW_UP_MINUTES
    assert (entry.school, entry.district) == (personas.school, personas.school.district)
    assert (entry.title, entry.cycle) == ("Grade 7 team meeting", None)
    assert GOAL not in entry.title  # the district reads hours, never goals
    # The district's nightly refresh finds it there, and another district's never does.
    assert ledger_refresh(district=personas.school.district).removed == 0
    assert ledger_refresh(district=elsewhere.district).added == 0
    assert LedgerEntry.objects.filter(source=entry.source).count() == 1


@pytest.mark.django_db
def test_the_author_finds_it_at_home_in_the_portfolio_and_in_my_data(client, personas, meeting):
    goal = goal_set(person=personas.colleague, meeting=meeting, text=GOAL, try_by=TODAY)
    client.force_login(personas.colleague)
    home = client.get("/").content.decode()
    assert GOAL in home and "Grade 7, meeting of" in home
    portfolio = client.get("/portfolio/").content.decode()
    assert GOAL in portfolio and "Grade 7, meeting of" in portfolio
    response = client.get("/account/data/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    text = archive.read("goals.csv").decode("utf-8")
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert (row["goal"], row["cycle"]) == (GOAL, "")
    assert row["team_meeting"] == f"Grade 7, {meeting.date.isoformat()}"
    # A shout-out to them can be tied to it: a goal they met.
    assert audience_choices(personas.colleague, personas.school)[1] == [goal]


@pytest.mark.django_db
def test_a_goal_is_set_in_a_cycle_or_at_a_meeting_never_both_or_neither(personas, meeting):
    cycle, _ = make_round(personas)
    for where in ({}, {"cycle": cycle, "meeting": meeting}):
        with pytest.raises(ValueError):
            goal_set(person=personas.colleague, text="x", try_by=TODAY, **where)
    assert not Goal.objects.exists()


@pytest.mark.django_db
def test_a_newcomer_joining_later_sets_a_goal_at_the_next_meeting(client, personas, meeting):
    newcomer = make_person("newcomer", personas.school, "teacher")
    client.force_login(newcomer)
    assert client.get(f"/meetings/{meeting.pk}/goal/").status_code == 404
    meeting.team.members.create(person=newcomer)
    assert client.get(f"/meetings/{meeting.pk}/goal/").status_code == 200
