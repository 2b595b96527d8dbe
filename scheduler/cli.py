"""`opendoors schedule PROBLEM.json -o PLAN.json [--time-limit SECONDS]`, or `python -m scheduler`.

`run` does the work and raises ProblemError for bad input; `main` is the
command line around it, printing problems instead of a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from time import perf_counter
from typing import TextIO

from .plan import Plan, plan_to_json
from .problem import ProblemError, problem_from_json
from .solver import solve

WRITING = 0.05  # seconds kept for writing the plan


def run(
    problem_path: Path | str,
    output: Path | str | None,
    *,
    time_limit: float = 10.0,
    workers: int = 1,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    spent: float = 0.0,
) -> Plan:
    """Read a problem file, solve it, write the plan (to stdout when `output` is None or '-').
    `spent`: seconds the command already took before calling this (its start-up)."""
    start = perf_counter() - spent
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    problem = problem_from_json(read_json(Path(problem_path)))
    for warning in problem.warnings:
        stderr.write(f"warning: {warning}\n")
    # The time limit is the whole command's: starting and reading count, and writing is
    # kept a moment.
    reading = perf_counter() - start
    plan = solve(problem, time_limit=time_limit, spent=reading + WRITING, workers=workers)
    plan.phases = {"reading": reading} | plan.phases
    plan.seconds = perf_counter() - start
    text = json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False) + "\n"
    if output is None or str(output) == "-":
        stdout.write(text)
        stderr.write(f"{plan.summary()}\n")
    else:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise ProblemError([f"{output}: cannot write the plan ({error.strerror})"]) from None
        stdout.write(f"{output}: {plan.summary()}\n")
    return plan


def read_json(path: Path) -> object:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise ProblemError([f"{path}: cannot be read ({error.strerror})"]) from None
    except UnicodeDecodeError:
        raise ProblemError([f"{path}: is not UTF-8 text"]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ProblemError(
            [f"{path}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from None


def parser(prog: str = "opendoors schedule") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Plan classroom visits into the master schedule (FORMATS.md §3)."
    )
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("problem", type=Path, help="the problem, JSON version 1")
    parser.add_argument(
        "-o", "--output", default="-", help="where to write the plan (default: standard output)"
    )
    parser.add_argument(
        "--time-limit",
        type=positive,
        default=10.0,
        metavar="SECONDS",
        help="stop searching after this long (default 10)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="solver threads, interleaved so that the plan stays the same (default 1)",
    )


def positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def process_age() -> float:
    """Seconds since this process started (Linux; 0 elsewhere): Python's start-up and
    imports are part of the command's time."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))


def main(argv: list[str] | None = None, *, spent: float = 0.0) -> int:
    """The command; `spent`: seconds the process took before (`process_age()` when it is
    the program, as in `python -m scheduler`)."""
    args = parser().parse_args(argv)
    try:
        run(
            args.problem,
            args.output,
            time_limit=args.time_limit,
            workers=args.workers,
            spent=spent,
        )
    except ProblemError as error:
        sys.stderr.write(f"{args.problem}: nothing was scheduled:\n{error}\n")
        return 2
    return 0
