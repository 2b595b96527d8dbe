"""`opendoors import-oneroster DIR_OR_ZIP --school SLUG [--org SOURCEDID] [--days Mon,Tue]`:
a bulk export, or a delta export merged onto the school's stored schedule."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from rosters.oneroster import read_oneroster
from rosters.schedule_data import ProgressCallback, ScheduleData
from schools.models import School
from schools.selectors import schedule_data_stored

from ._import import ImportCommand


class Command(ImportCommand):
    help = "Import teachers and classes from a OneRoster 1.1 or 1.2 CSV export (folder or ZIP)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--org",
            default="",
            help="the org sourcedId whose classes are the school's: needed when the export "
            "has several schools, or none of type school (any org: a department, a district)",
        )
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
        # A delta export is merged onto what the school stores now.
        school = School.objects.filter(slug=options["school"]).first()
        return read_oneroster(
            path,
            org=options["org"],
            days=days,
            on_progress=on_progress,
            stored=lambda: schedule_data_stored(school) if school else None,
        )
