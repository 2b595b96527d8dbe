"""`opendoors hours-ledger --district SLUG [--from DATE] [--to DATE] -o FILE.csv`: the
district's hours ledger (FORMATS.md §4) for posting into HR or licensing systems; the entries
written are posted (their credits no longer follow rule changes).

`--refresh` first counts every event of the district (or those from `--from` on) in the
ledger, as the nightly task does for recent events (`opendoors recurring` starts it).
"""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from growth.ledger import export_rows, ledger_for_export
from growth.services import ledger_post, ledger_refresh
from rosters.csvfiles import write_rows
from schools.models import District


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"“{value}” is not a date: write it as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = "Write a district's hours ledger as CSV (FORMATS.md §4) and post its entries."

    def add_arguments(self, parser):
        parser.add_argument("--district", help="the district's slug")
        parser.add_argument("--from", dest="start", type=_date, help="first date (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", type=_date, help="last date (YYYY-MM-DD)")
        parser.add_argument("-o", "--output", type=Path, help="the CSV file to write")
        parser.add_argument(
            "--refresh", action="store_true", help="count the district's events in it first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["district"]:
            raise CommandError("Name the district: --district SLUG.")
        district = District.objects.filter(slug=options["district"]).first()
        if district is None:
            raise CommandError(f"No district “{options['district']}”.")
        start, end = options["start"], options["end"]
        if start and end and end < start:
            raise CommandError(f"The range ends ({end}) before it starts ({start}).")
        if options["refresh"]:
            done = ledger_refresh(district=district, since=start)
            self.stdout.write(
                f"Refreshed: {done.added} added, {done.corrected} corrected, {done.removed} "
                f"taken away; {len(done.posted_kept)} posted entries no longer match their event."
            )
            for note in done.posted_kept:
                self.stdout.write(f"  posted, kept as exported: {note}")
        if options["output"] is None:
            if not options["refresh"]:
                raise CommandError("Name the file to write: -o FILE.csv.")
            return
        entries = ledger_for_export(district, start, end)
        posted = ledger_post(district=district, entries=entries)
        rows = 0
        with options["output"].open("w", encoding="utf-8", newline="") as out:
            for line in write_rows(export_rows(entries)):
                out.write(line)
                rows += 1
        self.stdout.write(
            f"Wrote {rows - 1} entries to {options['output']} ({posted} posted for the first time)."
        )
