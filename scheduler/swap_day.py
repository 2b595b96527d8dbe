"""Coverage swap day: a team observes one another on one day while others cover.

`swap_day_problem` turns the school's problem into the day's: the school's meetings
on that day, one pair request per team member (observe a teammate, or one of
`hosts`, during a regular class), and each teacher's coverage limit for the day.

Coverage limits come from the collective agreement as a number per week and/or per
month. A teacher's limit for the day is what is left of both after the coverages
already used (`used_this_week`, `used_this_month`); it is written as that teacher's
`max_coverages` (see problem.py). Without limits, the school's rule applies.

`swap_day_choose` solves every day and ranks them: most visits met first, then
fewest coverages and substitutes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .plan import SUBSTITUTE, Plan
from .problem import Problem, ProblemError, Request
from .solver import solve


@dataclass(frozen=True)
class CoverageLimits:
    per_week: int | None = None
    per_month: int | None = None
    used_this_week: Mapping[str, int] = field(default_factory=dict)
    used_this_month: Mapping[str, int] = field(default_factory=dict)

    def left(self, teacher: str) -> int | None:
        """Coverages this teacher may still take, or None for no limit."""
        left = [
            limit - used.get(teacher, 0)
            for limit, used in (
                (self.per_week, self.used_this_week),
                (self.per_month, self.used_this_month),
            )
            if limit is not None
        ]
        return max(0, min(left)) if left else None


def swap_day_problem(
    school: Problem,
    *,
    team: Sequence[str],
    day: str,
    hosts: Sequence[str] | None = None,
    visits_per_member: int = 1,
    coverage: CoverageLimits | None = None,
    substitute_periods: int | None = None,
    prefer: tuple[str, ...] = (),
) -> Problem:
    _check(school, team, day, hosts)
    coverage = coverage or CoverageLimits()
    teachers = []
    for t in school.teachers:
        left = coverage.left(t.id)
        teachers.append(t if left is None else replace(t, max_coverages=left))
    requests = tuple(
        Request(
            id=f"swap-{member}",
            kind="pair",
            observers=(member,),
            visits=visits_per_member,
            hosts=tuple(h for h in (hosts or team) if h != member),
            prefer=prefer,
        )
        for member in team
    )
    rules = school.rules
    if substitute_periods is not None:
        rules = replace(rules, substitute_periods=substitute_periods)
    return Problem(
        days=(day,),
        periods=school.periods,
        teachers=tuple(teachers),
        meetings=tuple(m for m in school.meetings if m.day == day),
        unavailable=tuple(u for u in school.unavailable if u.day == day),
        requests=requests,
        rules=rules,
    )


def swap_day_choose(
    school: Problem,
    *,
    team: Sequence[str],
    days: Sequence[str] | None = None,
    time_limit: float = 2.0,
    **options: Any,
) -> list[tuple[str, Plan]]:
    """Every day's plan, best day first."""
    ranked = []
    for day in days or school.days:
        plan = solve(swap_day_problem(school, team=team, day=day, **options), time_limit=time_limit)
        ranked.append((day, plan))
    ranked.sort(key=lambda dp: (-dp[1].objective, dp[1].coverages + 2 * dp[1].substitutes))
    return ranked


def rotation(problem: Problem, plan: Plan) -> list[str]:
    """The day's rotation in words, period by period."""
    order = {p: i for i, p in enumerate(problem.periods)}
    lines = []
    for v in sorted(plan.visits, key=lambda v: (order[v.period], v.observer)):
        who = problem.name(v.observer)
        line = f"{v.day} {v.period}: {who} observes {problem.name(v.host)} ({v.section})"
        if v.cover == SUBSTITUTE:
            line += f"; a substitute covers {who}'s class"
        elif v.cover is not None:
            line += f"; {problem.name(v.cover)} covers {who}'s class"
        lines.append(line)
    return lines


def _check(school: Problem, team: Sequence[str], day: str, hosts: Sequence[str] | None) -> None:
    known = {t.id for t in school.teachers}
    errors = [f"team[{i}]: unknown teacher '{t}'" for i, t in enumerate(team) if t not in known]
    errors += [
        f"hosts[{i}]: unknown teacher '{t}'" for i, t in enumerate(hosts or ()) if t not in known
    ]
    if day not in school.days:
        errors.append(f"day: unknown day '{day}' (days are {', '.join(school.days)})")
    if len(team) < 2 and not hosts:
        errors.append("team: a swap day needs at least two teachers, or hosts to visit")
    if len(set(team)) != len(team):
        errors.append("team: lists a teacher twice")
    if errors:
        raise ProblemError(errors)
