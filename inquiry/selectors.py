"""Reads for cycle pages: the overview a participant sees, lists, and the school's staff."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet

from schools.models import Person, School

from .models import Cycle, ParticipantRole

if TYPE_CHECKING:
    # Imported where used at run time: growth's models build on this app's.
    from growth.models import FollowUp, Goal


@dataclass
class Step:
    name: str
    done: bool
    required: bool
    url_name: str
    anchor: str = ""  # a section of the page at url_name


def cycles_for_school_page(visible: QuerySet[Cycle], school: School) -> QuerySet[Cycle]:
    return visible.filter(school=school).order_by("-created_at")


def school_staff(school: School) -> QuerySet[Person]:
    return (
        Person.objects.filter(memberships__school=school)
        .distinct()
        .order_by("last_name", "first_name")
    )


def cycle_steps(
    cycle: Cycle, *, look_for_count: int, has_visits: bool, pre_briefs_written: bool
) -> list[Step]:
    """The facilitator's checklist; the pre-brief step only in cycles whose hosts write one."""
    people = {role for role in cycle.participants.values_list("role", flat=True)}
    steps = [
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
    if cycle.needs_pre_brief:
        steps.append(Step("Pre-briefs", pre_briefs_written, True, "inquiry:cycle", anchor="pb-h"))
    return steps


def earlier_follow_ups(*, cycle: Cycle, readable: QuerySet["FollowUp"]) -> list["FollowUp"]:
    """Answers from earlier cycles a viewer may read in full (`readable`: their own, and for
    the facilitators those their authors shared with this cycle), newest first.

    No counts over the cycle's participants: the facilitator chooses the participants, so
    two readings around adding one person would tell that person's private answer."""
    from growth.models import FollowUp

    shared_here = FollowUp.shared_with.through.objects.filter(followup=OuterRef("pk"), cycle=cycle)
    return list(
        readable.exclude(goal__cycle=cycle)
        .annotate(shared_here=Exists(shared_here))
        .select_related("goal__person", "goal__cycle")
        .order_by("-answered_at")[:50]
    )


def goals_of_cycle(*, cycle: Cycle, readable: QuerySet["Goal"]) -> list["Goal"]:
    """The goals a viewer may read, each marked with whether its answer is shared here."""
    from growth.models import FollowUp

    shared_here = FollowUp.shared_with.through.objects.filter(
        followup__goal=OuterRef("pk"), cycle=cycle
    )
    return list(
        readable.annotate(answer_shared=Exists(shared_here))
        .select_related("person", "follow_up")
        .order_by("created_at")
    )


def cycle_overview(*, cycle: Cycle, viewer: Person) -> dict[str, Any]:
    """What every participant sees: the focus, look-fors, pre-briefs and people."""
    participants = list(cycle.participants.select_related("person"))
    by_role: dict[str, list[Person]] = {role: [] for role in ParticipantRole.values}
    for participant in participants:
        by_role[participant.role].append(participant.person)
    look_fors = list(cycle.look_fors.filter(retired=False))
    pre_briefs = {p.host_id: p for p in cycle.pre_briefs.all()}
    hosts = [(host, pre_briefs.get(host.pk)) for host in by_role[ParticipantRole.HOST]]
    visits = list(
        cycle.visits.select_related("slot__day", "slot__period").prefetch_related(
            "classrooms__host",
            "classrooms__section",
            "observers__person",
            "observers__covered_by",
        )
    )
    return {
        "cycle": cycle,
        "look_fors": look_fors,
        "facilitators": by_role[ParticipantRole.FACILITATOR],
        "observers": by_role[ParticipantRole.OBSERVER],
        "hosts": hosts,
        # A cycle without pre-briefs shows those written before the facilitator turned them off.
        "show_pre_briefs": cycle.needs_pre_brief or bool(pre_briefs),
        "visits": visits,
        "steps": cycle_steps(
            cycle,
            look_for_count=len(look_fors),
            has_visits=bool(visits),
            pre_briefs_written=bool(hosts) and all(pre_brief for _, pre_brief in hosts),
        ),
        "viewer_hosts": viewer in by_role[ParticipantRole.HOST],
    }
