"""A cycle's stage moves by itself as its steps happen: visits published, held, debriefed, the
follow-up window over. Its facilitator can set a stage by hand, and it stays until they let
it follow the steps again. Once the visits are over, the overview tells what came of them."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from growth.services import follow_up_answer, goal_set
from inquiry.models import Stage
from inquiry.services import cycle_start, participants_set, pre_brief_save
from inquiry.stages import FOLLOW_UP_WINDOW, StageFacts, VisitFacts, cycle_stage, stage_due
from inquiry.structures import Structure
from inquiry.tests.factories import make_round
from teams.runner import note_save
from visits.models import Debrief, Visit
from visits.services import debrief_run_start, visit_cancel

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def stage_at(cycle, when: datetime) -> Stage:
    return cycle_stage(cycle, when).stage


def the_day_after(visit: Visit) -> datetime:
    return datetime.combine(visit.date + timedelta(days=1), time(12), tzinfo=UTC)


def debriefed(visit: Visit, takeaways: str = "Students explained more in pairs.") -> Debrief:
    return Debrief.objects.create(visit=visit, takeaways=takeaways, team_next_step="Pairs first")


def step_noted(visit: Visit, text: str, by) -> Debrief:
    """The debrief's protocol started, and the notes of its first step written."""
    run = debrief_run_start(visit=visit, by=by)
    note_save(run=run, step=0, text=text, by=by)
    return Debrief.objects.get(visit=visit)


def test_a_cycle_is_planned_until_its_first_visit_is_published(personas):
    cycle = cycle_start(
        school=personas.school, structure=Structure.ROUNDS, title="Talk", by=personas.coach
    )
    participants_set(
        cycle=cycle,
        observers=[personas.colleague],
        hosts=[personas.teacher],
        facilitators=[personas.coach],
    )
    assert stage_at(cycle, NOW) == Stage.PLANNING
    round_, visit = make_round(personas)  # a round with its visit published next Monday
    assert stage_at(round_, NOW) == Stage.SCHEDULED
    visit_cancel(visit=visit)
    assert stage_at(round_, NOW) == Stage.PLANNING  # a cancelled visit is not in the schedule


def test_the_stage_moves_after_the_visit_after_the_debrief_and_after_the_follow_up_window(
    personas,
):
    cycle, visit = make_round(personas)
    assert stage_at(cycle, NOW) == Stage.SCHEDULED
    assert stage_at(cycle, the_day_after(visit)) == Stage.DEBRIEFING

    debriefed(visit)
    assert stage_at(cycle, the_day_after(visit)) == Stage.FOLLOWING_UP
    window_over = the_day_after(visit) + FOLLOW_UP_WINDOW
    assert stage_at(cycle, window_over) == Stage.CLOSED


def test_a_visit_is_over_when_its_bell_time_has_passed_in_the_schools_time_zone():
    visit = VisitFacts(1, datetime(2026, 12, 7).date(), time(9, 0), False, False)
    facts = StageFacts("America/New_York", (visit,))
    # 9:00 in New York is 14:00 UTC.
    assert stage_due(facts, datetime(2026, 12, 7, 13, 59, tzinfo=UTC)) == Stage.SCHEDULED
    assert stage_due(facts, datetime(2026, 12, 7, 14, 0, tzinfo=UTC)) == Stage.DEBRIEFING
    # Without bell times a visit lasts its whole day.
    allday = StageFacts("America/New_York", (VisitFacts(1, visit.on, None, False, False),))
    assert stage_due(allday, datetime(2026, 12, 7, 23, 0, tzinfo=UTC)) == Stage.SCHEDULED
    assert stage_due(allday, datetime(2026, 12, 8, 5, 0, tzinfo=UTC)) == Stage.DEBRIEFING


def test_writing_the_first_debrief_moves_a_cycle_to_debriefing_before_its_last_visit(personas):
    cycle, first = make_round(personas, held=True)
    later = Visit.objects.create(
        cycle=cycle, date=timezone.localdate() + timedelta(days=9), slot=first.slot
    )
    assert stage_at(cycle, NOW) == Stage.SCHEDULED  # the later visit is still ahead
    debrief = step_noted(first, "pairs talking", personas.coach)
    assert stage_at(cycle, NOW) == Stage.DEBRIEFING
    debrief.takeaways = "More talk in pairs."
    debrief.save()
    debriefed(later)
    assert stage_at(cycle, NOW) == Stage.FOLLOWING_UP


def test_a_debrief_of_a_visit_ahead_or_saved_empty_does_not_move_the_stage(client, personas):
    """The reviewer's story: an observer opened "Debrief" on a lab visit 9 days ahead and saved
    it empty; the coach still sees the visits scheduled, not a debrief to hold."""
    cycle, visit = make_round(personas, structure=Structure.LAB)
    Visit.objects.filter(pk=visit.pk).update(date=timezone.localdate() + timedelta(days=9))
    step_noted(visit, "written ahead", personas.coach)
    assert stage_at(cycle, NOW) == Stage.SCHEDULED

    last_week = timezone.localdate() - timedelta(days=7)
    held = Visit.objects.create(cycle=cycle, date=last_week, slot=visit.slot)
    empty = step_noted(held, " \n", personas.coach)
    assert stage_at(cycle, NOW) == Stage.SCHEDULED  # saved empty: not opened
    client.force_login(personas.coach)
    page = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert "once a debrief is written for a visit that has started" in page
    note_save(run=empty.run, step=0, text="Students compared strategies", by=personas.coach)
    assert stage_at(cycle, NOW) == Stage.DEBRIEFING  # written, for a visit that has happened


def test_every_visits_debrief_needs_its_takeaways_before_following_up(personas):
    cycle, visit = make_round(personas)
    later = Visit.objects.create(cycle=cycle, date=visit.date + timedelta(days=1), slot=visit.slot)
    after_both = the_day_after(later)
    assert stage_at(cycle, after_both) == Stage.DEBRIEFING
    debriefed(visit)
    assert stage_at(cycle, after_both) == Stage.DEBRIEFING
    debriefed(later)
    assert stage_at(cycle, after_both) == Stage.FOLLOWING_UP


def test_answers_to_follow_ups_do_not_move_the_stage_so_it_tells_nobody_who_answered(personas):
    """The window closes the cycle, not the last answer: a stage that moved when the last
    person answered would tell the facilitator that they had."""
    cycle, visit = make_round(personas)
    debriefed(visit)
    goal = goal_set(person=personas.colleague, cycle=cycle, text="Wait time", try_by=visit.date)
    during = the_day_after(visit)
    assert stage_at(cycle, during) == Stage.FOLLOWING_UP
    follow_up_answer(follow_up=goal.follow_up, tried=True, results="yes", why="More hands")
    assert stage_at(cycle, during) == Stage.FOLLOWING_UP


def test_a_stage_set_by_hand_sticks_until_the_facilitator_follows_the_steps_again(client, personas):
    cycle, visit = make_round(personas, held=True)
    client.force_login(personas.coach)
    response = client.post(f"/cycles/{cycle.pk}/stage/", {"stage": "closed"})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert stage_at(cycle, NOW) == Stage.CLOSED
    debriefed(visit)  # the steps move on; the stage set by hand does not
    assert stage_at(cycle, NOW) == Stage.CLOSED
    page = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert "You set this stage by hand" in page and "Follow the steps again" in page

    client.post(f"/cycles/{cycle.pk}/stage/", {"stage": ""})
    cycle.refresh_from_db()
    assert stage_at(cycle, NOW) == Stage.FOLLOWING_UP
    page = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert "You set this stage by hand" not in page and "moves by itself" in page


def test_the_settings_page_sets_the_stage_by_hand_too(client, personas):
    cycle, _ = make_round(personas)
    client.force_login(personas.coach)
    settings = {
        "title": cycle.title,
        "grouping": cycle.grouping,
        "visit_minutes": cycle.visit_minutes,
        "debrief_timing": cycle.debrief_timing,
    }
    client.post(f"/cycles/{cycle.pk}/settings/", {**settings, "stage_by_hand": "debriefing"})
    cycle.refresh_from_db()
    assert stage_at(cycle, NOW) == Stage.DEBRIEFING
    client.post(f"/cycles/{cycle.pk}/settings/", {**settings, "stage_by_hand": ""})
    cycle.refresh_from_db()
    assert stage_at(cycle, NOW) == Stage.SCHEDULED


def test_only_a_facilitator_sets_the_stage_and_only_to_a_stage(client, personas):
    cycle, _ = make_round(personas)
    client.force_login(personas.colleague)
    assert client.post(f"/cycles/{cycle.pk}/stage/", {"stage": "closed"}).status_code == 403
    client.force_login(personas.coach)
    response = client.post(f"/cycles/{cycle.pk}/stage/", {"stage": "finished"}, follow=True)
    assert "Choose a stage" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.stage_by_hand == ""


def test_a_closed_labs_overview_shows_takeaways_goals_and_follow_ups_not_the_pre_brief_to_write(
    client, personas
):
    lab, visit = make_round(personas, structure=Structure.LAB)
    Visit.objects.filter(pk=visit.pk).update(date=visit.date - timedelta(weeks=6))
    debriefed(visit, takeaways="Students shared two strategies when given think time.")
    shared = goal_set(
        person=personas.colleague,
        cycle=lab,
        text="Give think time before sharing",
        try_by=visit.date,
        shared_with_facilitators=True,
    )
    follow_up_answer(
        follow_up=shared.follow_up, tried=True, results="yes", why="More hands", share=True
    )
    goal_set(person=personas.vice, cycle=lab, text="Private plan", try_by=visit.date)
    client.force_login(personas.coach)
    response = client.get(f"/cycles/{lab.pk}/")
    page = response.content.decode()
    assert response.context["stage"].stage == Stage.CLOSED
    assert "Students shared two strategies when given think time." in page
    assert "Give think time before sharing" in page and "More hands" in page
    assert "Followed up" in page
    assert "Private plan" not in page
    assert "1 goal and 1 follow-up answer shared with you" in page
    assert "Write the pre-brief" not in page and "No pre-brief was written." in page
    assert "Planning steps" not in page


def test_a_following_up_overview_shows_each_goals_check_in_and_lets_a_participant_set_one(
    client, personas
):
    cycle, visit = make_round(personas, structure=Structure.LAB)
    pre_brief_save(
        cycle=cycle, host=personas.teacher, instructional_goal="Compare", expectations="", focus=""
    )
    Visit.objects.filter(pk=visit.pk).update(date=timezone.localdate() - timedelta(days=2))
    debriefed(visit)
    goal = goal_set(
        person=personas.colleague, cycle=cycle, text="Exit tickets", try_by=timezone.localdate()
    )
    client.force_login(personas.colleague)
    page = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert "Following up" in page
    assert "Edit the pre-brief" not in page
    assert f"Check-in {goal.follow_up.due_on:%b} {goal.follow_up.due_on.day}" in page
    assert f"/follow-ups/{goal.follow_up.pk}/" in page and "Set my goal" in page
    # The takeaways are the visit's group's: its observer reads them, its host does not.
    assert "Students explained more in pairs." in page
    client.force_login(personas.teacher)
    page = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert "Students explained more in pairs." not in page
