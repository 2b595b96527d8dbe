"""Benchmark of the scheduler where greedy is not enough: scarce coverage, district-size weeks.

    .venv/bin/python bench/scheduler_hard_bench.py [--quick] [--time-limit SECONDS]

The problems come from bench/hard_problems.py: scarce-coverage weeks of 200, 400 and 800
teachers, the same after a month of coverage already given, and tight weeks on the six
real timetables. Each is written to a JSON file and planned by the command itself
(`python -m scheduler PROBLEM.json -o PLAN.json --time-limit 10`) in a child process,
so that the wall-clock seconds and the peak memory are the whole command's. Per problem:
greedy met, solver met, bound, gap (bound − met) / bound, wall seconds, peak memory, and
whether the independent validator accepts the plan; also the command's CPU seconds and
the machine's load average when it ran (other jobs share the 2 cores: a load above 2
means the command waited for a core, and its wall seconds measure the neighbours too).
The same problem is planned twice,
and `same` says whether both plans were identical. Writes bench/out/scheduler_hard.csv
and bench/out/scheduler_hard.png (matplotlib, installed for the benchmark only).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.hard_problems import scarce_week, tight_week, used_up_week  # noqa: E402
from scheduler import greedy_plan, plan_from_json, plan_problems, problem_to_json  # noqa: E402
from scheduler.problem import Problem  # noqa: E402

SCHEDULES = ROOT.parent / "shared" / "data" / "schedules"
OUT = ROOT / "bench" / "out"


@dataclass
class Row:
    problem: str
    teachers: int
    requests: int
    greedy_met: int
    met: int
    bound: int
    seconds: float
    cpu_seconds: float
    load: float
    peak_mb: float
    valid: bool
    same: bool
    phases: str

    @property
    def gap(self) -> float:
        return (self.bound - self.met) / self.bound if self.bound else 0.0

    @property
    def over_greedy(self) -> float:
        return self.met / self.greedy_met if self.greedy_met else 1.0


def problems(quick: bool) -> list[tuple[str, Problem]]:
    sizes = (200, 400) if quick else (200, 400, 800)
    cases = [(f"scarce {n}", scarce_week(n)) for n in sizes]
    cases += [(f"used up {n}", used_up_week(n)) for n in sizes]
    cases += [(f"tight {path.stem}", tight_week(path)) for path in sorted(SCHEDULES.glob("*.csv"))]
    return cases


def command(problem_file: Path, plan_file: Path, time_limit: float) -> tuple[float, float, float]:
    """Run the command; its wall-clock seconds, CPU seconds and peak resident memory (MB)."""
    limit = ("--time-limit", str(time_limit))
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "scheduler", str(problem_file), "-o", str(plan_file), *limit],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"the command failed on {problem_file}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(name: str, problem: Problem, time_limit: float, folder: Path) -> Row:
    problem_file = folder / "problem.json"
    problem_file.write_text(json.dumps(problem_to_json(problem)))
    greedy = greedy_plan(problem)
    runs = []
    load = os.getloadavg()[0]
    for attempt in (1, 2):
        plan_file = folder / f"plan{attempt}.json"
        seconds, cpu, peak = command(problem_file, plan_file, time_limit)
        document = json.loads(plan_file.read_text())
        runs.append((seconds, cpu, peak, document))
    (seconds, cpu, peak, document), (*_, again) = runs
    plan = plan_from_json(document)
    return Row(
        problem=name,
        teachers=len(problem.teachers),
        requests=len(problem.requests),
        greedy_met=greedy.objective,
        met=plan.objective,
        bound=plan.bound,
        seconds=seconds,
        cpu_seconds=cpu,
        load=load,
        peak_mb=peak,
        valid=not plan_problems(problem, plan) and not plan_problems(problem, greedy),
        same=document["visits"] == again["visits"] and document["bound"] == again["bound"],
        phases=" ".join(f"{k} {v:.1f}" for k, v in plan.phases.items()),
    )


HEADER = (
    "| problem | teachers | requests | greedy met | solver met | × greedy | bound | gap "
    "| wall s | CPU s | load | peak MB | valid | same twice |"
)


def table_line(r: Row) -> str:
    return (
        f"| {r.problem} | {r.teachers} | {r.requests} | {r.greedy_met} | {r.met} "
        f"| {r.over_greedy:.2f} | {r.bound} | {r.gap:.1%} | {r.seconds:.1f} | {r.cpu_seconds:.1f} "
        f"| {r.load:.1f} | {r.peak_mb:.0f} "
        f"| {'yes' if r.valid else 'NO'} | {'yes' if r.same else 'no'} |"
    )


def plot(rows: list[Row], path: Path, limit: float) -> str:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: no plot (pip install -r requirements-bench.txt)"
    names = [r.problem for r in rows]
    xs = range(len(rows))
    figure, (quality, time_) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True)
    quality.bar([x - 0.27 for x in xs], [r.greedy_met for r in rows], 0.27, label="greedy met")
    quality.bar(xs, [r.met for r in rows], 0.27, label="solver met")
    quality.bar([x + 0.27 for x in xs], [r.bound for r in rows], 0.27, label="proven bound")
    quality.set(ylabel="visits", title="Met visits and the proven bound", yscale="log")
    quality.legend(fontsize=8)
    time_.bar([x - 0.2 for x in xs], [r.seconds for r in rows], 0.4, label="wall, whole command")
    time_.bar([x + 0.2 for x in xs], [r.cpu_seconds for r in rows], 0.4, label="CPU")
    time_.axhline(limit + 0.5, color="grey", linestyle=":", linewidth=1, label="limit + 0.5 s")
    most = max(r.seconds for r in rows)
    time_.set(ylabel="seconds", title="Time (2 shared cores)", ylim=(0, max(limit + 2, most * 1.1)))
    time_.set_xticks(list(xs), names, rotation=35, ha="right", fontsize=8)
    time_.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return f"wrote {path.relative_to(ROOT)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 and 400 teachers only")
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"scheduler on hard weeks, {os.cpu_count()} cores, time limit {args.time_limit:g} s\n")
    print(HEADER)
    print("|" + "---|" * HEADER.count(" | ") + "---|")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, problem in problems(args.quick):
            row = measure(name, problem, args.time_limit, Path(folder))
            rows.append(row)
            print(table_line(row), flush=True)
    print()
    for r in rows:
        print(f"{r.problem}: {r.phases}")
    print(f"every plan valid: {'yes' if all(r.valid for r in rows) else 'NO'}")
    late = [r.problem for r in rows if r.seconds > args.time_limit + 0.5]
    kept = "NO: " + ", ".join(late) if late else "yes"
    print(f"every command within the time limit + 0.5 s: {kept}")
    print(f"the same plan twice: {'yes' if all(r.same for r in rows) else 'NO'}")
    with open(OUT / "scheduler_hard.csv", "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=[*asdict(rows[0]), "gap"])
        writer.writeheader()
        writer.writerows(asdict(r) | {"gap": round(r.gap, 4)} for r in rows)
    print(f"wrote {(OUT / 'scheduler_hard.csv').relative_to(ROOT)}")
    print(plot(rows, OUT / "scheduler_hard.png", args.time_limit))
    return 0 if all(r.valid for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
