"""The facilitator's board: each cycle a person facilitates, the status of each of its steps
and the one thing to do next, in a fixed number of queries however many cycles.

What it counts, and why that tells nobody's private answer (README, "Security and privacy"):
pre-briefs, visits held, visits with evidence and debriefs are the cycle's own work, which
its facilitator leads and reads anyway. Goals and follow-up answers are their authors':
the board counts only those the facilitator may read (their own, and those their authors
shared with the cycle), never "n of the participants", which could be read before and
after adding one person and subtracted.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from opendoors import access
from schools.models import Person, School

from .models import Cycle, LookFor, Participant, ParticipantRole, PreBrief, Stage
from .stages import StageFacts, stage_facts, stage_shown


@dataclass(frozen=True)
class BoardStep:
    name: str
    state: str  # "done", "now" or "todo": the classes of `.status-steps`
    detail: str


@dataclass(frozen=True)
class NextAction:
    label: str
    url: str


@dataclass
class BoardCycle:
    cycle: Cycle
    stage: Stage
    by_hand: bool
    next_action: NextAction
    steps: list[BoardStep] = field(default_factory=list)
    next_visit_on: date | None = None


@dataclass
class Board:
    open: list[BoardCycle]
    closed: list[BoardCycle]

    def __bool__(self) -> bool:
        return bool(self.open or self.closed)


def _count(rows: QuerySet) -> Coalesce:
    """A correlated count of `rows` (filtered on OuterRef), as a column of the cycle query."""
    counted = rows.order_by().values("cycle").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _role(role: str) -> QuerySet[Participant]:
    return Participant.objects.filter(cycle=OuterRef("pk"), role=role)


def cycles_facilitated_by(person: Person, school: School | None = None) -> QuerySet[Cycle]:
    """The cycles on a person's board, each with the counts its planning steps need."""
    facilitates = Participant.objects.filter(
        cycle=OuterRef("pk"), person=person, role=ParticipantRole.FACILITATOR
    )
    host_still = Participant.objects.filter(
        cycle=OuterRef("cycle"), person=OuterRef("host"), role=ParticipantRole.HOST
    )
    cycles = (
        Cycle.objects.filter(Exists(facilitates))
        .select_related("school")
        .annotate(
            look_fors_n=_count(LookFor.objects.filter(cycle=OuterRef("pk"), retired=False)),
            observers_n=_count(_role(ParticipantRole.OBSERVER)),
            hosts_n=_count(_role(ParticipantRole.HOST)),
            # Pre-briefs of the cycle's hosts now (one written by a host since removed is not).
            pre_briefs_n=_count(
                PreBrief.objects.filter(cycle=OuterRef("pk")).filter(Exists(host_still))
            ),
        )
        .order_by("-created_at")
    )
    return cycles.filter(school=school) if school is not None else cycles


@dataclass(frozen=True)
class GoalCounts:
    """Goals and answers the facilitator may read, per cycle."""

    goals: int = 0
    answers: int = 0


def _goal_counts(person: Person, cycle_ids: list[int]) -> dict[int, GoalCounts]:
    from growth.models import FollowUp

    answer_shared = FollowUp.shared_with.through.objects.filter(
        followup__goal=OuterRef("pk"), cycle=OuterRef("cycle")
    )
    rows = (
        access.goals_readable_by_facilitator(person, cycle_ids)
        .annotate(answer_shared=Exists(answer_shared))
        .values_list("cycle_id", "person_id", "answer_shared", "follow_up__answered_at")
    )
    counts: dict[int, GoalCounts] = {}
    for cycle_id, author_id, shared, answered_at in rows:
        seen = counts.get(cycle_id, GoalCounts())
        # An answer counts where the facilitator may read it: their own, or shared with them.
        readable = answered_at is not None and (shared or author_id == person.pk)
        counts[cycle_id] = GoalCounts(seen.goals + 1, seen.answers + int(readable))
    return counts


def _of(n: int, m: int) -> str:
    return f"{n} of {m}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _missing_plan(cycle: Cycle, visits: int) -> list[tuple[str, str, str]]:
    """The planning steps not done yet: (what, action, URL name), in the order to do them."""
    missing = []
    if (cycle.needs_problem_of_practice and not cycle.problem_of_practice) or (
        cycle.needs_theory_of_action and not cycle.theory_of_action
    ):
        missing.append(("the focus", "Write the focus", "inquiry:focus"))
    if not cycle.look_fors_n:  # type: ignore[attr-defined]
        missing.append(("look-fors", "Add look-fors", "inquiry:look_fors"))
    if not (cycle.observers_n and cycle.hosts_n):  # type: ignore[attr-defined]
        missing.append(("observers and hosts", "Choose observers and hosts", "inquiry:people"))
    if not visits:
        missing.append(("visits", "Place visits", "visits:plan"))
    return missing


def board_cycle(
    cycle: Cycle,
    facts: StageFacts,
    *,
    now: datetime,
    with_evidence: set[int],
    goals: GoalCounts,
) -> BoardCycle:
    """One cycle's card: its stage, each step's status and what to do next."""
    shown = stage_shown(cycle, facts, now)
    stage = shown.stage
    visits = facts.visits
    over = facts.visits_over(now)
    over_ids = {v.visit_id for v in over}
    debriefed = [v for v in visits if v.debrief_done]
    captured = [v for v in visits if v.visit_id in with_evidence]
    hosts, pre_briefs = cycle.hosts_n, cycle.pre_briefs_n  # type: ignore[attr-defined]
    missing = _missing_plan(cycle, len(visits))
    upcoming = [v for v in visits if v.visit_id not in over_ids]
    overview = reverse("inquiry:cycle", args=[cycle.pk])

    pre_briefs_done = bool(hosts) and pre_briefs >= hosts
    # The one step the stage is at ("now"); a step done earlier or later says so.
    current = {
        Stage.PLANNING: "Planned",
        Stage.SCHEDULED: "Pre-briefs written"
        if cycle.needs_pre_brief and not pre_briefs_done
        else "Visits held",
        Stage.DEBRIEFING: "Debrief done",
        Stage.FOLLOWING_UP: "Follow-ups answered" if goals.goals else "Goals set",
    }.get(stage, "")

    def step(name: str, done: bool, detail: str) -> BoardStep:
        return BoardStep(name, "done" if done else "now" if name == current else "todo", detail)

    steps = [
        step(
            "Planned",
            not missing,
            "Focus, look-fors, people and visits"
            if not missing
            else "Still to do: " + ", ".join(what for what, _, _ in missing),
        )
    ]
    # Only where the structure (or the facilitator, in settings) asks hosts for a pre-brief.
    if cycle.needs_pre_brief:
        steps.append(step("Pre-briefs written", pre_briefs_done, f"{_of(pre_briefs, hosts)} hosts"))
    next_visit = f"; next on {upcoming[0].on:%a %b %-d}" if upcoming else ""
    ends = facts.follow_up_ends
    steps += [
        step(
            "Visits held",
            bool(visits) and not upcoming,
            f"{_of(len(over), len(visits))}{next_visit}",
        ),
        step(
            "Evidence captured",
            bool(visits) and len(captured) == len(visits),
            f"in {_of(len(captured), len(visits))} visits",
        ),
        step(
            "Debrief done",
            bool(visits) and len(debriefed) == len(visits),
            f"{_of(len(debriefed), len(visits))} visits",
        ),
        # Whether everyone set a goal or answered is theirs to tell: these two are done when
        # the follow-up window is over, and count only what was shared with the facilitator.
        step(
            "Goals set",
            stage == Stage.CLOSED,
            f"{_plural(goals.goals, 'goal', 'goals')} shared with you",
        ),
        step(
            "Follow-ups answered",
            stage == Stage.CLOSED,
            f"{_plural(goals.answers, 'answer', 'answers')} shared with you"
            + (f"; the window ends {ends:%b %-d}" if ends and stage != Stage.CLOSED else ""),
        ),
    ]
    return BoardCycle(
        cycle,
        stage,
        shown.by_hand,
        _next_action(cycle, stage, facts, missing, over_ids, upcoming, goals, overview),
        steps,
        upcoming[0].on if upcoming else None,
    )


def _next_action(cycle, stage, facts, missing, over_ids, upcoming, goals, overview) -> NextAction:
    """The one primary thing to do next, by stage."""
    if stage == Stage.PLANNING:
        if missing:
            _, label, url_name = missing[0]
            return NextAction(label, reverse(url_name, args=[cycle.pk]))
        return NextAction("Place visits", reverse("visits:plan", args=[cycle.pk]))
    if stage == Stage.SCHEDULED:
        if cycle.needs_pre_brief and cycle.pre_briefs_n < cycle.hosts_n:
            return NextAction("Ask hosts for pre-briefs", f"{overview}#pb-h")
        if cycle.needs_pre_brief:
            return NextAction("Read pre-briefs", f"{overview}#pb-h")
        if upcoming:
            visit = reverse("visits:detail", args=[upcoming[0].visit_id])
            return NextAction("Get ready for the next visit", visit)
        return NextAction("See the visits", reverse("visits:plan", args=[cycle.pk]))
    if stage == Stage.DEBRIEFING:
        waiting = [v for v in facts.visits if not v.debrief_done]
        held = [v for v in waiting if v.visit_id in over_ids] or waiting or list(facts.visits)
        if held:
            return NextAction(
                "Hold the debrief", reverse("visits:debrief", args=[held[0].visit_id])
            )
        return NextAction("See the visits", reverse("visits:plan", args=[cycle.pk]))
    if stage == Stage.FOLLOWING_UP:
        if not goals.goals:
            return NextAction("Remind people to set goals", f"{overview}#goals-h")
        return NextAction("Follow up", f"{overview}#goals-h")
    return NextAction("Read the takeaways", f"{overview}#takeaways-h")


def facilitator_board(person: Person, *, now: datetime, school: School | None = None) -> Board:
    """Everything a person facilitates (at one school, or all), not closed first. One query
    when they facilitate nothing, four however many cycles otherwise."""
    cycles = list(cycles_facilitated_by(person, school))
    if not cycles:
        return Board([], [])
    ids = [c.pk for c in cycles]
    facts = stage_facts(cycles)
    with_evidence = access.visits_with_evidence_for_facilitator(person, ids)
    goals = _goal_counts(person, ids)
    cards = [
        board_cycle(
            c,
            facts[c.pk],
            now=now,
            with_evidence=with_evidence,
            goals=goals.get(c.pk, GoalCounts()),
        )
        for c in cycles
    ]
    return Board(
        [card for card in cards if card.stage != Stage.CLOSED],
        [card for card in cards if card.stage == Stage.CLOSED],
    )
