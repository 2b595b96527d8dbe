"""What came of a cycle, for its overview once the visits are over: each visit's takeaways
and next step, shown to those who were in that debrief (the visit's observers and the
cycle's facilitators, as the debrief page itself), and how many goals and answers the
viewer may read."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from schools.models import Person
from visits.models import Debrief, VisitObserver, VisitStatus

from .models import Cycle

if TYPE_CHECKING:
    # growth's models build on this app's.
    from growth.models import Goal


def takeaways_for(cycle: Cycle, viewer: Person, *, facilitator: bool) -> list[Debrief]:
    """The debriefs of the cycle's visits with takeaways or a next step, oldest visit first."""
    debriefs = Debrief.objects.filter(
        visit__cycle=cycle, visit__status=VisitStatus.SCHEDULED
    ).exclude(Q(takeaways="") & Q(team_next_step=""))
    if not facilitator:
        seat = VisitObserver.objects.filter(visit=OuterRef("visit"), person=viewer)
        debriefs = debriefs.filter(Exists(seat))
    return list(
        debriefs.select_related("visit__slot__period").order_by(
            "visit__date", "visit__slot__period__position"
        )
    )


@dataclass(frozen=True)
class GoalSummary:
    """How many goals, and answers to their check-ins, a viewer may read in a cycle: counts
    over what they may read, never over the participants (README, "Security and privacy")."""

    goals: int
    answers: int


def goal_summary(goals: list["Goal"], viewer: Person) -> GoalSummary:
    """`goals` as `selectors.goals_of_cycle` gives them (each marked `answer_shared`)."""
    answered = [
        goal
        for goal in goals
        if goal.follow_up.answered_at is not None
        and (goal.person_id == viewer.pk or getattr(goal, "answer_shared", False))
    ]
    return GoalSummary(len(goals), len(answered))
