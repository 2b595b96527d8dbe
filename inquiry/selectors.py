"""Reads for cycle pages: the overview a participant sees, lists, and the school's staff."""

from dataclasses import dataclass

from django.db.models import QuerySet

from schools.models import Person, School

from .models import Cycle, ParticipantRole


@dataclass
class Step:
    name: str
    done: bool
    required: bool
    url_name: str


def cycles_for_school_page(visible: QuerySet[Cycle], school: School) -> QuerySet[Cycle]:
    return visible.filter(school=school).order_by("-created_at")


def school_staff(school: School) -> QuerySet[Person]:
    return (
        Person.objects.filter(memberships__school=school)
        .distinct()
        .order_by("last_name", "first_name")
    )


def cycle_steps(cycle: Cycle, *, look_for_count: int, has_visits: bool) -> list[Step]:
    people = {role for role in cycle.participants.values_list("role", flat=True)}
    return [
        Step(
            "Problem of practice",
            bool(cycle.problem_of_practice),
            cycle.needs_problem_of_practice,
            "inquiry:focus",
        ),
        Step(
            "Theory of action",
            bool(cycle.theory_of_action),
            cycle.needs_theory_of_action,
            "inquiry:focus",
        ),
        Step("Look-fors", look_for_count > 0, True, "inquiry:look_fors"),
        Step("Evidence tool", bool(cycle.evidence_tool), True, "inquiry:evidence_tool"),
        Step(
            "Participants and hosts",
            {ParticipantRole.OBSERVER, ParticipantRole.HOST} <= people,
            True,
            "inquiry:people",
        ),
        Step("Visits in the schedule", has_visits, True, "visits:plan"),
    ]


def earlier_follow_ups(cycle: Cycle):
    """What this cycle's people tried after their earlier cycles at the school, in their words:
    the next cycle's planning starts from it."""
    from growth.models import FollowUp

    people = cycle.participants.values("person_id")
    return (
        FollowUp.objects.filter(
            answered_at__isnull=False,
            goal__person__in=people,
            goal__cycle__school=cycle.school,
        )
        .exclude(goal__cycle=cycle)
        .select_related("goal__person", "goal__cycle")
        .order_by("-answered_at")[:50]
    )


def cycle_overview(*, cycle: Cycle, viewer: Person) -> dict:
    """What every participant sees: the focus, look-fors, pre-briefs and people."""
    participants = list(cycle.participants.select_related("person"))
    by_role = {role: [] for role in ParticipantRole.values}
    for participant in participants:
        by_role[participant.role].append(participant.person)
    look_fors = list(cycle.look_fors.filter(retired=False))
    pre_briefs = {p.host_id: p for p in cycle.pre_briefs.all()}
    hosts = [(host, pre_briefs.get(host.pk)) for host in by_role[ParticipantRole.HOST]]
    visits = list(
        cycle.visits.select_related("slot__day", "slot__period").prefetch_related(
            "classrooms__host", "observers__person", "observers__covered_by"
        )
    )
    return {
        "cycle": cycle,
        "look_fors": look_fors,
        "facilitators": by_role[ParticipantRole.FACILITATOR],
        "observers": by_role[ParticipantRole.OBSERVER],
        "hosts": hosts,
        "visits": visits,
        "steps": cycle_steps(cycle, look_for_count=len(look_fors), has_visits=bool(visits)),
        "viewer_hosts": viewer in by_role[ParticipantRole.HOST],
    }
