"""`solve`: the best plan found within the time limit, with a proven bound, the same every run.

1. The greedy plan (greedy.py) comes first, and each request's best alone gives a first
   bound (index.py). When greedy meets that bound, met visits are already optimal.
2. Otherwise, placements (slots.py) decide when each request meets and who covers, and
   only then choose classrooms, among teachers who do not observe then: a quick order
   (fewest covers first), then the slot model solved by CP-SAT, for the whole week when
   the time allows, else around the rest of the week half a day at a time, then a day, then
   two days (which can move a group from one day to another). The slot model
   and bound.py (a linear relaxation; for big weeks, a knapsack of the coverage and seats
   the week has) prove bounds that count coverage and classrooms.
3. When the full model (model.py) fits in the time left, CP-SAT improves met visits on
   it, starting from the best plan so far (its bound counts when no host was capped), and
   then the soft preferences: pairings, fewer coverages and substitutes, duties spread
   fairly. Both run in rounds of fixed work that stop when a round brings nothing better.
   A quick pass (polish.py) moves covered visits to free periods where it can.
4. The reasons for what is unmet (explain.py), within the time limit too: time is kept
   for them from the start.

The same problem and time limit give the same plan: CP-SAT runs with a fixed seed, one
worker (or interleaved workers), and a limit on deterministic work (`WORK_PER_SECOND`
per second allotted), not on wall time. The seconds allotted to the search are what the
time limit leaves once the phases that run to their end have had theirs, estimated from
the problem's size (`PHASES_PER_VARIABLE`), never measured. The wall clock only guards
the time limit: on a machine so busy that the work does not fit in the seconds allotted,
the guard stops the search earlier, and the plan may then differ from run to run.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterator
from itertools import combinations
from time import perf_counter

from ortools.sat.python import cp_model

from .bound import achievable, coverage_bound, supply_bound
from .explain import unscheduled_entries
from .greedy import greedy_visits, upper_bound
from .index import Index
from .model import Model
from .plan import Plan, Visit
from .polish import fewer_covers
from .problem import Problem, problem_check
from .slots import SlotModel, greedy_placement, realize, slot_model_size

log = logging.getLogger(__name__)
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
# CP-SAT's deterministic work per wall-clock second allotted: what a quiet core of the
# slower of the 2-core development machines does on the slot model (0.2 to 0.38; the
# faster one does 0.7). Busier than that, the wall-clock guard ends searches and plans
# can differ.
WORK_PER_SECOND = 0.3
# The same for the full model (presolve off, many more variables): 0.17 on that machine.
FULL_MODEL_WORK_PER_SECOND = 0.17
# Seconds, per variable of the week's slot model, of the phases that run to their end
# whatever the time: reading, the index and greedy, the placement, building the linear
# relaxation, realizing and polishing, explaining (4.5 s for 45,000 variables at 800
# teachers on the slower machine); and seconds per unit of the relaxation's `effort` (its
# simplex iterations times rows: 1.9 s for the scarce 800-teacher week, 0.6 s when its
# coverage is used up). The search is allotted what they leave, so that on that machine
# its work limit, not the wall clock, ends it.
PHASES_PER_VARIABLE = 1.0e-4
SECONDS_PER_EFFORT = 1.2e-8
# Seconds, per variable of the slots re-planned, of building a neighbourhood's slot model and
# realizing it (`_neighbourhood_search`), counted in its work: the scarce 800-teacher week's
# eleven parts (42 slots) took 1.2 s on the faster machine, 2.2e-5 s a variable; the slower
# one takes 1.6 to 2 times as long.
NEIGHBOURHOOD_PER_VARIABLE = 4e-5
# Work of the last pass (polish.py) per second of the time limit, in visits looked at: a
# try looks at the whole plan, 1.5 to 3 µs a visit (50 tries of a 3,000-visit plan, 0.45 s at
# most).
POLISH_WORK = 15_000
# Seconds of work a neighbourhood is given at least (`_neighbourhood_search`): a day of an
# 800-teacher scarce week was solved to optimality with 0.34 units, 1.1 s; half a day
# with at most 0.21 units.
NEIGHBOURHOOD_WORK = 1.2
# A round of the full model's search is this share of the time limit.
ROUND = 0.1
# Presolve costs more than it saves on the full model (measured with bench/): most
# constraints are already tight.
FULL_MODEL_PARAMETERS: dict[str, object] = {"cp_model_presolve": False}
# The slot model is another matter: with presolve and CP-SAT's fuller linear relaxation, a
# day of an 800-teacher week is solved to optimality in the work that, without them, found
# nothing better than the day as planned (bench/hard_problems.py, scarce week).
SLOT_PARAMETERS: dict[str, object] = {"linearization_level": 2}
# Building and loading the full model costs about this many seconds per variable; it is
# left out when that would not leave it time to search.
SECONDS_PER_VARIABLE = 3e-5
# The slot model of a day is solved while the week's has at most this many variables a day
# (a 200-teacher week has 11,000 in all, 800 teachers 45,000).
SLOT_MODEL_BUDGET = 15_000
# The whole week's slot model is solved when its share of the time limit gives about this
# much deterministic work per variable (proven optimal at 200 teachers with 5.5 units for
# 11,000 variables); otherwise only part of it at a time (`_neighbourhood_search`).
WORK_PER_VARIABLE = 5e-4
# GLOP's deterministic work per second of the time limit, for the linear relaxation
# (bound.py: solved on a few columns, 0.1–2 CPU seconds at 800 teachers).
LP_WORK = 0.5


class _Clock:
    """The time limit, the time kept for the explanations, and the seconds of each phase."""

    def __init__(self, time_limit: float, patience: float = 1.0, spent: float = 0.0):
        self.start = perf_counter()
        self.deadline = self.start + max(0.1, time_limit * patience - spent)
        self.time_limit = time_limit
        self.reserve = 0.1
        self.phases: dict[str, float] = {}
        self._mark = self.start

    def left(self) -> float:
        return self.deadline - self.reserve - perf_counter()

    def lap(self, phase: str) -> None:
        now = perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - self._mark
        self._mark = now


def solve(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    workers: int = 1,
    seed: int = 0,
    spent: float = 0.0,
    patience: float = 1.0,
) -> Plan:
    """Plan the problem's visits within `time_limit` seconds (everything included).
    `spent`: seconds of the limit already used (a command's start-up and reading); the
    wall-clock guard counts them, the work does not, so that the plan does not vary with them.
    `patience` lets the wall clock run that many times the limit before its guard ends a
    search: the work, and so the plan, stay those of `time_limit` (for a machine too busy
    to do that work in time, such as a test suite on every core).
    Raises ProblemError if the problem refers to unknown teachers, days or periods."""
    clock = _Clock(time_limit, patience, spent)
    problem_check(problem)
    index = Index(problem)
    visits = greedy_visits(index)
    bound = upper_bound(index)
    met = _met(index, visits)
    clock.reserve = _explaining(index, visits)
    clock.lap("greedy")
    log.debug("greedy %d of bound %d", met, bound)

    if met < bound:
        visits, met = _placements(index, visits, met, clock)
        clock.reserve = _explaining(index, visits)
        clock.lap("placement")
    size = slot_model_size(index) if met < bound else 0
    # The seconds of the time limit the phases that run to their end are expected to leave.
    spare = 0.85 * time_limit - PHASES_PER_VARIABLE * size
    if met < bound:
        bound = achievable(index, min(bound, supply_bound(index)))
        if met < bound and clock.left() > 0.2:
            relaxed = coverage_bound(
                index, seconds=clock.left() * 0.6, work=LP_WORK * time_limit, known=(met, bound)
            )
            spare -= SECONDS_PER_EFFORT * relaxed.effort
            bound = achievable(index, min(bound, bound if relaxed.bound is None else relaxed.bound))
        log.debug("bound %d", bound)
        clock.lap("bound")
    work = max(0.0, min(0.5 * time_limit, spare))
    allotted = work
    whole_week = size * WORK_PER_VARIABLE <= work * WORK_PER_SECOND
    if met < bound and whole_week and clock.left() > 0.2:
        slots = SlotModel(index)
        slots.hint(visits)
        slots.cp.add(slots.met() <= bound)
        slots.cp.maximize(slots.met())
        solver = _solver(clock.left(), work, workers, seed, SLOT_PARAMETERS, WORK_PER_SECOND)
        status = solver.solve(slots.cp)
        work -= solver.deterministic_time / WORK_PER_SECOND
        if status in FOUND:
            found = realize(index, slots.placement(solver))
            if _met(index, found) > met:
                visits, met = found, _met(index, found)
            bound = min(bound, _floor(solver.best_objective_bound))
        log.debug("slot model %s: met %d, bound %d", solver.status_name(status), met, bound)
    if met < bound and size <= SLOT_MODEL_BUDGET * len(index.problem.days):
        visits, met, work = _neighbourhood_search(
            index, visits, met, bound, size, work, clock, workers, seed
        )
        clock.reserve = _explaining(index, visits)
        clock.lap("search")

    capped = any(so.capped for c in index.candidates for so in c.slots)
    variables = sum(len(so.options) + 1 for c in index.candidates for so in c.slots)
    # Whether to build the full model, and the work of its rounds, depend on the time limit
    # and the work done so far, not on the time left (which varies from run to run), so
    # that the plan does not; the guard aside.
    building = 2 * SECONDS_PER_VARIABLE * variables
    spare -= building + allotted - work
    if any(c.slots for c in index.candidates) and (
        building < 0.5 * time_limit and spare > ROUND * time_limit and clock.left() > building
    ):
        model = Model(index)
        model.hint_visits(visits)
        clock.lap("model")
        if met < bound:
            first = _Work(min(spare, 0.3 * time_limit))
            visits, met, bound = _more_visits(
                model, visits, met, bound, capped, clock, first, workers, seed
            )
            spare -= first.used
            clock.lap("search")
        if clock.left() > 0.1 and model.soft_terms:
            then = _Work(min(spare, 0.5 * time_limit))
            visits, met, bound = _preferences(
                model, visits, met, bound, capped, clock, then, workers, seed
            )
            clock.lap("preferences")
    elif met < bound:
        visits = _polished(index, visits, clock)
        clock.lap("preferences")
    return _finished(index, visits, bound, clock)


def _placements(
    index: Index, visits: list[Visit], met: int, clock: _Clock
) -> tuple[list[Visit], int]:
    if clock.left() > 0:
        found = realize(index, greedy_placement(index))
        if _met(index, found) > met:
            visits, met = found, _met(index, found)
    log.debug("placement: met %d", met)
    return visits, met


def _neighbourhoods(index: Index) -> list[tuple[str, set[int]]]:
    """What the large-neighbourhood search re-plans, a name and its slots: each half-day
    (mornings, then afternoons), each day, each two days. A half-day's slot model is small
    enough that CP-SAT solves it to optimality in a fraction of a day's work, and most of
    the gain is found there (on bench/hard_problems.py's scarce 800-teacher week, the ten
    half-days gained 30 visits with 0.13 units of work, the five days 50 with 0.75); a day
    can then move a group between its morning and afternoon, two days between days."""
    days: dict[str, list[int]] = {day: [] for day in index.problem.days}
    for s, (day, _) in enumerate(index.slots):
        days[day].append(s)
    middle = {day: (len(slots) + 1) // 2 for day, slots in days.items()}
    mornings = [(f"{day} morning", set(slots[: middle[day]])) for day, slots in days.items()]
    afternoons = [(f"{day} afternoon", set(slots[middle[day] :])) for day, slots in days.items()]
    whole = [(day, set(slots)) for day, slots in days.items()]
    two = [(f"{a}+{b}", set(days[a]) | set(days[b])) for a, b in combinations(days, 2)]
    return [(name, free) for name, free in mornings + afternoons + whole + two if free]


def _neighbourhood_search(
    index: Index,
    visits: list[Visit],
    met: int,
    bound: int,
    size: int,
    work: float,
    clock: _Clock,
    workers: int,
    seed: int,
) -> tuple[list[Visit], int, float]:
    """Large-neighbourhood search: the slot model re-plans part of the week (`_neighbourhoods`)
    with the rest kept, and the plan is kept when it meets more. Round the neighbourhoods
    again while one gains. `size`: the week's slot model's variables. Returns the plan, its
    met visits and the work left."""
    slot_size = size / max(1, len(index.slots))
    day_slots = len(index.slots) / max(1, len(index.problem.days))
    gained = True
    # Wall seconds a slot took to build and realize, which no limit guards (CP-SAT's own
    # time is guarded): a neighbourhood starts only when the time left can take them.
    per_slot = 0.0
    while gained and met < bound:
        gained = False
        for name, free in _neighbourhoods(index):
            if work <= 0.01 or met >= bound or clock.left() <= max(0.1, per_slot * len(free)):
                return visits, met, work
            began = perf_counter()
            slots = SlotModel(index, around=visits, free=free)
            planned = slots.hint(visits)  # as planned: a search that only improves
            slots.cp.maximize(slots.met())
            # An even share of little work finds nothing: at least NEIGHBOURHOOD_WORK.
            days = len(free) / day_slots
            share = max(days * work / len(index.problem.days), NEIGHBOURHOOD_WORK) + 0.05
            solver = _solver(
                clock.left(), min(work, share), workers, seed, SLOT_PARAMETERS, WORK_PER_SECOND
            )
            status = solver.solve(slots.cp)
            work -= solver.deterministic_time / WORK_PER_SECOND
            work -= NEIGHBOURHOOD_PER_VARIABLE * slot_size * len(free)
            # Realizing costs as much as the search at 800 teachers: only for a gain.
            if status in FOUND and solver.objective_value > planned:
                found = realize(index, slots.placement(solver))
                if _met(index, found) > met:
                    visits, met, gained = found, _met(index, found), True
            log.debug("%s: %s, met %d", name, solver.status_name(status), met)
            unguarded = perf_counter() - began - solver.wall_time
            per_slot = max(per_slot, unguarded / len(free))
    return visits, met, work


def _more_visits(
    model: Model,
    visits: list[Visit],
    met: int,
    bound: int,
    capped: bool,
    clock: _Clock,
    work: _Work,
    workers: int,
    seed: int,
) -> tuple[list[Visit], int, int]:
    """Met visits first, then fewer coverages and substitutes: a coverage-heavy plan is
    a poor start for the soft preferences."""
    index = model.index
    penalty, worst = model.coverage_cost()
    weight = worst + 1
    model.cp.add(model.met() <= bound)  # a proven bound: reaching it is enough
    model.cp.maximize(weight * model.met() - penalty)
    for solver in _rounds(model, clock, work, workers, seed):
        found = model.visits(solver)
        if _met(index, found) >= met:
            visits, met = _polished(index, found, clock), _met(index, found)
            model.hint_visits(visits)
        if not capped:
            bound = min(bound, _floor((solver.best_objective_bound + worst) / weight))
        if met >= bound:
            break
    log.debug("full model: met %d, bound %d", met, bound)
    return visits, met, bound


def _preferences(
    model: Model,
    visits: list[Visit],
    met: int,
    bound: int,
    capped: bool,
    clock: _Clock,
    work: _Work,
    workers: int,
    seed: int,
) -> tuple[list[Visit], int, int]:
    index = model.index
    model.add_fairness()
    low, high = model.soft_range()
    big = high - low + 1
    model.cp.add(model.met() >= met)
    model.cp.add(model.met() <= bound)
    model.cp.maximize(model.soft() if met == bound else big * model.met() + model.soft())
    for solver in _rounds(model, clock, work, workers, seed):
        found = _polished(index, model.visits(solver), clock)
        if _met(index, found) >= met:
            visits, met = found, _met(index, found)
            model.hint_visits(visits)
        if not capped and met < bound:
            bound = min(bound, _floor((solver.best_objective_bound - low) / big))
    log.debug("preferences: met %d, bound %d", met, bound)
    return visits, met, bound


class _Work:
    """Seconds of work allotted to a phase of rounds, and what its rounds used of them."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.used = 0.0

    def left(self) -> float:
        return self.seconds - self.used


def _rounds(
    model: Model, clock: _Clock, work: _Work, workers: int, seed: int
) -> Iterator[cp_model.CpSolver]:
    """Solve in rounds of fixed work (`work` in all, `FULL_MODEL_WORK_PER_SECOND`), each
    from the last one's best plan, while a round finds a better plan and time is left; yield
    each round's solver that found one."""
    best: float | None = None
    # Loading the full model into CP-SAT takes a few tenths of a second before its own
    # limits count: a round is not started in the last ones.
    while work.left() > 0.01 and clock.left() > 0.3:
        chunk = min(work.left(), max(0.5, ROUND * clock.time_limit))
        solver = _solver(
            clock.left(), chunk, workers, seed, FULL_MODEL_PARAMETERS, FULL_MODEL_WORK_PER_SECOND
        )
        status = solver.solve(model.cp)
        work.used += solver.deterministic_time / FULL_MODEL_WORK_PER_SECOND
        if status not in FOUND or (best is not None and solver.objective_value <= best):
            return
        best = solver.objective_value
        yield solver  # the caller hints its best plan for the next round
        if status == cp_model.OPTIMAL:
            return


def _polished(index: Index, visits: list[Visit], clock: _Clock) -> list[Visit]:
    tries = round(POLISH_WORK * clock.time_limit / max(1, len(visits)))
    return fewer_covers(index, visits, tries=tries, until=perf_counter() + max(0.0, clock.left()))


def _finished(index: Index, visits: list[Visit], bound: int, clock: _Clock) -> Plan:
    visits = sorted(visits, key=lambda v: (index.slot_of[v.day, v.period], v.request, v.host))
    unscheduled = unscheduled_entries(index, visits)
    wanted = sum(c.request.wanted for c in index.candidates)
    met = wanted - sum(u.missing for u in unscheduled)
    if bound < met:  # a bug: say so, and keep the plan consistent
        log.error("bound %d below %d met visits", bound, met)
        bound = met
    bound = achievable(index, bound)  # met is achievable: it stays at or above met
    clock.lap("explanations")
    status = "OPTIMAL" if met == bound else "FEASIBLE"
    seconds = perf_counter() - clock.start
    return Plan(status, visits, unscheduled, met, bound, seconds, dict(clock.phases))


def _explaining(index: Index, visits: list[Visit]) -> float:
    """Seconds to keep for the explanations: about 1.5 ms per request not fully met
    (measured: 0.22 s for 166 at 800 teachers), kept at 4 ms."""
    rows = Counter(v.request for v in visits)
    unmet = 0
    for c in index.candidates:
        request = c.request
        if request.kind == "group":
            unmet += rows[request.id] == 0
        else:
            unmet += rows[request.id] < request.visits
    return 0.05 + 0.004 * unmet


def _met(index: Index, visits: list[Visit]) -> int:
    """Met visits of a valid plan: one per pair visit, `classrooms` per met group."""
    groups = {c.request.id for c in index.candidates if c.request.kind == "group"}
    pairs = sum(1 for v in visits if v.request not in groups)
    met_groups = {v.request for v in visits if v.request in groups}
    return pairs + sum(c.request.classrooms for c in index.candidates if c.request.id in met_groups)


def _floor(value: float) -> int:
    return math.floor(value + 1e-6)


def _solver(
    guard: float,
    seconds: float,
    workers: int,
    seed: int,
    parameters: dict[str, object],
    rate: float,
) -> cp_model.CpSolver:
    """A CP-SAT solver that does the same work every run: a fixed seed, interleaved
    workers, and a limit on deterministic work worth `seconds` at `rate` units a second (a
    share of the time limit, never of the time left, which varies from run to run); `guard`
    is the wall-clock limit."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, guard)
    solver.parameters.max_deterministic_time = max(0.01, seconds * rate)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.interleave_search = workers > 1
    solver.parameters.random_seed = seed
    for name, value in parameters.items():
        setattr(solver.parameters, name, value)
    return solver
