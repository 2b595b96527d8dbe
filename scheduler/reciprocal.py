"""Micro-observations: offer each pair the reciprocal visit (the host visits back).

`reciprocal_problem` makes a follow-up problem from a solved one: one request per
visit made (observer → host) for the host to visit the observer (host → observer),
around what the first plan already holds. Whoever observes, hosts or covers in a slot
of the first plan is unavailable then, and the hosting, coverage and substitute limits
are what the first plan left. `combine` puts both back together: the result is a
valid plan of the first problem with the reciprocal requests added.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from .plan import SUBSTITUTE, Plan
from .problem import Problem, Request, Unavailable


def reciprocal_problem(
    problem: Problem, plan: Plan, *, requests: Iterable[str] | None = None
) -> Problem:
    """The reciprocal visits of the plan's pair visits (of `requests`, default all pairs)."""
    pairs = {r.id for r in problem.requests if r.kind == "pair"}
    wanted = pairs if requests is None else set(requests) & pairs
    back: dict[tuple[str, str], Request] = {}
    for v in plan.visits:
        if v.request in wanted and (v.host, v.observer) not in back:
            request_id = f"{v.request}-reciprocal-{v.host}"
            back[v.host, v.observer] = Request(request_id, "pair", (v.host,), hosts=(v.observer,))
    busy = set(problem.unavailable)
    hosted: dict[str, set[tuple[str, str]]] = defaultdict(set)
    covered: dict[str, set[tuple[str, str]]] = defaultdict(set)
    substitutes: set[tuple[str, str, str]] = set()
    for v in plan.visits:
        for teacher in (v.observer, v.host, v.cover):
            if teacher is not None and teacher != SUBSTITUTE:
                busy.add(Unavailable(teacher, v.day, v.period))
        hosted[v.host].add((v.day, v.period))
        if v.cover == SUBSTITUTE:
            substitutes.add((v.observer, v.day, v.period))
        elif v.cover is not None:
            covered[v.cover].add((v.day, v.period))
    teachers = []
    for t in problem.teachers:
        host_limit, cover_limit = problem.max_hosting(t.id), problem.max_coverages(t.id)
        teachers.append(
            replace(
                t,
                max_hosting=None if host_limit is None else host_limit - len(hosted[t.id]),
                max_coverages=None if cover_limit is None else cover_limit - len(covered[t.id]),
            )
        )
    rules = replace(
        problem.rules, substitute_periods=problem.rules.substitute_periods - len(substitutes)
    )
    return replace(
        problem,
        teachers=tuple(teachers),
        unavailable=tuple(sorted(busy, key=lambda u: (u.teacher, u.day, u.period))),
        requests=tuple(back.values()),
        rules=rules,
        warnings=(),
    )


def combine(problem: Problem, plan: Plan, back: Problem, back_plan: Plan) -> tuple[Problem, Plan]:
    """The first problem with the reciprocal requests, and both plans as one."""
    both = replace(problem, requests=problem.requests + back.requests)
    status = "OPTIMAL" if plan.status == back_plan.status == "OPTIMAL" else "FEASIBLE"
    merged = Plan(
        status=status,
        visits=plan.visits + back_plan.visits,
        unscheduled=plan.unscheduled + back_plan.unscheduled,
        objective=plan.objective + back_plan.objective,
        bound=plan.bound + back_plan.bound,
        seconds=plan.seconds + back_plan.seconds,
    )
    return both, merged
