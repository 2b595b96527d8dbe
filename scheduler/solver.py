"""`solve`: the best plan CP-SAT finds in the time allowed, with a proven bound.

1. The greedy plan is the first solution, and each request's best alone gives a first
   bound (index.py). When greedy meets that bound, met visits are already optimal.
2. Otherwise CP-SAT maximises met visits (and, below them, fewer coverages and
   substitutes), starting from the greedy plan. Its bound gives the plan's `bound` —
   unless hosts were capped, in which case a relaxation that forgets the capped hosts
   (model.py) is solved first for the bound.
3. With met visits held at their best, CP-SAT then improves the soft preferences:
   pairings, fewer coverages and substitutes, hosting and covering spread fairly.
   This stops at the time limit, or sooner when no better plan has come for a while
   (`PATIENCE` of the time limit): soft preferences are not worth the whole wait.
   After steps 2 and 3, a quick pass (polish.py) moves covered visits to free periods
   where it can.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from time import perf_counter

from ortools.sat.python import cp_model

from .greedy import finished_plan, greedy_visits, upper_bound
from .index import Index
from .model import Model
from .plan import Plan, Visit
from .polish import fewer_covers
from .problem import Problem, problem_check

log = logging.getLogger(__name__)
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
PATIENCE = 0.1
# CP-SAT parameters for every solve. Presolve costs more than it saves on these
# models (measured with bench/scheduler_bench.py): most constraints are already tight.
PARAMETERS: dict[str, object] = {"cp_model_presolve": False}


def solve(problem: Problem, *, time_limit: float = 10.0, workers: int = 2, seed: int = 0) -> Plan:
    """Plan the problem's visits within about `time_limit` seconds (model building included).
    Raises ProblemError if the problem refers to unknown teachers, days or periods."""
    start = perf_counter()
    deadline = start + max(0.1, time_limit)
    problem_check(problem)
    index = Index(problem)
    visits = greedy_visits(index)
    bound = upper_bound(index)
    met = _met(index, visits)
    if not any(c.slots for c in index.candidates) or deadline - perf_counter() < 0.05:
        return finished_plan(index, visits, bound=bound, start=start)
    model = Model(index)
    model.hint_visits(visits)
    capped = any(so.capped for c in index.candidates for so in c.slots)
    log.debug(
        "%.2fs greedy %d of bound %d; %d variables", _since(start), met, bound, len(model.variables)
    )

    if met < bound and capped:
        bound = min(bound, _relaxed_bound(index, visits, deadline, workers, seed))
        log.debug("%.2fs relaxation bound %d", _since(start), bound)
    if met < bound:
        # Met visits first, then fewer coverages and substitutes: a coverage-heavy plan
        # is a poor start for the soft preferences of step 3.
        penalty, worst = model.coverage_cost()
        weight = worst + 1
        model.cp.add(model.met() <= bound)  # a proven bound: reaching it is enough
        model.cp.maximize(weight * model.met() - penalty)
        solver = _solver(_share(deadline, 0.7), workers, seed)

        def settled(objective: float) -> bool:
            return math.ceil(objective / weight - 1e-9) >= bound

        if _solve_patiently(solver, model.cp, _patience(time_limit), settled) in FOUND:
            found = model.visits(solver)
            if _met(index, found) >= met:
                visits, met = fewer_covers(index, found), _met(index, found)
                model.hint_visits(visits)
            if not capped:
                bound = min(bound, _floor((solver.best_objective_bound + worst) / weight))
        log.debug("%.2fs met visits %d, bound %d", _since(start), met, bound)

    if deadline - perf_counter() > 0.05 and model.soft_terms:
        model.add_fairness()
        low, high = model.soft_range()
        big = high - low + 1
        model.cp.add(model.met() >= met)
        model.cp.add(model.met() <= bound)
        model.cp.maximize(model.soft() if met == bound else big * model.met() + model.soft())
        solver = _solver(_share(deadline, 1.0), workers, seed)
        if _solve_patiently(solver, model.cp, _patience(time_limit)) in FOUND:
            visits = fewer_covers(index, model.visits(solver))
            met = _met(index, visits)
            if not capped and met < bound:
                bound = min(bound, _floor((solver.best_objective_bound - low) / big))
        log.debug(
            "%.2fs preferences %s; met %d, bound %d",
            _since(start),
            solver.objective_value,
            met,
            bound,
        )
    return finished_plan(index, visits, bound=bound, start=start)


def _relaxed_bound(
    index: Index, visits: list[Visit], deadline: float, workers: int, seed: int
) -> int:
    relaxed = Model(index, relaxed=True)
    relaxed.hint_visits(visits)
    relaxed.cp.maximize(relaxed.met())
    solver = _solver(_share(deadline, 0.3), workers, seed)
    if solver.solve(relaxed.cp) in FOUND:
        return _floor(solver.best_objective_bound)
    return upper_bound(index)


def _met(index: Index, visits: list[Visit]) -> int:
    """Met visits of a valid plan: one per pair visit, `classrooms` per met group."""
    groups = {c.request.id for c in index.candidates if c.request.kind == "group"}
    pairs = sum(1 for v in visits if v.request not in groups)
    met_groups = {v.request for v in visits if v.request in groups}
    return pairs + sum(c.request.classrooms for c in index.candidates if c.request.id in met_groups)


def _since(start: float) -> float:
    return perf_counter() - start


def _floor(value: float) -> int:
    return math.floor(value + 1e-6)


def _share(deadline: float, fraction: float) -> float:
    return max(0.05, (deadline - perf_counter()) * fraction)


def _solver(seconds: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    for name, value in PARAMETERS.items():
        setattr(solver.parameters, name, value)
    return solver


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, settled: Callable[[float], bool]) -> None:
        super().__init__()
        self.settled = settled
        self.last: float | None = None  # when the latest settled solution came

    def on_solution_callback(self) -> None:
        if self.settled(self.objective_value):
            self.last = perf_counter()


def _patience(time_limit: float) -> float:
    return max(0.5, PATIENCE * time_limit)


def _solve_patiently(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    patience: float,
    settled: Callable[[float], bool] = lambda _objective: True,
) -> cp_model.CpSolverStatus:
    """Solve, but once the objective is `settled`, stop when `patience` seconds pass
    without a better solution."""
    progress = _Progress(settled)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if progress.last is not None and perf_counter() - progress.last > patience:
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.solve(model, progress)
    finally:
        done.set()
        watcher.join()
