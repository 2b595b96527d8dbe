"""Benchmark of one page, the debrief of a big visit, on PostgreSQL: the leaders' bench's big
visit alone, filled in seconds rather than minutes.

    cd /work/main && .venv/bin/python bench/debrief_bench.py [--entries 20000] [--others 100000]
                                                             [--rounds 50] [--profile 20]

1. Re-creates the PostgreSQL database `opendoors_debrief_bench` (`--db-name`), migrates it,
   and builds one school with the builders of bench/leaders_bench.py (40 teachers, a year of
   cycles) and its big visit: a round through 10 classrooms with 8 observers, which holds
   `--entries` evidence entries; `--others` more are spread over the school's other visits, so
   that the database finds the visit's entries among others, as in a school's year (COPY,
   then ANALYZE). No hours ledger.
2. In this process, with Django's test client (server time: no network, no browser), rounds
   of one request to each page, interleaved: a bare view without queries (the baseline), the
   debrief as the cycle's facilitator (the principal), as one of the observers, and its last
   page of notes (`?quotes=`). Each page's median and best wall time, the median CPU time of
   this process (PostgreSQL's is not in it), the ratio to the baseline's median, its queries
   and its HTML size on one request.
3. With `--profile N`, N more requests to the facilitator's debrief under cProfile, whose 25
   costliest functions (by their own time and by cumulative time) it prints.
   Drops the database at the end, also after an error (`--keep` keeps it).

Skips with a message (exit status 0) when PostgreSQL is not reachable. The exit status is 1
when a debrief's median is 100 ms or more.
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

# The repository, so that `python bench/debrief_bench.py` finds the leaders' bench beside it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import leaders_bench


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--others", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--db-name", default="opendoors_debrief_bench")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    # What the leaders' builders read: one school; `entries` counts every entry written.
    args.schools, args.debrief_entries = 1, args.entries
    args.entries += args.others
    return args


def pages(built: dict) -> dict[str, tuple[str, object]]:
    """Page name -> (url, who reads it)."""
    from django.urls import reverse

    from visits.models import Evidence
    from visits.patterns import QUOTES_PER_PAGE

    debrief = reverse("visits:debrief", args=[built["big_visit"].pk])
    observer = built["big_visit"].observers.first().person
    quoted = Evidence.objects.filter(classroom__visit=built["big_visit"]).exclude(text="").count()
    last = max(1, -(-quoted // QUOTES_PER_PAGE))  # the bench's words are all notes
    return {
        "bare view (baseline)": ("/bench/bare/", built["principal"]),
        "debrief, facilitator": (debrief, built["principal"]),
        "debrief, observer": (debrief, observer),
        f"debrief, notes p. {last}": (f"{debrief}?quotes={last}", built["principal"]),
    }


def measure(built: dict, args: argparse.Namespace) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = pages(built)
    clients, queries, size = {}, {}, {}
    for name, (url, who) in found.items():
        clients[name] = Client()
        clients[name].force_login(who)
        response = clients[name].get(url)  # warm-up
        assert response.status_code == 200, (name, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            response = clients[name].get(url)
        queries[name], size[name] = len(captured), len(response.content)
    times, cpu = leaders_bench.timed_rounds(clients, found, args.rounds)
    baseline = statistics.median(times["bare view (baseline)"])
    if args.profile:
        profile(clients["debrief, facilitator"], found["debrief, facilitator"][0], args.profile)
    return [
        {
            "page": name,
            "median_ms": statistics.median(times[name]),
            "best_ms": min(times[name]),
            "cpu_ms": statistics.median(cpu[name]),
            "ratio": statistics.median(times[name]) / baseline,
            "queries": queries[name],
            "kb": size[name] / 1024,
        }
        for name in found
    ]


def profile(client, url: str, requests: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url)
    profiler.disable()
    for order in ("tottime", "cumulative"):
        print(f"\n{requests} requests to {url} under cProfile, by {order}:")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats(order).print_stats(25)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not leaders_bench.reachable(args.admin_url):
        print(f"PostgreSQL is not reachable at {args.admin_url}: debrief_bench skipped.")
        return 0
    rng = random.Random(13)
    leaders_bench.database_recreate(args.admin_url, args.db_name)
    try:
        leaders_bench.django_setup(args)
        began = time.perf_counter()
        built = leaders_bench.district_build(args, rng)
        print(f"one school and its big visit built in {time.perf_counter() - began:.1f} s")
        seconds = leaders_bench.evidence_copy(built, args, rng)
        print(
            f"{args.entries:,} evidence entries ({args.debrief_entries:,} in the big visit) "
            f"written in {seconds:.1f} s (COPY, ANALYZE)"
        )
        rows = measure(built, args)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if not args.keep:
            leaders_bench.database_drop(args.admin_url, args.db_name)
    return report(rows, args)


def report(rows: list[dict], args: argparse.Namespace) -> int:
    print(
        f"\ndebrief of a round through 10 classrooms with 8 observers, {args.debrief_entries:,} "
        f"entries (of {args.entries:,}); {args.rounds} rounds, medians of server time "
        "(test client)"
    )
    missed = leaders_bench.page_table(rows, html=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
