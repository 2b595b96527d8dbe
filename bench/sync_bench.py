"""Benchmark of the evidence sync API: a 30-observer learning walk sends 1,000 entries at once.

    cd /work/main && .venv/bin/python bench/sync_bench.py [--entries 1000] [--observers 30]
                                                          [--batch 1] [--workers 4 --threads 1]

What it does, all on 127.0.0.1:

1. Re-creates the PostgreSQL database `opendoors_bench`, migrates it (`opendoors migrate`) and
   builds, through the app's services: a school, a learning walk (structure "walk") with
   four look-fors, 6 host classrooms in Monday period 1, 30 observers and one visit of them
   all. Each observer gets a signed-in session (the database session store) and a CSRF token.
2. Starts gunicorn on a free port with production settings (DEBUG off, no SSL redirect since
   there is no TLS proxy here), `bench.sync_settings` (the site plus a bare view).
3. Baseline: the requests of step 4, to the bare view, by the same 30 clients, once before
   and once after step 4 (pooled, so that a change in the machine's load during the run
   weighs on both sides).
4. Sync: 30 threads, one per observer, each with its own session, start together and send
   their share of the entries to POST /api/visits/{id}/evidence, one entry per request
   (`--batch N`: N per request). Ids are made here (uuid4); kinds are a mix of look-for
   taps, tallies, notes, talk time and student prompts. 5% of the entries are sent a
   second time, as by a phone that never heard the answer: they must be answered
   "duplicate", every first send "stored".
5. Counts the visit's Evidence rows: lost (sent ids missing) and duplicated (rows beyond
   one per sent entry) must both be 0.
6. Prints a table, with the sync figures as ratios to the baseline of the same run (the
   machine is shared and noisy: absolute numbers vary more than ratios), writes them to
   bench/out/sync.json, stops gunicorn and drops the database, also on errors.

Beside time, the table shows the CPU milliseconds per request spent by gunicorn's workers,
PostgreSQL and the clients (read from /proc), and the share of the machine other processes
took meanwhile: when it is high, the run measured the neighbours as much as the app.

The exit status is 1 when an entry was lost, duplicated, answered wrongly or a request failed.
"""

import argparse
import json
import math
import os
import platform
import random
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import requests
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
SETTINGS = "bench.sync_settings"
HOST = "127.0.0.1"
MAX_BATCH = 200  # visits.api.MAX_BATCH
# The kinds of entries, in turn: look-for taps most often, as on a walk.
KINDS = (
    *("look_for", "tally", "look_for", "note"),
    *("look_for", "talk_time", "tally", "student_prompt"),
)
TALLY_LABELS = ["Recall", "Open-ended", "Student-to-student"]
REQUEST_TIMEOUT = (5, 120)  # seconds to connect, to answer
STARTUP_SECONDS = 60
LOAD_SECONDS = 900  # the most one load phase may take
NOISY = 0.25  # other processes' share of the CPUs above which a run is flagged


# ---------------------------------------------------------------- options and environment


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000, help="entries in all (1000)")
    parser.add_argument("--observers", type=int, default=30, help="observers, one client each")
    parser.add_argument("--classrooms", type=int, default=6, help="host classrooms (6)")
    parser.add_argument("--batch", type=int, default=1, help="entries per request (1)")
    parser.add_argument("--resend", type=float, default=0.05, help="share sent twice (0.05)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1: sync)")
    parser.add_argument("--conn-max-age", type=int, default=0, help="OPENDOORS_DB_CONN_MAX_AGE")
    parser.add_argument("--db-name", default="opendoors_bench", help="dropped and re-created")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server, without a database name",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of kinds and resends")
    args = parser.parse_args(argv)
    if not 1 <= args.batch <= MAX_BATCH:
        parser.error(f"--batch must be between 1 and {MAX_BATCH}")
    if args.entries < args.observers or args.observers < 1:
        parser.error("need at least one observer and one entry per observer")
    if not 0 <= args.resend <= 1:
        parser.error("--resend is a share between 0 and 1")
    return args


def site_env(args: argparse.Namespace) -> dict[str, str]:
    """The environment of the migration, the data load and gunicorn: production settings."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"{args.admin_url.rstrip('/')}/{args.db_name}",
        "OPENDOORS_DEBUG": "false",
        "OPENDOORS_SECRET_KEY": secrets.token_urlsafe(50),
        "OPENDOORS_ALLOWED_HOSTS": HOST,
        "OPENDOORS_SSL_REDIRECT": "false",  # plain http on 127.0.0.1: no TLS proxy in front
        "OPENDOORS_DB_CONN_MAX_AGE": str(args.conn_max_age),
        "OPENDOORS_LOG_LEVEL": "WARNING",
        # Production refuses to start without collected static files (opendoors/checks.py).
        "OPENDOORS_STATIC_ROOT": str(OUT / "static"),
    }


# ---------------------------------------------------------------- the database


def database_recreate(admin_url: str, name: str) -> None:
    database_drop(admin_url, name)
    with psycopg.connect(f"{admin_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(admin_url: str, name: str) -> None:
    """Drop the bench database, closing whatever is still connected to it."""
    with psycopg.connect(f"{admin_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def migrate(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [str(BIN / "opendoors"), *command], env=env, cwd=ROOT, check=True, timeout=600
        )


def django_setup(env: dict[str, str]) -> None:
    """Django in this process, on the bench database, to build the data and count it after."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def django_disconnect() -> None:
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()


# ---------------------------------------------------------------- the learning walk


@dataclass
class Walk:
    visit: int
    classrooms: list[int]
    look_fors: list[int]
    observers: list[int]


def walk_build(observers: int, classrooms: int) -> Walk:
    """A learning walk through `classrooms` Monday-period-1 classes by `observers` observers,
    built as the tests build one (visits/tests/test_debrief.py: big_round)."""
    from inquiry.services import cycle_start, look_for_add, participants_set
    from inquiry.tests.factories import next_weekday
    from schools.models import Meeting
    from schools.tests.factories import HEADER_ROW, make_person, make_schedule, make_school
    from visits.rules import ObserverPlan, VisitPlan
    from visits.services import visit_schedule

    school = make_school("benchwood")
    coach = make_person("coach", school, "coach", "facilitator")
    hosts = [make_person(f"host{i:02d}", school, "teacher") for i in range(classrooms)]
    watchers = [make_person(f"observer{i:02d}", school, "teacher") for i in range(observers)]
    rows = "".join(f"host{i:02d},,Mon,1,S{i},,,,\n" for i in range(classrooms))
    make_schedule(school, HEADER_ROW + rows + "observer00,,Mon,2,X,,,,\n")
    cycle = cycle_start(school=school, structure="walk", title="Bench walk", by=coach)
    look_fors = [
        look_for_add(cycle=cycle, text=f"Students explain idea {i}", kind="oral") for i in range(4)
    ]
    participants_set(cycle=cycle, observers=watchers, hosts=hosts, facilitators=[coach])
    lessons = {m.teacher_id: m for m in Meeting.objects.filter(slot__period__label="1")}
    visit = visit_schedule(
        cycle=cycle,
        plan=VisitPlan(
            date=next_weekday(0),
            slot=lessons[hosts[0].pk].slot,
            classrooms=[(h, lessons[h.pk].section) for h in hosts],
            observers=[ObserverPlan(o) for o in watchers],
        ),
        notify=False,
    )
    return Walk(
        visit=visit.pk,
        classrooms=[room.pk for room in visit.classrooms.order_by("pk")],
        look_fors=[lf.pk for lf in look_fors],
        observers=[w.pk for w in watchers],
    )


def session_for(person_id: int) -> str:
    """A signed-in session in the database store, as django.contrib.auth.login makes one."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from schools.models import Person

    person = Person.objects.get(pk=person_id)
    store = SessionStore()
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    store.create()
    return store.session_key


# ---------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_start(env, port: int, workers: int, threads: int, log_path: Path):
    command = [
        str(BIN / "gunicorn"),
        "opendoors.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        f"--threads={threads}",  # gunicorn uses the gthread worker when threads > 1
        f"--chdir={ROOT}",
        "--timeout=120",
        "--graceful-timeout=5",
        "--no-control-socket",  # its default path is shared by every gunicorn of this user
    ]
    log = log_path.open("w")
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def gunicorn_wait(process, url: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}: see the log")
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} in {STARTUP_SECONDS} s")


def gunicorn_stop(process) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


# ---------------------------------------------------------------- clients and entries


def client_for(session_key: str) -> requests.Session:
    """An observer's phone: its session cookie, and a CSRF cookie with the matching header."""
    token = secrets.token_hex(16)  # 32 letters and digits: an unmasked CSRF secret
    client = requests.Session()
    client.cookies.set("sessionid", session_key, domain=HOST, path="/")
    client.cookies.set("csrftoken", token, domain=HOST, path="/")
    client.headers["X-CSRFToken"] = token
    return client


def entry_make(n: int, walk: Walk, start: datetime) -> dict:
    """The n-th entry of the walk, in the JSON a phone sends; its content is unique."""
    kind = KINDS[n % len(KINDS)]
    entry = {
        "id": str(uuid.uuid4()),
        "classroom": walk.classrooms[n % len(walk.classrooms)],
        "kind": kind,
        "recorded_at": (start + timedelta(milliseconds=n)).isoformat(),
    }
    if kind == "look_for":
        entry["look_for"] = walk.look_fors[n % len(walk.look_fors)]
    elif kind == "tally":
        entry["label"] = TALLY_LABELS[n % len(TALLY_LABELS)]
    elif kind == "talk_time":
        entry |= {"teacher_talk_seconds": 90, "student_talk_seconds": 150, "silence_seconds": 20}
    else:
        entry["text"] = f"Entry {n}: “I think 3/4 is bigger because the pieces are bigger.”"
    return entry


@dataclass
class Send:
    """One request of the plan: entries and what each must be answered."""

    entries: list[dict]
    expected: str  # "stored" or "duplicate"


def plans_make(args, walk: Walk, rng: random.Random) -> tuple[list[list[Send]], list[dict]]:
    """Each observer's requests, in order: their share of the entries, then their resends."""
    start = datetime.now(UTC) - timedelta(minutes=10)
    entries = [entry_make(n, walk, start) for n in range(args.entries)]
    shares = [entries[i :: args.observers] for i in range(args.observers)]
    for observer, share in zip(walk.observers, shares, strict=True):
        for entry in share:
            entry["author"] = observer  # each entry names who captured it, as a phone does
    resent = set(rng.sample(range(args.entries), round(args.entries * args.resend)))
    plans = []
    for i, share in enumerate(shares):
        again = [e for n, e in enumerate(entries) if n % args.observers == i and n in resent]
        plans.append(batches(share, args.batch, "stored") + batches(again, args.batch, "duplicate"))
    return plans, entries


def batches(entries: list[dict], size: int, expected: str) -> list[Send]:
    return [Send(entries[i : i + size], expected) for i in range(0, len(entries), size)]


# ---------------------------------------------------------------- CPU use (Linux /proc)

TICK = os.sysconf("SC_CLK_TCK")


def postmaster_pid(admin_url: str) -> int | None:
    """PostgreSQL's main process, when it runs on this machine where /proc shows it."""
    with psycopg.connect(f"{admin_url.rstrip('/')}/postgres") as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        fields = _proc_stat(backend)  # while the backend lives: its parent is the postmaster
    return int(fields[1]) if fields else None


def _proc_stat(pid) -> list[str] | None:
    """/proc/PID/stat from the state on: [state, ppid, …, utime, stime, cutime, cstime, …]."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def cpu_snapshot(roots: dict[str, int | None]) -> dict[str, float]:
    """CPU seconds so far of each root process with its children, living or finished
    (gunicorn's workers, PostgreSQL's backends); of this process (the clients); and of the
    whole machine (every process, ours or not)."""
    used = dict.fromkeys(roots, 0.0)
    wanted = {str(pid): name for name, pid in roots.items() if pid}
    for proc in Path("/proc").iterdir():
        fields = _proc_stat(proc.name) if proc.name.isdigit() else None
        if not fields:
            continue
        name = wanted.get(proc.name) or wanted.get(fields[1])
        if name:
            used[name] += sum(int(v) for v in fields[11:15]) / TICK
    times = os.times()
    used["client"] = times.user + times.system
    cpu = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    used["machine"] = (cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6]) / TICK  # all but idle
    return used


# ---------------------------------------------------------------- the load


@dataclass
class Result:
    seconds: float
    status: int  # HTTP status; 0 when the request failed
    send: Send
    body: dict | None = None


@dataclass
class Run:
    wall_seconds: float
    cpu_seconds: dict[str, float]  # gunicorn, postgres, client, machine
    results: list[Result] = field(default_factory=list)


def runs_pooled(first: Run, second: Run) -> Run:
    cpu = {name: first.cpu_seconds[name] + second.cpu_seconds[name] for name in first.cpu_seconds}
    return Run(first.wall_seconds + second.wall_seconds, cpu, first.results + second.results)


def load_run(clients: list[requests.Session], plans: list[list[Send]], call, roots) -> Run:
    """Every client sends its plan, one request after another, all clients starting together.
    `call(client, send)` makes one request and returns the response."""
    start = threading.Barrier(len(clients) + 1)
    per_client: list[list[Result]] = [[] for _ in clients]

    def work(client, plan, out):
        start.wait()
        for send in plan:
            began = time.perf_counter()
            try:
                response = call(client, send)
            except requests.RequestException:
                out.append(Result(time.perf_counter() - began, 0, send))
                continue
            seconds = time.perf_counter() - began
            json_body = "json" in response.headers.get("Content-Type", "")
            body = response.json() if response.status_code == 200 and json_body else None
            out.append(Result(seconds, response.status_code, send, body))

    threads = [
        threading.Thread(target=work, args=(c, p, o), daemon=True)
        for c, p, o in zip(clients, plans, per_client, strict=True)
    ]
    for thread in threads:
        thread.start()
    cpu_before = cpu_snapshot(roots)
    start.wait()
    began = time.perf_counter()
    deadline = began + LOAD_SECONDS
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.perf_counter()))
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError(f"the load did not finish in {LOAD_SECONDS} s")
    wall = time.perf_counter() - began
    cpu_after = cpu_snapshot(roots)
    cpu = {name: cpu_after[name] - cpu_before[name] for name in cpu_before}
    return Run(wall, cpu, [result for out in per_client for result in out])


def bare_call(base: str):
    return lambda client, send: client.get(f"{base}/bench/bare/", timeout=REQUEST_TIMEOUT)


def sync_call(base: str, visit: int):
    url = f"{base}/api/visits/{visit}/evidence"
    return lambda client, send: client.post(
        url, json={"entries": send.entries}, timeout=REQUEST_TIMEOUT
    )


def warm_up(clients, base: str, visit: int) -> None:
    """Load each worker's URLconf and API before timing; fail early if sign-in or CSRF fail."""
    for client in clients:
        bare = client.get(f"{base}/bench/bare/", timeout=REQUEST_TIMEOUT)
        empty = client.post(
            f"{base}/api/visits/{visit}/evidence", json={"entries": []}, timeout=REQUEST_TIMEOUT
        )
        if bare.status_code != 200 or empty.status_code != 200:
            raise RuntimeError(
                f"warm-up failed: bare {bare.status_code}, sync {empty.status_code} "
                f"{empty.text[:200]}"
            )


# ---------------------------------------------------------------- figures


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def figures(run: Run) -> dict:
    ms = [r.seconds * 1000 for r in run.results]
    entries = sum(len(r.send.entries) for r in run.results)
    return {
        "requests": len(run.results),
        "entries": entries,
        "failed_requests": sum(1 for r in run.results if r.status != 200),
        "seconds": round(run.wall_seconds, 3),
        "requests_per_s": round(len(run.results) / run.wall_seconds, 1),
        "entries_per_s": round(entries / run.wall_seconds, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1),
        **cpu_figures(run),
    }


def cpu_figures(run: Run) -> dict:
    """CPU milliseconds per request of the server, PostgreSQL and the clients; and the share of
    the machine that other processes took meanwhile: the noise."""
    spent = run.cpu_seconds
    ours = spent["gunicorn"] + spent["postgres"] + spent["client"]
    capacity = run.wall_seconds * (os.cpu_count() or 1)
    return {
        **{
            f"{name}_cpu_ms_per_request": round(spent[name] * 1000 / len(run.results), 2)
            for name in ("gunicorn", "postgres", "client")
        },
        "other_processes_share": round(max(0.0, spent["machine"] - ours) / capacity, 2),
    }


def outcomes_check(run: Run) -> dict:
    """How the server answered each entry, against what it should have answered."""
    counts = {"stored": 0, "duplicate": 0, "unexpected": 0}
    examples = []
    for result in run.results:
        answers = {o["id"]: o["status"] for o in (result.body or {}).get("results", [])}
        for entry in result.send.entries:
            status = answers.get(entry["id"], f"no answer (HTTP {result.status})")
            if status == result.send.expected:
                counts[status] += 1
            else:
                counts["unexpected"] += 1
                if len(examples) < 5:
                    examples.append(f"{entry['id']}: {status}, not {result.send.expected}")
    return {**counts, "unexpected_examples": examples}


def database_check(visit: int, entries: list[dict]) -> dict:
    """Lost: sent ids with no row. Duplicated: rows beyond one per sent entry (the same
    content stored twice, or rows no one sent)."""
    from visits.models import Evidence

    rows = list(Evidence.objects.filter(classroom__visit_id=visit).values_list("id", "fingerprint"))
    stored_ids = {str(row_id) for row_id, _ in rows}
    sent_ids = {e["id"] for e in entries}
    same_content_twice = len(rows) - len({fp for _, fp in rows})
    not_sent = len(stored_ids - sent_ids)
    return {
        "rows": len(rows),
        "sent": len(sent_ids),
        "lost": len(sent_ids - stored_ids),
        "duplicated": (len(rows) - len(stored_ids)) + same_content_twice + not_sent,
    }


def report(args, baseline: dict, sync: dict, answers: dict, stored: dict) -> dict:
    server = (
        f"{args.workers} sync workers"
        if args.threads == 1
        else f"{args.workers} workers × {args.threads} threads"
    )
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "config": {
            "entries": args.entries,
            "observers": args.observers,
            "classrooms": args.classrooms,
            "batch": args.batch,
            "resend": args.resend,
            "gunicorn": server,
            "conn_max_age": args.conn_max_age,
        },
        "baseline": baseline,
        "sync": sync,
        "ratios": {
            "p95_sync_over_baseline": round(sync["p95_ms"] / baseline["p95_ms"], 2),
            "rps_sync_over_baseline": round(sync["requests_per_s"] / baseline["requests_per_s"], 3),
        },
        "answers": answers,
        "database": stored,
    }


def table_print(numbers: dict) -> None:
    config, base, sync = numbers["config"], numbers["baseline"], numbers["sync"]
    answers, stored, ratios = numbers["answers"], numbers["database"], numbers["ratios"]
    print()
    print(
        f"{config['observers']} observers, {sync['entries']} entries sent "
        f"({answers['duplicate']} of them a second time), {config['batch']} per request; "
        f"gunicorn {config['gunicorn']}, CONN_MAX_AGE {config['conn_max_age']}, "
        f"{numbers['machine']['cpus']} CPUs"
    )
    rows = [
        HEADINGS,
        _row("bare view (baseline)", base, entries=False),  # before + after the sync
        _row("sync API", sync, entries=True),
    ]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(cell).rjust(w) for cell, w in zip(row, widths, strict=True)))
    print(
        f"sync / baseline: p95 ×{ratios['p95_sync_over_baseline']}, "
        f"throughput ×{ratios['rps_sync_over_baseline']} (requests per second)"
    )
    print(
        f"answers: {answers['stored']} stored, {answers['duplicate']} duplicate, "
        f"{answers['unexpected']} unexpected; failed requests: {sync['failed_requests']}"
    )
    print(
        f"database: {stored['rows']} rows for {stored['sent']} entries sent; "
        f"lost {stored['lost']}, duplicated {stored['duplicated']}"
    )
    for example in answers["unexpected_examples"]:
        print(f"  unexpected: {example}")
    busiest = max(base["other_processes_share"], sync["other_processes_share"])
    if busiest > NOISY:
        print(f"note: other processes took up to {busiest:.0%} of the machine: run it again")


HEADINGS = (
    *("", "requests", "req/s", "entries/s", "p50 ms", "p95 ms", "max ms"),
    *("CPU ms/req: gunicorn", "postgres", "client", "others' share"),
)


def _row(name: str, f: dict, *, entries: bool) -> tuple:
    return (
        name,
        f["requests"],
        f["requests_per_s"],
        f["entries_per_s"] if entries else "–",
        f["p50_ms"],
        f["p95_ms"],
        f["max_ms"],
        f["gunicorn_cpu_ms_per_request"],
        f["postgres_cpu_ms_per_request"],
        f["client_cpu_ms_per_request"],
        f"{f['other_processes_share']:.0%}",
    )


def passed(numbers: dict) -> bool:
    stored, answers = numbers["database"], numbers["answers"]
    failed = numbers["sync"]["failed_requests"] + numbers["baseline"]["failed_requests"]
    return stored["lost"] == stored["duplicated"] == answers["unexpected"] == failed == 0


# ---------------------------------------------------------------- main


def bench(args, env: dict[str, str]) -> dict:
    """Everything between creating the database and dropping it."""
    migrate(env)
    django_setup(env)
    walk = walk_build(args.observers, args.classrooms)
    sessions = [session_for(person) for person in walk.observers]
    django_disconnect()  # the server takes over; counting reconnects at the end

    port = free_port()
    base = f"http://{HOST}:{port}"
    OUT.mkdir(exist_ok=True)
    server = gunicorn_start(env, port, args.workers, args.threads, OUT / "sync_gunicorn.log")
    try:
        gunicorn_wait(server, f"{base}/bench/bare/")
        clients = [client_for(key) for key in sessions]
        warm_up(clients, base, walk.visit)
        plans, entries = plans_make(args, walk, random.Random(args.seed))
        roots = {"gunicorn": server.pid, "postgres": postmaster_pid(args.admin_url)}
        before = load_run(clients, plans, bare_call(base), roots)
        sync = load_run(clients, plans, sync_call(base, walk.visit), roots)
        after = load_run(clients, plans, bare_call(base), roots)
        for client in clients:
            client.close()
    finally:
        gunicorn_stop(server)
    numbers = report(
        args,
        figures(runs_pooled(before, after)),
        figures(sync),
        outcomes_check(sync),
        database_check(walk.visit, entries),
    )
    django_disconnect()
    return numbers


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = site_env(args)
    database_recreate(args.admin_url, args.db_name)
    try:
        numbers = bench(args, env)
    finally:
        django_disconnect()
        database_drop(args.admin_url, args.db_name)
    table_print(numbers)
    (OUT / "sync.json").write_text(json.dumps(numbers, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {(OUT / 'sync.json').relative_to(ROOT)}")
    return 0 if passed(numbers) else 1


if __name__ == "__main__":
    sys.exit(main())
