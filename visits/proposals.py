"""Proposed schedules: solved in the background, edited by the coach, then published.

The plan is kept in the FORMATS.md §3 JSON (its machine words, OPTIMAL and bound, stay
there); what the coach reads is said in her words by `proposal_summary`. Every edit is
re-checked by the scheduler's independent validator and can be undone; publishing places
each visit through the same rules as a visit placed by hand, all or nothing.
"""

import logging
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import scheduler
from inquiry.models import Cycle, ParticipantRole
from opendoors.tasks import enqueue
from schools.models import Person

from .models import Proposal, ProposalStatus
from .scheduling import NotSchedulable, cycle_problem, plan_visits
from .services import facilitators_notify, visit_schedule

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
        status=ProposalStatus.READY,
        plan=scheduler.plan_to_json(plan),
        message=proposal_summary(problem, plan).headline,
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


# A coach's removals live in the plan's own words (FORMATS.md §3 allows one entry per
# request in `unscheduled`, with a reason): "You removed 1 visit from the proposal." after
# whatever the scheduler said. The summary reads them back; undo takes them away.
REMOVED = re.compile(r"\s*You removed (\d+) visits? from the proposal\.$")
# What removals said before they were counted (plans saved by earlier versions).
REMOVED_BEFORE = "Removed from the proposal by the coach."


def _reason_parts(reason: str) -> tuple[str, int | None]:
    """The scheduler's reason and how many visits the coach removed (None: all missing)."""
    if reason == REMOVED_BEFORE:
        return "", None
    found = REMOVED.search(reason)
    if not found:
        return reason, 0
    return reason[: found.start()], int(found.group(1))


def _reason_join(reason: str, removed: int) -> str:
    if not removed:
        return reason or "Not placed."
    said = f"You removed {removed} visit{'s' if removed != 1 else ''} from the proposal."
    return f"{reason} {said}".strip()


def _visits_of(plan: scheduler.Plan) -> dict[str, set[str]]:
    """The rows (request, day, period: one visit each, as published) of every request."""
    rows: dict[str, set[str]] = defaultdict(set)
    for v in plan.visits:
        rows[v.request].add(_key(v))
    return rows


def _removed_by_coach(problem: scheduler.Problem, plan: scheduler.Plan) -> dict[str, int]:
    """Visits (rows) the coach removed, per request."""
    rows = _visits_of(plan)
    removed = {}
    for u in plan.unscheduled:
        _, count = _reason_parts(u.reason)
        if count is None:  # an older plan: every missing visit was removed by the coach
            request = next((r for r in problem.requests if r.id == u.request), None)
            wanted = 1 if request is None or request.kind == "group" else request.visits
            count = wanted - len(rows[u.request])
        if count:
            removed[u.request] = count
    return removed


def _recount(problem: scheduler.Problem, plan: scheduler.Plan, removed: dict[str, int]) -> None:
    """Rewrite `unscheduled` for the plan's visits now: each request's missing visits, with
    the scheduler's reason and the coach's removals."""
    reasons = {u.request: _reason_parts(u.reason)[0] for u in plan.unscheduled}
    rows = _visits_of(plan)
    entries = []
    for request in problem.requests:
        met = len(rows[request.id]) if request.kind == "pair" else 0
        if request.kind == "group" and rows[request.id]:
            met = request.classrooms  # a group is met fully or not at all
        missing = request.wanted - met
        if missing > 0:
            reason = _reason_join(reasons.get(request.id, ""), removed.get(request.id, 0))
            entries.append(scheduler.Unscheduled(request.id, missing, reason))
    plan.unscheduled = entries


@dataclass(frozen=True)
class ProposalSummary:
    """What a proposal comes to, in a coach's words, counted in visits as published (a
    round's group visit to three classrooms is one visit)."""

    headline: str
    placed: int
    wanted: int
    removed: int
    # Why requested visits do not fit, from the scheduler's explanations.
    reasons: tuple[str, ...]

    @property
    def removed_all(self) -> bool:
        return self.removed > 0 and self.placed == 0


def proposal_summary(problem: scheduler.Problem, plan: scheduler.Plan) -> ProposalSummary:
    """Say what fits as a coach would: every visit fits; this is the most that can fit,
    proven; what fits so far when time ran out; or why nothing fits. After the coach's
    removals, what is placed now, so the summary and the table always agree."""
    rows = _visits_of(plan)
    removed = _removed_by_coach(problem, plan)
    kinds = {r.id: r for r in problem.requests}
    wanted = sum(1 if r.kind == "group" else r.visits for r in problem.requests)
    placed = sum(len(keys) for keys in rows.values())
    taken = sum(removed.values())
    # The scheduler's own result, in its units (a group counts its classrooms), before the
    # coach removed anything: proven when it reached the bound it proved.
    units_removed = sum(
        kinds[r].classrooms if r in kinds and kinds[r].kind == "group" else n
        for r, n in removed.items()
    )
    proven = plan.objective + units_removed >= plan.bound
    reasons = tuple(reason for u in plan.unscheduled if (reason := _reason_parts(u.reason)[0]))
    if taken and not placed:
        headline = "You removed every visit. Undo, or ask the scheduler again."
    elif taken:
        headline = f"{placed} of {wanted} requested visits placed; you removed {taken}."
    elif wanted and placed >= wanted:
        headline = "Every requested visit fits."
    elif not placed:
        why = f": {reasons[0]}" if len(reasons) == 1 else "."
        headline = f"No visit could be placed{why}"
        if len(reasons) != 1 and proven:
            headline += " None of them can fit: proven."
    elif proven:
        headline = (
            f"{placed} of {wanted} requested visits fit. This is the most that can fit: proven."
        )
    else:
        headline = (
            f"{placed} of {wanted} requested visits fit so far; "
            f"{_gap_words(problem, plan, unmet=wanted - placed)}"
        )
    return ProposalSummary(headline, placed, wanted, taken, reasons)


def _gap_words(problem: scheduler.Problem, plan: scheduler.Plan, *, unmet: int) -> str:
    """How far a plan cut short by the time limit might be from the best, in requested visits
    (the coach's unit), and what would help. The scheduler proves its bound in classroom
    visits (a group's visit counts each classroom); each requested visit placed adds at
    least one, so at most that many more requested visits fit, and never more than are
    unmet."""
    more = max(1, min(unmet, plan.bound - plan.objective))
    text = f"at most {more} more could fit."
    reasons = " ".join(u.reason for u in plan.unscheduled)
    helps = []
    if "coverage" in reasons or "substitute" in reasons:
        helps.append("another substitute period" if more == 1 else "more substitute periods")
    if len(problem.days) == 1:
        helps.append("a second day")
    if "hosting limit" in reasons:
        helps.append("more hosts")
    if not helps:
        return f"{text} A longer search might find {'it' if more == 1 else 'more'}."
    return f"{text} {' or '.join(helps).capitalize()} might help, as might a longer search."


def proposal_summary_of(proposal: Proposal) -> ProposalSummary | None:
    if not proposal.plan:
        return None
    problem = scheduler.problem_from_json(proposal.problem)
    return proposal_summary(problem, scheduler.plan_from_json(proposal.plan))


def proposal_reach(proposal: Proposal) -> tuple[int, int]:
    """How many visits publishing creates and how many people it emails: everyone in them
    who takes visit emails, every colleague asked to cover (a duty, always told), the cycle's
    facilitators who take them, and the school's office contact when a substitute is needed."""
    if not proposal.plan:
        return 0, 0
    plan = scheduler.plan_from_json(proposal.plan)
    taking_part = {int(v.observer) for v in plan.visits} | {int(v.host) for v in plan.visits}
    covers = {int(v.cover) for v in plan.visits if v.cover and v.cover != scheduler.SUBSTITUTE}
    wanting = Person.objects.filter(email_visit_changes=True).exclude(email="")
    told = set(wanting.filter(pk__in=taking_part).values_list("pk", flat=True)) | covers
    told |= set(
        wanting.filter(
            participations__cycle=proposal.cycle_id,
            participations__role=ParticipantRole.FACILITATOR,
        ).values_list("pk", flat=True)
    )
    office = bool(plan.substitutes and proposal.cycle.school.office_contact_email)
    return len({_key(v) for v in plan.visits}), len(told) + office


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


# An undo is a signed note of the rows a change took out and put in: undoing takes out what
# was put in and puts back what was taken, exactly (the same observers and covers), and is
# checked like any edit. Nothing is stored: the note travels in the undo button's form.
UNDO_SALT = "visits.proposal.undo"
UNDO_MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class Undo:
    """What a change did, in words, and the signed note that reverses it."""

    text: str
    token: str
    key: str  # the row that changed (removed, or moved from)
    removal: bool
    put_back: tuple[scheduler.Visit, ...]
    take_out: tuple[scheduler.Visit, ...]
    removed: dict[str, int]


def _undo(
    proposal: Proposal,
    text: str,
    key: str,
    *,
    taken: list[scheduler.Visit],
    put: list[scheduler.Visit],
    removed: dict[str, int],
) -> Undo:
    note = {
        "proposal": proposal.pk,
        "text": text,
        "key": key,
        "put_back": [asdict(v) for v in taken],
        "take_out": [asdict(v) for v in put],
        "removed": removed,
    }
    token = signing.dumps(note, salt=UNDO_SALT, compress=True)
    return Undo(text, token, key, not put, tuple(taken), tuple(put), removed)


def undo_read(proposal: Proposal, token: str) -> Undo:
    """The change a signed undo note describes; refused when it is forged, expired or for
    another proposal."""
    try:
        note = signing.loads(token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE)
        if note["proposal"] != proposal.pk:
            raise ValueError("another proposal")
        put_back = tuple(scheduler.Visit(**v) for v in note["put_back"])
        take_out = tuple(scheduler.Visit(**v) for v in note["take_out"])
        removed = {str(r): int(n) for r, n in note["removed"].items()}
        text, key = str(note["text"]), str(note["key"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        raise ValidationError("This undo has expired or is not for this proposal.") from None
    return Undo(text, token, key, not take_out, put_back, take_out, removed)


def undo_possible(proposal: Proposal, undo: Undo) -> bool:
    """Whether the plan is still as the change left it (not undone, not changed since)."""
    if not proposal.plan or proposal.status != ProposalStatus.READY:
        return False
    visits = scheduler.plan_from_json(proposal.plan).visits
    return all(v in visits for v in undo.take_out) and not any(v in visits for v in undo.put_back)


def row_words(row: ProposedVisit, names: dict[str, str]) -> str:
    """ "Tue period 2 (Ana, Ben → Eli)": when, and who observes whom."""
    # In alphabetical order: the plan's order follows the database's, which can differ.
    observers = ", ".join(sorted(names.get(o, o) for o, _ in row.observers))
    hosts = ", ".join(sorted(names.get(h, h) for h in row.hosts))
    return f"{row.day} period {row.period} ({observers} → {hosts})"


def proposal_remove(*, proposal: Proposal, key: str, names: dict[str, str] | None = None) -> Undo:
    """Take one proposed visit out of the plan; the returned Undo puts it back."""
    problem = scheduler.problem_from_json(proposal.problem)
    plan = scheduler.plan_from_json(proposal.plan)
    row = next((r for r in proposed_visits(proposal) if r.key == key), None)
    going = [v for v in plan.visits if _key(v) == key]
    if row is None or not going:
        raise ValidationError("That visit is no longer in the proposal: reload the page.")
    removed = _removed_by_coach(problem, plan)
    request = going[0].request
    removed[request] = removed.get(request, 0) + 1
    plan.visits = [v for v in plan.visits if _key(v) != key]
    _recount(problem, plan, removed)
    _save_checked(proposal, problem, plan)
    text = f"Removed {row_words(row, names or {})}."
    return _undo(proposal, text, key, taken=going, put=[], removed={request: 1})


def proposal_undo(*, proposal: Proposal, token: str) -> str:
    """Reverse one change (a removal or a move) exactly, checked like any edit; refused when
    it was already undone or the plan has changed in a way that no longer allows it."""
    undo = undo_read(proposal, token)
    if not undo_possible(proposal, undo):
        raise ValidationError("This change was already undone, or the proposal changed since.")
    problem = scheduler.problem_from_json(proposal.problem)
    plan = scheduler.plan_from_json(proposal.plan)
    removed = _removed_by_coach(problem, plan)
    for request, count in undo.removed.items():
        removed[request] = max(0, removed.get(request, 0) - count)
    plan.visits = [v for v in plan.visits if v not in undo.take_out] + list(undo.put_back)
    _recount(problem, plan, removed)
    _save_checked(proposal, problem, plan)
    when = sorted({f"{v.day} period {v.period}" for v in undo.put_back})
    return f"Put back {', '.join(when)}."


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


def proposal_move(*, proposal: Proposal, key: str, day: str, period: str) -> Undo:
    """Move one proposed visit to another slot. An observer who teaches then is covered by a
    free colleague (a substitute when none is free). Refused, with reasons, when the moved
    plan breaks a rule. The returned Undo moves it back with its covers as they were."""
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
    where = f"{going[0].day} period {going[0].period}" if going else "the visit"
    text = f"Moved {where} to {day} period {period}."
    return _undo(proposal, text, key, taken=going, put=moved, removed={})


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
    placed = [
        # The facilitators hear of the whole week in one email, below.
        visit_schedule(cycle=proposal.cycle, plan=visit_plan, tell_facilitators=False)
        for visit_plan in plan_visits(proposal.cycle, plan, monday=proposal.monday)
    ]
    facilitators_notify(cycle=proposal.cycle, change="scheduled", visits=placed)
    proposal.status = ProposalStatus.PUBLISHED
    return len(placed)
