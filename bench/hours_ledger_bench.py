"""The district's hours-ledger export streams with flat memory: 3,000 people × 200 entries
against 300 entries, in the same process.

    .venv/bin/python bench/hours_ledger_bench.py                       # 3,000 × 200
    .venv/bin/python bench/hours_ledger_bench.py --people 300 --per-person 50

Builds a throwaway SQLite database (a temporary file, migrated, filled with `bulk_create`),
then writes the export three times as the page and the command do (`growth.ledger.export_rows`
through `rosters.csvfiles.write_rows`, one line at a time, read from the database in chunks):
first 300 entries, 10,000, then all of them. `tracemalloc` measures the Python memory held at the
peak of each export (the lines are counted and dropped, as a streaming response sends
them). Prints each export's rows, seconds and peak. Up to one chunk of rows
(`growth.ledger.EXPORT_CHUNK`, 2,000) the peak grows with the rows read at once; past it,
memory is flat: the peak of the whole export over that of 10,000 entries stays near 1 (the
exit status is 1 above 1.5). The ratio against 300 entries is printed too.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

DB = Path(tempfile.mkdtemp(prefix="hours-bench-")) / "bench.sqlite3"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opendoors.settings")
os.environ.setdefault("OPENDOORS_DEBUG", "true")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402

from growth.ledger import export_rows, ledger_for_export  # noqa: E402
from growth.models import LedgerEntry  # noqa: E402
from rosters.csvfiles import write_rows  # noqa: E402
from schools.models import District, Person, School, SourceId  # noqa: E402

ACTIVITIES = ["observed", "hosted", "pre_brief", "debrief", "follow_up", "plc_meeting"]
START = date(2026, 8, 1)
# Past one chunk of rows (growth.ledger.EXPORT_CHUNK) the peak must stay where it is.
MIDDLE = 10_000
LIMIT = 1.5


def fill(people: int, per_person: int) -> District:
    district = District.objects.create(name="Bench", slug="bench")
    school = School.objects.create(district=district, name="Bench School", slug="bench-school")
    staff = Person.objects.bulk_create(
        Person(username=f"t{i:05d}", first_name="Teacher", last_name=f"{i}", email=f"t{i}@x.org")
        for i in range(people)
    )
    SourceId.objects.bulk_create(
        SourceId(school=school, person=p, value=f"T-{i:05d}") for i, p in enumerate(staff)
    )
    batch: list[LedgerEntry] = []
    for p in staff:
        for j in range(per_person):
            minutes = 15 + (j * 7) % 90
            batch.append(
                LedgerEntry(
                    person=p,
                    district=district,
                    school=school,
                    date=START + timedelta(days=j % 300),
                    activity=ACTIVITIES[j % len(ACTIVITIES)],
                    title="Round: how students explain their reasoning",
                    minutes=minutes,
                    status="verified",
                    source=f"bench:{j}",
                    credits=(Decimal(minutes) / 60).quantize(Decimal("0.01")),
                    credit_unit="clock_hours",
                    designations=["Equity hours"] if j % 3 == 0 else [],
                )
            )
        if len(batch) >= 20_000:
            LedgerEntry.objects.bulk_create(batch, batch_size=2_000)
            batch = []
    LedgerEntry.objects.bulk_create(batch, batch_size=2_000)
    return district


def export(entries) -> tuple[int, float, int]:
    """Rows written, seconds, and the peak of Python memory while writing them."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    rows = 0
    for _line in write_rows(export_rows(entries)):
        rows += 1
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows - 1, seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3_000)
    parser.add_argument("--per-person", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    district = fill(args.people, args.per_person)
    print(
        f"filled {args.people * args.per_person:,} entries in {time.perf_counter() - started:.0f} s"
    )
    everything = ledger_for_export(district, None, None)
    ordered = list(everything.order_by("pk").values_list("pk", flat=True)[:MIDDLE])
    small = everything.filter(pk__lte=ordered[299])
    middle = everything.filter(pk__lte=ordered[-1])
    export(small)  # warm-up: imports, the connection
    results = {"300": export(small), f"{len(ordered):,}": export(middle), "all": export(everything)}
    for name, (rows, seconds, peak) in results.items():
        print(f"{name:>7} entries: {rows:>9,} rows  {seconds:7.2f} s  peak {peak / 1024:8.0f} KiB")
    peak = results["all"][2]
    print(f"peak memory, all ÷ 300: {peak / results['300'][2]:.2f}")
    flat = peak / results[f"{len(ordered):,}"][2]
    print(f"peak memory, all ÷ {len(ordered):,}: {flat:.2f}")
    DB.unlink(missing_ok=True)
    return 0 if flat <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
