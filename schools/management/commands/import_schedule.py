"""`opendoors import-schedule FILE.csv --school SLUG [--bell bell.csv]`."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from rosters.schedule_csv import read_schedule_csv
from rosters.schedule_data import ProgressCallback, ScheduleData

from ._import import ImportCommand


class Command(ImportCommand):
    help = "Import a master-schedule CSV (FORMATS.md §1); a bell.csv beside it is read too."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--bell", type=Path, help="bell schedule (default: bell.csv beside)")
        super().add_arguments(parser)

    def read(self, options: dict[str, Any], on_progress: ProgressCallback) -> ScheduleData:
        path: Path = options["file"]
        bell: Path | None = options["bell"]
        if bell is None:
            beside = path.with_name("bell.csv")
            bell = beside if beside.exists() else None
        try:
            data = path.read_bytes()
            bell_data = bell.read_bytes() if bell else None
        except OSError as error:
            raise CommandError(f"{error.filename}: {error.strerror}") from None
        return read_schedule_csv(
            data,
            path.name,
            bell=bell_data,
            bell_filename=bell.name if bell else "bell.csv",
            on_progress=on_progress,
        )
