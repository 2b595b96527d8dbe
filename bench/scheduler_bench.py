"""Benchmark of the scheduler: real master schedules and made-up schools of 20 to 400 teachers.

    .venv/bin/python bench/scheduler_bench.py [--quick] [--time-limit SECONDS] [--density D]

For each school, a realistic mix of requests (scheduler/generate.py: about one pair
request per three teachers, one group per twelve) is planned by the greedy
construction and by the solver. The table shows met visits, the proven bound, the
greedy plan's met visits, the seconds of each, and the ratios that survive a noisy
machine: solver met / bound and solver seconds / greedy seconds. Every plan is
checked by the independent validator. Writes bench/out/scheduler.csv and
bench/out/scheduler.png (matplotlib, installed for the benchmark only).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduler import greedy_plan, plan_problems, solve  # noqa: E402
from scheduler.from_rosters import read_schedule  # noqa: E402
from scheduler.generate import school, with_requests  # noqa: E402
from scheduler.problem import Problem  # noqa: E402

SCHEDULES = ROOT.parent / "shared" / "data" / "schedules"
OUT = ROOT / "bench" / "out"
SIZES = (20, 40, 75, 100, 150, 200, 300, 400)
QUICK_SIZES = (20, 75, 150)


@dataclass
class Row:
    school: str
    teachers: int
    requests: int
    wanted: int
    greedy_met: int
    greedy_seconds: float
    met: int
    bound: int
    status: str
    seconds: float
    greedy_covers: int
    covers: int
    valid: bool

    @property
    def met_over_bound(self) -> float:
        return self.met / self.bound if self.bound else 1.0

    @property
    def time_ratio(self) -> float:
        return self.seconds / max(self.greedy_seconds, 1e-3)


def schools(quick: bool, density: float) -> list[tuple[str, Problem]]:
    cases = []
    for path in sorted(SCHEDULES.glob("*.csv")):
        cases.append((path.stem, with_requests(read_schedule(path), seed=1, density=density)))
    for size in QUICK_SIZES if quick else SIZES:
        cases.append(
            (f"made-up {size}", with_requests(school(size, seed=size), seed=size, density=density))
        )
    return cases


def measure(name: str, problem: Problem, time_limit: float) -> Row:
    start = time.perf_counter()
    first = greedy_plan(problem)
    greedy_seconds = time.perf_counter() - start
    start = time.perf_counter()
    plan = solve(problem, time_limit=time_limit)
    seconds = time.perf_counter() - start
    valid = not plan_problems(problem, plan) and not plan_problems(problem, first)
    return Row(
        school=name,
        teachers=len(problem.teachers),
        requests=len(problem.requests),
        wanted=sum(r.wanted for r in problem.requests),
        greedy_met=first.objective,
        greedy_seconds=greedy_seconds,
        met=plan.objective,
        bound=plan.bound,
        status=plan.status,
        seconds=seconds,
        greedy_covers=first.coverages + first.substitutes,
        covers=plan.coverages + plan.substitutes,
        valid=valid,
    )


HEADER = (
    "| school | teachers | requests | wanted | greedy met | greedy s | solver met | bound "
    "| status | solver s | met/bound | solver s / greedy s | coverages greedy → solver | valid |"
)


def table_line(row: Row) -> str:
    return (
        f"| {row.school} | {row.teachers} | {row.requests} | {row.wanted} | {row.greedy_met} "
        f"| {row.greedy_seconds:.2f} | {row.met} | {row.bound} | {row.status} | {row.seconds:.1f} "
        f"| {row.met_over_bound:.1%} | {row.time_ratio:.0f}× "
        f"| {row.greedy_covers} → {row.covers} | {'yes' if row.valid else 'NO'} |"
    )


def summary(rows: list[Row], time_limit: float) -> list[str]:
    lines = [f"every plan valid: {'yes' if all(r.valid for r in rows) else 'NO'}"]
    small = [r for r in rows if r.teachers <= 150]
    if small:
        worst = min(small, key=lambda r: r.met_over_bound)
        lines.append(
            f"schools up to 150 teachers: worst met/bound {worst.met_over_bound:.1%} "
            f"({worst.school}); goal ≥ 99% within {time_limit:g} s"
        )
    lines.append(
        f"solver met / greedy met overall: {sum(r.met for r in rows)} / "
        f"{sum(r.greedy_met for r in rows)}; proven optimal: "
        f"{sum(r.status == 'OPTIMAL' for r in rows)} of {len(rows)}"
    )
    made_up = sorted((r for r in rows if r.school.startswith("made-up")), key=lambda r: r.teachers)
    if len(made_up) >= 2:
        per_teacher = [r.seconds / r.teachers for r in made_up]
        lines.append(
            "solver seconds per teacher, made-up schools: "
            + ", ".join(
                f"{r.teachers}: {s * 1000:.0f} ms"
                for r, s in zip(made_up, per_teacher, strict=True)
            )
        )
    return lines


def plot(rows: list[Row], path: Path) -> str:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: no plot (pip install matplotlib)"
    made_up = sorted((r for r in rows if r.school.startswith("made-up")), key=lambda r: r.teachers)
    real = [r for r in rows if not r.school.startswith("made-up")]
    figure, (quality, speed) = plt.subplots(1, 2, figsize=(11, 4.2))
    for group, marker, label in ((made_up, "o-", "made-up"), (real, "s", "real schedules")):
        xs = [r.teachers for r in group]
        quality.plot(xs, [r.met_over_bound for r in group], marker, label=f"solver, {label}")
        quality.plot(
            xs,
            [r.greedy_met / r.bound if r.bound else 1 for r in group],
            marker,
            alpha=0.45,
            label=f"greedy, {label}",
        )
        speed.plot(xs, [r.seconds for r in group], marker, label=f"solver, {label}")
        speed.plot(
            xs, [r.greedy_seconds for r in group], marker, alpha=0.45, label=f"greedy, {label}"
        )
    quality.axhline(0.99, color="grey", linestyle=":", linewidth=1)
    lowest = min(
        [r.greedy_met / r.bound for r in rows if r.bound] + [r.met_over_bound for r in rows]
    )
    quality.set_ylim(min(0.95, lowest - 0.01), 1.005)
    quality.set(xlabel="teachers", ylabel="met visits / proven bound", title="Quality")
    speed.set(xlabel="teachers", ylabel="seconds", title="Time (2 cores)")
    quality.legend(fontsize=8)
    speed.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return f"wrote {path.relative_to(ROOT)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the real schedules and 3 sizes")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--density", type=float, default=1.0, help="requests per teacher × 3")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"scheduler benchmark on {os.cpu_count()} cores, time limit {args.time_limit:g} s\n")
    print(HEADER)
    print("|" + "---|" * HEADER.count(" | ") + "---|")
    rows = []
    for name, problem in schools(args.quick, args.density):
        row = measure(name, problem, args.time_limit)
        rows.append(row)
        print(table_line(row), flush=True)
    print()
    for line in summary(rows, args.time_limit):
        print(line)
    with open(OUT / "scheduler.csv", "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(asdict(rows[0])))
        writer.writeheader()
        writer.writerows(asdict(r) for r in rows)
    print(f"wrote {(OUT / 'scheduler.csv').relative_to(ROOT)}")
    print(plot(rows, OUT / "scheduler.png"))
    return 0 if all(r.valid for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
