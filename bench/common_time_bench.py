"""Benchmark of a team's common time: real master schedules and made-up schools of 20 to 400.

    .venv/bin/python bench/common_time_bench.py [--teams N] [--repeat R]

For each school, 200 seeded random teams of 12, and the whole staff as one team (called
200 times), are given to `scheduler.common_time` and to the baseline: the plain per-slot
count the tests check against (for each slot, who is busy; then the minimum). Both run in
this process, interleaved, best of R rounds, so the ratio common_time / baseline survives
a noisy machine; the microseconds per call show how far below a second the page stays.
Every answer must equal the baseline's: the exit status is 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduler import CommonTime, Slot, common_time  # noqa: E402
from scheduler.from_rosters import read_schedule  # noqa: E402
from scheduler.generate import school  # noqa: E402
from scheduler.problem import Problem  # noqa: E402

# The baseline is the tests' plain per-slot count (the answer written as plainly as possible).
from scheduler.tests.test_common_time import brute_force  # noqa: E402

SCHEDULES = ROOT.parent / "shared" / "data" / "schedules"
SIZES = (20, 40, 100, 200, 400)
TEAM = 12

Lessons = Mapping[str, Mapping[Slot, str]]
Unavailable = Mapping[str, AbstractSet[Slot]]


def week_of(problem: Problem) -> tuple[list[str], list[Slot], Lessons, Unavailable]:
    """The plain data a page passes: teachers, the week, lessons by slot, other commitments."""
    slots = [(day, period) for day in problem.days for period in problem.periods]
    lessons: dict[str, dict[Slot, str]] = {}
    for m in problem.meetings:
        taught = lessons.setdefault(m.teacher, {})
        slot = (m.day, m.period)
        taught[slot] = f"{taught[slot]} + {m.section}" if slot in taught else m.section
    unavailable: dict[str, set[Slot]] = {}
    for u in problem.unavailable:
        unavailable.setdefault(u.teacher, set()).add((u.day, u.period))
    return [t.id for t in problem.teachers], slots, lessons, unavailable


def schools() -> list[tuple[str, Problem]]:
    cases = [(path.stem, read_schedule(path)) for path in sorted(SCHEDULES.glob("*.csv"))]
    # 8 periods a day: a 40-slot week, as the "100 teachers, ~40 slots".
    cases += [(f"made-up {n}", school(n, seed=n, periods=8)) for n in SIZES]
    return cases


def per_call(
    finder: Callable[..., CommonTime],
    teams: list[list[str]],
    slots: list[Slot],
    lessons: Lessons,
    unavailable: Unavailable,
) -> float:
    start = time.perf_counter()
    for team in teams:
        finder(team, slots, lessons, unavailable)
    return (time.perf_counter() - start) / len(teams)


HEADER = (
    "| school | teachers | slots | team | teams | with common time | calls | common_time µs/call "
    "| baseline µs/call | common_time / baseline | same answers |"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=200, help="random teams per school")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the best is kept")
    args = parser.parse_args(argv)
    print(f"common-time benchmark on {os.cpu_count()} cores, best of {args.repeat} rounds\n")
    print(HEADER)
    print("|" + "---|" * HEADER.count(" | ") + "---|")
    all_same, worst, ratios = True, 0.0, []
    for name, problem in schools():
        teachers, slots, lessons, unavailable = week_of(problem)
        rng = random.Random(name)
        for size, teams in (
            (TEAM, [rng.sample(teachers, min(TEAM, len(teachers))) for _ in range(args.teams)]),
            (len(teachers), [teachers]),
        ):
            calls = teams * max(
                1, args.teams // len(teams)
            )  # the whole staff: one team, many calls
            same = all(
                common_time(t, slots, lessons, unavailable)
                == brute_force(t, slots, lessons, unavailable)
                for t in teams
            )
            fast, plain = float("inf"), float("inf")
            for _ in range(args.repeat):  # interleaved: the machine's noise hits both alike
                fast = min(fast, per_call(common_time, calls, slots, lessons, unavailable))
                plain = min(plain, per_call(brute_force, calls, slots, lessons, unavailable))
            found = sum(bool(common_time(t, slots, lessons, unavailable).all_free) for t in teams)
            all_same &= same
            worst = max(worst, fast)
            if size == TEAM:
                ratios.append(fast / plain)
            print(
                f"| {name} | {len(teachers)} | {len(slots)} "
                f"| {'all' if size == len(teachers) and size != TEAM else size} "
                f"| {len(teams)} | {found} | {len(calls)} | {fast * 1e6:,.0f} | {plain * 1e6:,.0f} "
                f"| {fast / plain:.2f} | {'yes' if same else 'NO'} |",
                flush=True,
            )
    print()
    print(f"every answer equals the baseline's: {'yes' if all_same else 'NO'}")
    print(
        f"teams of {TEAM}: common_time / baseline {min(ratios):.2f}–{max(ratios):.2f}; "
        f"slowest team {worst * 1e3:.2f} ms per call (goal: well under 1 s)"
    )
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
