"""Writes for goals and follow-ups: a goal schedules its own check-in and reminder."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from inquiry.models import Cycle
from inquiry.structures import DebriefTiming
from opendoors.tasks import enqueue
from schools.models import Person
from visits.models import Visit

from .models import FollowUp, Goal

FOLLOW_UP_AFTER = timedelta(weeks=2)
REMINDER_TIME = time(7, 30)


def follow_up_due(*, cycle: Cycle, visit: Visit | None, try_by: date) -> date:
    """Two weeks after the goal's date; a micro-observation's debrief is due within 24 hours
    of the visit, so its check-in comes the day after."""
    if cycle.debrief_timing == DebriefTiming.WITHIN_24_HOURS and visit is not None:
        return visit.date + timedelta(days=1)
    return try_by + FOLLOW_UP_AFTER


@transaction.atomic
def goal_set(
    *,
    person: Person,
    cycle: Cycle,
    text: str,
    try_by: date,
    visit: Visit | None = None,
    shared_with_facilitators: bool = False,
) -> Goal:
    goal = Goal.objects.create(
        person=person,
        cycle=cycle,
        visit=visit,
        text=text,
        try_by=try_by,
        shared_with_facilitators=shared_with_facilitators,
    )
    due = follow_up_due(cycle=cycle, visit=visit, try_by=try_by)
    follow_up = FollowUp.objects.create(goal=goal, due_on=due)
    # The check-in is always there to answer; the emailed reminder only in cycles that ask.
    if cycle.needs_follow_up:
        remind_at = datetime.combine(due, REMINDER_TIME, tzinfo=ZoneInfo(cycle.school.time_zone))
        enqueue("growth.tasks.follow_up_remind", follow_up.pk, run_after=remind_at)
    return goal


@transaction.atomic
def follow_up_answer(
    *, follow_up: FollowUp, tried: bool, results: str, why: str, share: bool = False
) -> FollowUp:
    """Save the answer; `share` lets the goal's cycle's facilitators read it (or stops them)."""
    follow_up_share(follow_up=follow_up, cycle=follow_up.goal.cycle, share=share)
    follow_up.tried = tried
    follow_up.results_as_anticipated = results
    follow_up.why = why
    follow_up.answered_at = timezone.now()
    follow_up.save(update_fields=["tried", "results_as_anticipated", "why", "answered_at"])
    return follow_up


def follow_up_share(*, follow_up: FollowUp, cycle: Cycle, share: bool) -> None:
    """The author lets a cycle's facilitators read this answer, or takes it back."""
    if share:
        follow_up.shared_with.add(cycle)
    else:
        follow_up.shared_with.remove(cycle)
