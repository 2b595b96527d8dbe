"""Proposed schedules: solved in the background, edited by the coach, then published.

The plan is kept in the FORMATS.md §3 JSON. Every edit is re-checked by the
scheduler's independent validator; publishing places each visit through the same
rules as a visit placed by hand, all or nothing.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import scheduler
from inquiry.models import Cycle
from opendoors.tasks import enqueue
from schools.models import Person

from .models import Proposal, ProposalStatus
from .scheduling import NotSchedulable, cycle_problem, plan_visits
from .services import visit_schedule

logger = logging.getLogger(__name__)

MAX_TIME_LIMIT = 60


@dataclass
class ProposedVisit:
    """The rows of one request in one slot: observers, the classrooms they see, covers."""

    key: str
    day: str
    period: str
    hosts: list[str]
    observers: list[tuple[str, str | None]]  # observer id, cover
    moves: list[tuple[str, str]]  # other (day, period) in which every host teaches


def proposal_start(
    *, cycle: Cycle, by: Person, monday, day: str = "", time_limit: int = 10
) -> Proposal:
    """Build the week's (or day's) problem now, so mistakes show at once, and queue it."""
    try:
        problem = cycle_problem(cycle, monday=monday, day=day)
    except (NotSchedulable, scheduler.ProblemError) as error:
        text = (
            "; ".join(error.messages) if isinstance(error, scheduler.ProblemError) else str(error)
        )
        raise ValidationError(text) from None
    proposal = Proposal.objects.create(
        cycle=cycle,
        created_by=by,
        monday=monday,
        day=day,
        time_limit=max(1, min(time_limit, MAX_TIME_LIMIT)),
        problem=scheduler.problem_to_json(problem),
    )
    enqueue("visits.tasks.proposal_solve", proposal.pk)
    return proposal


# How long past its time limit a solve may run, or a proposal wait in the queue, before the
# page calls it stalled (the worker was killed or is not running) and offers to try again.
SOLVE_GRACE = timedelta(minutes=2)
QUEUE_STALLS_AFTER = timedelta(minutes=5)


def proposal_stalled(proposal: Proposal, *, now: datetime | None = None) -> bool:
    """Queued or solving for longer than any solve takes: nobody is working on it.

    Read from the fields a proposal already has: `started_at` is when it was queued again
    (a retry) or when the solve began."""
    now = now or timezone.now()
    since = proposal.started_at or proposal.created_at
    if proposal.status == ProposalStatus.QUEUED:
        return now - since > QUEUE_STALLS_AFTER
    if proposal.status == ProposalStatus.SOLVING:
        return now - since > timedelta(seconds=proposal.time_limit) + SOLVE_GRACE
    return False


def proposal_retry(*, proposal: Proposal) -> bool:
    """Solve a failed or stalled proposal again. A worker still running the old solve can no
    longer write its result (it checks the start time it wrote). Returns whether queued."""
    if proposal.status != ProposalStatus.FAILED and not proposal_stalled(proposal):
        return False
    updated = Proposal.objects.filter(
        pk=proposal.pk, status=proposal.status, started_at=proposal.started_at
    ).update(status=ProposalStatus.QUEUED, message="", started_at=timezone.now())
    if updated:
        enqueue("visits.tasks.proposal_solve", proposal.pk)
    return bool(updated)


def proposal_solve_attempt(*, proposal_id: int) -> str:
    """Solve a queued proposal with the scheduler: "skipped" when it is not queued (solved,
    retried or claimed by another worker), else "failed" or the plan's status.

    Every ending is written: ready, or failed with the reason. The solve claims the proposal
    by moving it from queued to solving at a start time of its own, and writes its result
    only while both still hold, so a retried proposal is not overwritten by a late worker."""
    started = timezone.now()
    claimed = Proposal.objects.filter(pk=proposal_id, status=ProposalStatus.QUEUED).update(
        status=ProposalStatus.SOLVING, started_at=started
    )
    if not claimed:
        return "skipped"
    mine = Proposal.objects.filter(
        pk=proposal_id, status=ProposalStatus.SOLVING, started_at=started
    )
    proposal = Proposal.objects.get(pk=proposal_id)
    try:
        problem = scheduler.problem_from_json(proposal.problem)
        plan = scheduler.solve(problem, time_limit=proposal.time_limit)
    except scheduler.ProblemError as error:
        mine.update(status=ProposalStatus.FAILED, message="\n".join(error.messages))
        return "failed"
    except Exception as error:  # any failure must reach the page
        logger.exception("proposal %s failed", proposal_id)
        mine.update(
            status=ProposalStatus.FAILED,
            message=f"The scheduler stopped with an unexpected error ({type(error).__name__}). "
            "Try again; if it fails again, tell your administrator.",
        )
        return "failed"
    mine.update(
        status=ProposalStatus.READY, plan=scheduler.plan_to_json(plan), message=plan.summary()
    )
    return plan.status


def _key(visit: scheduler.Visit) -> str:
    return f"{visit.request}|{visit.day}|{visit.period}"


def proposed_visits(proposal: Proposal) -> list[ProposedVisit]:
    problem = scheduler.problem_from_json(proposal.problem)
    plan = scheduler.plan_from_json(proposal.plan)
    teaches: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for m in problem.meetings:
        teaches[m.teacher].add((m.day, m.period))
    order = {
        (d, p): (i, j) for i, d in enumerate(problem.days) for j, p in enumerate(problem.periods)
    }
    groups: dict[str, ProposedVisit] = {}
    for v in plan.visits:
        row = groups.setdefault(_key(v), ProposedVisit(_key(v), v.day, v.period, [], [], []))
        if v.host not in row.hosts:
            row.hosts.append(v.host)
        if v.observer not in [o for o, _ in row.observers]:
            row.observers.append((v.observer, v.cover))
    for row in groups.values():
        shared = set.intersection(*(teaches[h] for h in row.hosts))
        row.moves = sorted(shared - {(row.day, row.period)}, key=lambda s: order.get(s, (99, 99)))
    return sorted(groups.values(), key=lambda r: order.get((r.day, r.period), (99, 99)))


def _save_checked(proposal: Proposal, problem: scheduler.Problem, plan: scheduler.Plan) -> None:
    """Keep an edited plan only if the independent validator finds it keeps every rule.
    (A pair visit counts 1; a group counts its classrooms: one per request, host and slot.)"""
    plan.objective = len({(v.request, v.host, v.day, v.period) for v in plan.visits})
    plan.status = "OPTIMAL" if plan.objective == plan.bound else "FEASIBLE"
    problems = scheduler.plan_problems(problem, plan)
    if problems:
        raise ValidationError(problems)
    proposal.plan = scheduler.plan_to_json(plan)
    proposal.save(update_fields=["plan"])


def proposal_remove(*, proposal: Proposal, key: str) -> None:
    problem = scheduler.problem_from_json(proposal.problem)
    plan = scheduler.plan_from_json(proposal.plan)
    removed = {v.request for v in plan.visits if _key(v) == key}
    plan.visits = [v for v in plan.visits if _key(v) != key]
    reasons = {u.request: u.reason for u in plan.unscheduled}
    plan.unscheduled = [u for u in plan.unscheduled if u.request not in removed]
    for request in problem.requests:
        if request.id not in removed:
            continue
        met = {(v.host, v.day, v.period) for v in plan.visits if v.request == request.id}
        if request.kind == "pair":
            missing = request.visits - len(met)
        else:  # a group is met fully or not at all
            missing = 0 if met else request.classrooms
        plan.unscheduled.append(
            scheduler.Unscheduled(
                request=request.id,
                missing=missing,
                reason=reasons.get(request.id, "Removed from the proposal by the coach."),
            )
        )
    _save_checked(proposal, problem, plan)


def _free_colleagues(problem: scheduler.Problem, plan: scheduler.Plan, day: str, period: str):
    """Teachers with no lesson, duty or part in the plan in that slot: who could cover."""
    taken = {m.teacher for m in problem.meetings if (m.day, m.period) == (day, period)}
    taken |= {u.teacher for u in problem.unavailable if (u.day, u.period) == (day, period)}
    covering: dict[str, int] = defaultdict(int)
    for v in plan.visits:
        if (v.day, v.period) == (day, period):
            taken |= {v.observer, v.host, v.cover or ""}
        if v.cover:
            covering[v.cover] += 1
    return [
        t.id
        for t in problem.teachers
        if t.id not in taken
        # Within the contract's limit (0 for those who do not cover: leaders, facilitators).
        and ((limit := problem.max_coverages(t.id)) is None or covering[t.id] < limit)
    ]


def proposal_move(*, proposal: Proposal, key: str, day: str, period: str) -> None:
    """Move one proposed visit to another slot. An observer who teaches then is covered by a
    free colleague (a substitute when none is free). Refused, with reasons, when the moved
    plan breaks a rule."""
    problem = scheduler.problem_from_json(proposal.problem)
    plan = scheduler.plan_from_json(proposal.plan)
    section_of = {(m.teacher, m.day, m.period): m.section for m in problem.meetings}
    staying = [v for v in plan.visits if _key(v) != key]
    going = [v for v in plan.visits if _key(v) == key]
    people = {v.observer for v in going} | {v.host for v in going}
    free = [
        t
        for t in _free_colleagues(problem, replace(plan, visits=staying), day, period)
        if t not in people
    ]
    covers: dict[str, str | None] = {}
    for v in going:
        if (v.host, day, period) not in section_of:
            raise ValidationError(f"The host does not teach on {day} period {period}.")
        if v.observer not in covers and (v.observer, day, period) in section_of:
            covers[v.observer] = free.pop(0) if free else scheduler.SUBSTITUTE
    moved = [
        replace(
            v,
            day=day,
            period=period,
            section=section_of[(v.host, day, period)],
            cover=covers.get(v.observer),
        )
        for v in going
    ]
    plan.visits = staying + moved
    _save_checked(proposal, problem, plan)


def proposal_reciprocate(*, proposal: Proposal) -> int:
    """Offer each pair the reciprocal visit: the host visits the observer back, around what the
    plan already holds. Returns how many reciprocal visits were found."""
    problem = scheduler.problem_from_json(proposal.problem)
    plan = scheduler.plan_from_json(proposal.plan)
    back = scheduler.reciprocal_problem(problem, plan)
    if not back.requests:
        raise ValidationError("There are no pair visits to return.")
    back_plan = scheduler.solve(back, time_limit=min(proposal.time_limit, 5))
    both, merged = scheduler.combine(problem, plan, back, back_plan)
    problems = scheduler.plan_problems(both, merged)
    if problems:
        raise ValidationError(problems)
    proposal.problem = scheduler.problem_to_json(both)
    proposal.plan = scheduler.plan_to_json(merged)
    proposal.save(update_fields=["problem", "plan"])
    return back_plan.objective


@transaction.atomic
def proposal_publish(*, proposal: Proposal) -> int:
    """Place every proposed visit, or none: each is checked like a visit placed by hand.

    Published once: the status moves from ready to published in one conditional update, so a
    double click or a second coach waits for the first and then finds nothing to publish."""
    claimed = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.READY).update(
        status=ProposalStatus.PUBLISHED
    )
    if not claimed:
        raise ValidationError(
            "This proposal is already published (or is not ready): its visits are on the "
            "cycle's Visits page.",
            code="not_ready",
        )
    plan = scheduler.plan_from_json(proposal.plan)
    placed = 0
    for visit_plan in plan_visits(proposal.cycle, plan, monday=proposal.monday):
        visit_schedule(cycle=proposal.cycle, plan=visit_plan)
        placed += 1
    proposal.status = ProposalStatus.PUBLISHED
    return placed
