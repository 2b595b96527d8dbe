"""`opendoors import-oneroster DIR_OR_ZIP --school SLUG [--org SOURCEDID] [--days Mon,Tue]`."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from rosters.oneroster import read_oneroster
from rosters.schedule_data import ProgressCallback, ScheduleData

from ._import import ImportCommand


class Command(ImportCommand):
    help = "Import teachers and classes from a OneRoster 1.1 or 1.2 CSV export (folder or ZIP)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--org", default="", help="the school's org sourcedId in the export")
        parser.add_argument(
            "--days",
            default="",
            help="comma-separated days on which classes meet (default Mon,Tue,Wed,Thu,Fri)",
        )
        super().add_arguments(parser)

    def read(self, options: dict[str, Any], on_progress: ProgressCallback) -> ScheduleData:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder")
        days = [d.strip() for d in options["days"].split(",") if d.strip()] or None
        return read_oneroster(path, org=options["org"], days=days, on_progress=on_progress)
