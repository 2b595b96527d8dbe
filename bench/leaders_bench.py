"""Benchmark of the leaders' pages at a million evidence entries, on PostgreSQL.

    cd /work/main && .venv/bin/python bench/leaders_bench.py [--entries 1000000] [--schools 30]
                                                             [--debrief-entries 20000] [--rounds 30]

1. Re-creates the PostgreSQL database `opendoors_leaders_bench` (`--db-name`), migrates it,
   and fills it: a district of `--schools` schools, each with 40 teachers, a principal, two
   improvement goals, two terms and a year of cycles (four look-fors each, ten visits of
   three classrooms each), then `--entries` evidence entries spread over those classrooms
   (look-fors, tallies, talk time, notes, bright moments), written with COPY and timed. One
   more visit, a round through 10 classrooms with 8 observers, holds `--debrief-entries` of
   them, for the debrief. Each teacher has a year of hours-ledger entries (100, bulk-created);
   as every write of entries does, the load marks their months behind
   (`insights.services.ledger_months_mark`) and then runs what the task worker runs after a
   write (`ledger_months_count`), so the dashboards read the kept monthly counts, timed.
2. In this process, in production settings (static files collected to bench/out/static first),
   with Django's test client (server time: no network, no browser), rounds
   of one request to each page, interleaved: a bare view without queries (the baseline),
   the patterns page (`insights:patterns`, as a principal), the school and the district
   dashboards (`insights:school_dashboard`, `insights:district_dashboard`, as a district
   leader; skipped, and said so, while their names do not resolve) and the debrief of the
   big visit (as its facilitator). Each page's median and best wall time, the median CPU
   time of this process (the web worker's share; PostgreSQL's is not in it), its ratio to
   the baseline's median, its queries on one request (that they do not grow with the data
   is asserted by the tests: tests/test_page_queries.py and each page's own) and the
   resident memory of the process before and after all the rounds.
3. Prints a table and whether each target is met: under 100 ms of server time, and memory
   that does not grow across the rounds (under 10 MiB).
   Drops the database at the end, also after an error (`--keep` keeps it).

Skips with a message (exit status 0) when PostgreSQL is not reachable. The exit status is 1
when a target is missed.
"""

import argparse
import itertools
import os
import random
import secrets
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0
MEMORY_GROWTH_MIB = 10.0
TEACHERS = 40
YEAR = "?start=2025-08-01&end=2026-07-31"
CYCLES = 12  # a year of cycles per school, one a month from September
VISITS = 10  # per cycle
HOSTS = 3  # classrooms per visit
LOOK_FORS = [
    "Students explain their reasoning to a partner",
    "Students ask each other questions",
    "Students use the anchor chart",
    "Students revise their answer after talk",
]
# Kind of each entry, drawn in these proportions.
KINDS = ["look_for"] * 10 + ["tally"] * 3 + ["note"] * 4 + ["talk_time", "bright_moment", "what"]
COLUMNS = (
    "id",
    "classroom_id",
    "author_id",
    "kind",
    "look_for_id",
    "label",
    "text",
    "teacher_talk_seconds",
    "student_talk_seconds",
    "silence_seconds",
    "recorded_at",
    "received_at",
    "fingerprint",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--schools", type=int, default=30)
    parser.add_argument("--debrief-entries", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--db-name", default="opendoors_leaders_bench")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def reachable(admin_url: str) -> bool:
    try:
        with psycopg.connect(f"{admin_url.rstrip('/')}/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def database_recreate(admin_url: str, name: str) -> None:
    database_drop(admin_url, name)
    with psycopg.connect(f"{admin_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(admin_url: str, name: str) -> None:
    with psycopg.connect(f"{admin_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def django_setup(args: argparse.Namespace) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.sync_settings",  # the site and a bare view
            "DATABASE_URL": f"{args.admin_url.rstrip('/')}/{args.db_name}",
            # Production settings, as a web worker runs them (development mode records every
            # query and traces templates); plain http for the test client.
            "OPENDOORS_DEBUG": "false",
            "OPENDOORS_SSL_REDIRECT": "false",
            "OPENDOORS_STATIC_ROOT": str(ROOT / "bench" / "out" / "static"),
            "OPENDOORS_SECRET_KEY": secrets.token_urlsafe(50),
            "OPENDOORS_LOG_LEVEL": "WARNING",
            "OPENDOORS_ALLOWED_HOSTS": "testserver",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages link them

    call_command("migrate", verbosity=0, interactive=False)


# ---------------------------------------------------------------- the district


def district_build(args: argparse.Namespace, rng: random.Random) -> dict:
    """Schools, people, cycles, visits and classrooms: every row but the evidence."""
    from inquiry.models import Cycle, LookFor, Participant, ParticipantRole
    from inquiry.structures import PRESETS
    from schools.models import (
        Day,
        District,
        ImprovementGoal,
        Membership,
        Period,
        Person,
        Role,
        School,
        Section,
        Slot,
        Term,
    )
    from visits.models import Visit, VisitClassroom, VisitObserver, VisitStatus

    district = District.objects.create(name="Bench district", slug="bench")
    people = Person.objects.bulk_create(
        Person(username=f"p{n}", first_name="P", last_name=str(n))
        for n in range(args.schools * (TEACHERS + 1) + 1)
    )
    leader, people = people[0], people[1:]
    start = date(2025, 9, 1)
    rooms: list[tuple[int, int]] = []  # (classroom, author)
    built: dict = {"leader": leader, "district": district}
    preset = PRESETS["rounds"]
    for s in range(args.schools):
        school = School.objects.create(district=district, name=f"School {s}", slug=f"school-{s}")
        staff = people[s * (TEACHERS + 1) : (s + 1) * (TEACHERS + 1)]
        principal, teachers = staff[0], staff[1:]
        Membership.objects.bulk_create(
            [Membership(person=principal, school=school, role=Role.PRINCIPAL)]
            + [Membership(person=t, school=school, role=Role.TEACHER) for t in teachers]
        )
        if s == 0:
            Membership.objects.create(person=leader, school=school, role=Role.DISTRICT_LEADER)
            built.update(school=school, principal=principal)
        fall = Term.objects.create(
            school=school, name="Fall", starts_on=start, ends_on=date(2026, 1, 31)
        )
        Term.objects.create(
            school=school, name="Spring", starts_on=date(2026, 2, 1), ends_on=date(2026, 6, 30)
        )
        day = Day.objects.create(term=fall, label="Mon", position=0)
        period = Period.objects.create(term=fall, label="1", position=0)
        slot = Slot.objects.create(term=fall, day=day, period=period)
        section = Section.objects.create(term=fall, code=f"S{s}")
        goals = ImprovementGoal.objects.bulk_create(
            ImprovementGoal(school=school, title=f"Goal {g}", position=g) for g in range(2)
        )
        cycles = Cycle.objects.bulk_create(
            Cycle(
                school=school,
                title=f"Cycle {c}",
                structure="rounds",
                created_by=principal,
                grouping=preset.grouping,
                visit_minutes=preset.visit_minutes,
                debrief_timing=preset.debrief_timing,
                needs_problem_of_practice=True,
                needs_theory_of_action=True,
                needs_pre_brief=False,
                needs_follow_up=False,
                problem_of_practice=f"Problem {c % 4}",
                improvement_goal=goals[c % 2] if c % 3 else None,
            )
            for c in range(CYCLES)
        )
        LookFor.objects.bulk_create(
            LookFor(cycle=c, text=text, kind="oral", position=i)
            for c in cycles
            for i, text in enumerate(LOOK_FORS)
        )
        visits = Visit.objects.bulk_create(
            Visit(
                cycle=c,
                date=start + timedelta(days=30 * n + 3 * v),
                slot=slot,
                status=VisitStatus.SCHEDULED,
            )
            for n, c in enumerate(cycles)
            for v in range(VISITS)
        )
        classrooms = VisitClassroom.objects.bulk_create(
            VisitClassroom(visit=v, host=host, section=section, position=h)
            for v in visits
            for h, host in enumerate(rng.sample(teachers, HOSTS))
        )
        rooms += [(room.pk, rng.choice(teachers).pk) for room in classrooms]
        if s == 0:
            big = Visit.objects.create(cycle=cycles[-1], date=start, slot=slot)
            big_rooms = VisitClassroom.objects.bulk_create(
                VisitClassroom(visit=big, host=t, section=section, position=i)
                for i, t in enumerate(teachers[:10])
            )
            observers = teachers[10:18]
            VisitObserver.objects.bulk_create(VisitObserver(visit=big, person=o) for o in observers)
            Participant.objects.create(
                cycle=cycles[-1], person=principal, role=ParticipantRole.FACILITATOR
            )
            built.update(
                big_visit=big,
                big_rooms=[(r.pk, o.pk) for r in big_rooms for o in observers],
            )
    look_fors: dict[int, list[int]] = {}
    for pk, cycle_id in LookFor.objects.values_list("pk", "cycle_id"):
        look_fors.setdefault(cycle_id, []).append(pk)
    room_cycle = dict(VisitClassroom.objects.values_list("pk", "visit__cycle_id"))
    built.update(rooms=rooms, look_fors=look_fors, room_cycle=room_cycle)
    built["teachers"] = [
        (school_id, person_id)
        for school_id, person_id in Membership.objects.filter(role=Role.TEACHER).values_list(
            "school_id", "person_id"
        )
    ]
    return built


LEDGER_PER_TEACHER = 100  # a year of learning: visits, debriefs, meetings, follow-ups


def ledger_write(built: dict, rng: random.Random) -> tuple[int, float]:
    """Each teacher's year in the hours ledger, which the dashboards read (participation, time,
    hours by designation); return how many entries and the seconds it took."""
    from growth.models import EntryStatus, LedgerEntry

    activities = ["observed", "hosted", "debrief", "plc_meeting", "follow_up", "lesson_study"]
    start, district = date(2025, 9, 1), built["district"]
    began = time.perf_counter()
    entries = (
        LedgerEntry(
            person_id=person,
            district=district,
            school_id=school,
            date=start + timedelta(days=rng.randrange(300)),
            activity=activities[n % len(activities)],
            title="Bench learning",
            minutes=rng.choice((15, 30, 45, 60)),
            status=EntryStatus.SELF_REPORTED if n % 17 == 0 else EntryStatus.VERIFIED,
            source="" if n % 17 == 0 else f"bench:{person}:{n}",
            credits=Decimal("0.50"),
            credit_unit="clock_hours",
            designations=["Equity hours"] if n % 3 == 0 else [],
        )
        for school, person in built["teachers"]
        for n in range(LEDGER_PER_TEACHER)
    )
    written = 0
    while batch := list(itertools.islice(entries, 10_000)):
        LedgerEntry.objects.bulk_create(batch)
        written += len(batch)
    return written, time.perf_counter() - began


def ledger_months_counted() -> tuple[int, float]:
    """The bulk load's months marked behind and counted, as production's writes and task
    worker do; return how many months and the seconds it took."""
    from django.db import transaction

    from growth.models import LedgerEntry
    from insights.services import ledger_months_count, ledger_months_mark

    began = time.perf_counter()
    with transaction.atomic():
        ledger_months_mark(query=LedgerEntry.objects.all())
    return ledger_months_count(), time.perf_counter() - began


def evidence_copy(built: dict, args: argparse.Namespace, rng: random.Random) -> float:
    """Write the entries with COPY, in chunks; return the seconds it took."""
    from django.db import connection

    now = datetime(2026, 6, 1, tzinfo=UTC)
    rooms, look_fors, room_cycle = built["rooms"], built["look_fors"], built["room_cycle"]
    spread = args.entries - args.debrief_entries
    plan = [rooms[n % len(rooms)] for n in range(spread)]
    plan += [built["big_rooms"][n % len(built["big_rooms"])] for n in range(args.debrief_entries)]
    began = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        columns = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
        statement = sql.SQL("COPY visits_evidence ({}) FROM STDIN").format(columns)
        for chunk in range(0, len(plan), 100_000):
            with raw.copy(statement) as copy:
                for n, (room, author) in enumerate(plan[chunk : chunk + 100_000], start=chunk):
                    kind = KINDS[n % len(KINDS)]
                    talk = kind == "talk_time"
                    copy.write_row(
                        (
                            uuid.UUID(int=rng.getrandbits(128), version=4),
                            room,
                            author,
                            kind,
                            rng.choice(look_fors[room_cycle[room]])
                            if kind in ("look_for", "note")
                            else None,
                            "Open-ended" if kind == "tally" else "",
                            f"Students said {n % 97}" if kind in ("note", "what") else "",
                            rng.randint(30, 300) if talk else None,
                            rng.randint(30, 300) if talk else None,
                            rng.randint(0, 60) if talk else None,
                            now,
                            now,
                            "-",
                        )
                    )
        cursor.execute("ANALYZE")
    return time.perf_counter() - began


# ---------------------------------------------------------------- the measurements


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def pages(built: dict) -> tuple[dict[str, tuple], list[str]]:
    """Page name -> (url, who reads it); and the pages skipped, with why."""
    from django.urls import NoReverseMatch, reverse

    school, district = built["school"], built["district"]
    wanted = {
        "bare view (baseline)": (lambda: "/bench/bare/", built["principal"]),
        "patterns page": (lambda: reverse("insights:patterns", args=[school.slug]), "principal"),
        # The school year the data fills (a dashboard opens on the current one).
        "school dashboard": (
            lambda: reverse("insights:school_dashboard", args=[school.slug]) + YEAR,
            "leader",
        ),
        "district dashboard": (
            lambda: reverse("insights:district_dashboard", args=[district.slug]) + YEAR,
            "leader",
        ),
        "debrief, big visit": (
            lambda: reverse("visits:debrief", args=[built["big_visit"].pk]),
            "principal",
        ),
    }
    found, skipped = {}, []
    for name, (url, who) in wanted.items():
        try:
            found[name] = (url(), built["leader"] if who == "leader" else built["principal"])
        except NoReverseMatch:
            skipped.append(f"{name}: its URL name does not resolve yet")
    return found, skipped


def measure(built: dict, args: argparse.Namespace) -> tuple[list[dict], list[str], float, float]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found, skipped = pages(built)
    clients = {}
    for name, (url, who) in found.items():
        clients[name] = Client()
        clients[name].force_login(who)
        status = clients[name].get(url).status_code  # warm-up, and a read that publishes
        if status != 200:
            skipped.append(f"{name}: answered {status}")
    found = {n: v for n, v in found.items() if not any(s.startswith(n + ":") for s in skipped)}
    queries = {}
    for name, (url, _) in found.items():
        with CaptureQueriesContext(connection) as captured:
            clients[name].get(url)
        queries[name] = len(captured)
    rss_before = rss_mib()
    times, cpu = timed_rounds(clients, found, args.rounds)
    rss_after = rss_mib()
    baseline = statistics.median(times["bare view (baseline)"])
    rows = []
    for name in found:
        median = statistics.median(times[name])
        rows.append(
            {
                "page": name,
                "median_ms": median,
                "best_ms": min(times[name]),
                "cpu_ms": statistics.median(cpu[name]),
                "ratio": median / baseline,
                "queries": queries[name],
            }
        )
    return rows, skipped, rss_before, rss_after


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not reachable(args.admin_url):
        print(f"PostgreSQL is not reachable at {args.admin_url}: leaders_bench skipped.")
        return 0
    rng = random.Random(13)
    database_recreate(args.admin_url, args.db_name)
    try:
        django_setup(args)
        began = time.perf_counter()
        built = district_build(args, rng)
        print(f"district of {args.schools} schools built in {time.perf_counter() - began:.1f} s")
        written, seconds = ledger_write(built, rng)
        print(f"{written:,} hours-ledger entries written in {seconds:.1f} s")
        months, seconds = ledger_months_counted()
        print(f"{months:,} months of the ledger counted (the task worker's run) in {seconds:.1f} s")
        seconds = evidence_copy(built, args, rng)
        print(f"{args.entries:,} evidence entries written in {seconds:.1f} s (COPY, ANALYZE)")
        rows, skipped, rss_before, rss_after = measure(built, args)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if not args.keep:
            database_drop(args.admin_url, args.db_name)
    return report(rows, skipped, rss_before, rss_after, args)


def timed_rounds(
    clients: dict, found: dict[str, tuple[str, object]], rounds: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """`rounds` rounds of one request to each page, interleaved: each request's wall and CPU
    milliseconds, by page."""
    times: dict[str, list[float]] = {name: [] for name in found}
    cpu: dict[str, list[float]] = {name: [] for name in found}
    for _ in range(rounds):
        for name, (url, _) in found.items():
            began, began_cpu = time.perf_counter(), time.process_time()
            clients[name].get(url)
            times[name].append(1000 * (time.perf_counter() - began))
            cpu[name].append(1000 * (time.process_time() - began_cpu))
    return times, cpu


def page_table(rows: list[dict], *, html: bool = False) -> bool:
    """Prints each page's timings against the target (and its HTML size when `html`); whether
    a page missed it."""
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    size = f" {'HTML KB':>8}" if html else ""
    print(
        f"{'page':<24} {'median ms':>10} {'best ms':>8} {'CPU ms':>7} {'÷ bare':>8} "
        f"{'queries':>8}{size}  target"
    )
    missed = False
    for row in rows:
        baseline = row["page"].startswith("bare")
        met = baseline or row["median_ms"] < TARGET_MS
        missed |= not met
        verdict = "–" if baseline else ("met" if met else f"MISSED (≥ {TARGET_MS:.0f} ms)")
        size = f" {row['kb']:>8.1f}" if html else ""
        print(
            f"{row['page']:<24} {row['median_ms']:>10.1f} {row['best_ms']:>8.1f} "
            f"{row['cpu_ms']:>7.1f} {row['ratio']:>8.1f} {row['queries']:>8}{size}  {verdict}"
        )
    return missed


def report(rows, skipped, rss_before: float, rss_after: float, args) -> int:
    print(
        f"\n{args.entries:,} entries, {args.schools} schools, debrief of "
        f"{args.debrief_entries:,}; {args.rounds} rounds, medians of server time (test client)\n"
    )
    missed = page_table(rows)
    grown = rss_after - rss_before
    memory_met = grown < MEMORY_GROWTH_MIB
    missed |= not memory_met
    print(
        f"\nresident memory: {rss_before:.0f} MiB before the rounds, {rss_after:.0f} MiB after "
        f"({grown:+.1f} MiB): {'met' if memory_met else 'MISSED'} (< {MEMORY_GROWTH_MIB:.0f})"
    )
    for line in skipped:
        print(f"skipped: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
