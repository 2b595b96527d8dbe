"""Every participant sets a goal; a follow-up asks how it went; answers reach the next cycle."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from growth.models import FollowUp, Goal
from growth.services import follow_up_answer, goal_set
from inquiry.services import cycle_start, participants_set
from inquiry.tests.factories import make_round

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_a_participant_sets_a_goal_and_a_check_in_is_scheduled_two_weeks_later(client, personas):
    cycle, visit = make_round(personas)
    client.force_login(personas.colleague)
    try_by = TODAY + timedelta(days=3)
    response = client.post(
        f"/cycles/{cycle.pk}/goal/?visit={visit.pk}",
        {"text": "Start with a turn-and-talk", "try_by": try_by.isoformat()},
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.person, goal.visit) == (personas.colleague, visit)
    assert goal.follow_up.due_on == try_by + timedelta(weeks=2)


@pytest.mark.django_db
def test_a_micro_observation_check_in_is_due_the_day_after_the_visit(personas):
    cycle, visit = make_round(personas, structure="micro")
    goal = goal_set(person=personas.colleague, cycle=cycle, visit=visit, text="x", try_by=TODAY)
    assert goal.follow_up.due_on == visit.date + timedelta(days=1)


@pytest.mark.django_db
def test_a_goal_in_the_past_is_refused(client, personas):
    cycle, _ = make_round(personas)
    client.force_login(personas.colleague)
    response = client.post(
        f"/cycles/{cycle.pk}/goal/",
        {"text": "x", "try_by": (TODAY - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400 and not Goal.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_reminder_is_emailed_by_the_task_worker_when_due(personas, run_tasks):
    cycle, visit = make_round(personas, structure="micro")
    run_tasks()  # the visit's own emails
    mail.outbox.clear()
    past = visit.date - timedelta(days=30)
    visit.date = past
    visit.save()
    goal_set(person=personas.colleague, cycle=cycle, visit=visit, text="Wait 5 s", try_by=past)
    run_tasks()
    [message] = mail.outbox
    assert message.to == ["colleague@example.org"]
    assert "debrief is due within 24 hours" in message.body
    assert f"/follow-ups/{FollowUp.objects.get().pk}/" in message.body
    run_tasks()
    assert len(mail.outbox) == 1  # reminded once


@pytest.mark.django_db(transaction=True)
def test_a_cycle_without_follow_up_sends_no_reminder_but_keeps_the_check_in(personas, run_tasks):
    cycle, visit = make_round(personas, structure="walk")  # a walk's preset: no follow-up
    run_tasks()  # the visit's own emails
    mail.outbox.clear()
    past = visit.date - timedelta(days=30)
    visit.date = past
    visit.save()
    goal_set(person=personas.colleague, cycle=cycle, visit=visit, text="x", try_by=past)
    run_tasks()
    assert mail.outbox == []
    assert FollowUp.objects.get().answered_at is None  # still there for the teacher to answer


@pytest.mark.django_db(transaction=True)
def test_a_reminder_for_later_waits_for_its_day(personas, run_tasks):
    cycle, visit = make_round(personas)
    run_tasks()  # the visit's own emails
    mail.outbox.clear()
    goal_set(person=personas.colleague, cycle=cycle, visit=visit, text="x", try_by=TODAY)
    run_tasks()
    assert mail.outbox == []
    assert FollowUp.objects.get().reminded_at is None


@pytest.mark.django_db
def test_the_answer_appears_on_the_next_cycles_planning_page(client, personas):
    cycle, visit = make_round(personas)
    goal = goal_set(
        person=personas.colleague,
        cycle=cycle,
        visit=visit,
        text="Turn-and-talk first",
        try_by=TODAY,
    )
    client.force_login(personas.colleague)
    response = client.post(
        f"/follow-ups/{goal.follow_up.pk}/",
        {"tried": "yes", "results_as_anticipated": "partly", "why": "Quiet students joined in"},
    )
    assert response.status_code == 302
    nxt = cycle_start(school=personas.school, structure="lab", title="Next lab", by=personas.coach)
    participants_set(
        cycle=nxt, observers=[personas.colleague], hosts=[], facilitators=[personas.coach]
    )
    # The answer is the colleague's: it reaches the next cycle's facilitators once shared.
    client.post(f"/cycles/{nxt.pk}/follow-ups/{goal.follow_up.pk}/share/", {"share": "yes"})
    client.force_login(personas.coach)
    page = client.get(f"/cycles/{nxt.pk}/").content.decode()
    assert "Turn-and-talk first" in page and "Quiet students joined in" in page


@pytest.mark.django_db
def test_an_unanswered_follow_up_is_on_the_home_page_and_only_its_owner_opens_it(client, personas):
    cycle, visit = make_round(personas)
    goal = goal_set(
        person=personas.colleague, cycle=cycle, visit=visit, text="Try it", try_by=TODAY
    )
    client.force_login(personas.colleague)
    assert "My follow-ups" in client.get("/").content.decode()
    client.force_login(personas.coach)
    assert client.get(f"/follow-ups/{goal.follow_up.pk}/").status_code == 404
    follow_up_answer(follow_up=goal.follow_up, tried=False, results="", why="No time")
    client.force_login(personas.colleague)
    assert "My follow-ups" not in client.get("/").content.decode()
