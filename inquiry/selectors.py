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


@dataclass
class Breakdown:
    """How many people gave each answer; `shown` is false unless every answer given was
    given by at least k people (a smaller group, or its complement, would single them out)."""

    question: str
    counts: list[tuple[str, int]]
    shown: bool


@dataclass
class FollowUpSummary:
    """What a cycle's people tried after earlier cycles: in their words only where shared."""

    k: int
    people: int  # participants who answered a follow-up after an earlier cycle
    breakdowns: list[Breakdown]
    readable: list["FollowUp"]  # FollowUps the viewer may read: their own, and those shared with the cycle

    @property
    def people_shown(self) -> bool:
        return self.people >= self.k


def _breakdown(question: str, answers: list[str], labels: dict[str, str], k: int) -> Breakdown:
    counts = [(label, sum(1 for a in answers if a == value)) for value, label in labels.items()]
    shown = len(answers) >= k and all(n == 0 or n >= k for _, n in counts)
    return Breakdown(question, counts, shown)


def follow_up_summary(*, cycle: Cycle, readable: QuerySet["FollowUp"]) -> FollowUpSummary:
    """Counts over this cycle's participants (each person's latest answer from an earlier
    cycle at the school), and the answers `readable` lets the viewer read in full."""
    from growth.models import FollowUp

    k = max(cycle.school.district.min_classrooms_for_aggregates, 1)
    latest: dict[int, FollowUp] = {}
    answered = (
        FollowUp.objects.filter(
            answered_at__isnull=False,
            goal__person__in=cycle.participants.values("person_id"),
            goal__cycle__school=cycle.school,
        )
        .exclude(goal__cycle=cycle)
        .select_related("goal")
        .order_by("-answered_at")
    )
    for item in answered:
        latest.setdefault(item.goal.person_id, item)
    tried = ["yes" if f.tried else "no" for f in latest.values()]
    results = [f.results_as_anticipated for f in latest.values() if f.results_as_anticipated]
    shared_here = FollowUp.shared_with.through.objects.filter(followup=OuterRef("pk"), cycle=cycle)
    return FollowUpSummary(
        k=k,
        people=len(latest),
        breakdowns=[
            _breakdown("Tried it", tried, {"yes": "yes", "no": "not yet"}, k),
            _breakdown(
                "Got the results they anticipated",
                results,
                dict(FollowUp.Result.choices),
                k,
            ),
        ],
        readable=list(
            readable.exclude(goal__cycle=cycle)
            .annotate(shared_here=Exists(shared_here))
            .select_related("goal__person", "goal__cycle")
            .order_by("-answered_at")[:50]
        ),
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
