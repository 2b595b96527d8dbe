"""What the two import commands share: a progress bar, the preview, all-or-nothing apply.

The preview is printed before anything is written. An import that removes more than
`REMOVAL_SHARE` of the schedule stops there unless `--allow-removals` is given; one that
removes what visits use always stops. Either way the command exits non-zero with one line.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from rosters.schedule_data import ProgressCallback, ScheduleData, ScheduleFileError
from schools.models import School
from schools.schedule_diff import REMOVAL_SHARE
from schools.services import (
    ScheduleRefused,
    schedule_import,
    schedule_preview,
    schedule_refusal,
)


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="school slug (created when new)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change, change nothing"
        )
        parser.add_argument(
            "--allow-removals",
            action="store_true",
            help=f"apply even when more than {REMOVAL_SHARE * 100:.0f}%% of the meetings or "
            "sections would be removed (check the file is complete first)",
        )

    def read(self, options: dict[str, Any], on_progress: ProgressCallback) -> ScheduleData:
        raise NotImplementedError

    def handle(self, *args, **options):
        with tqdm(
            total=1, unit="row", desc="Reading", disable=True if options["verbosity"] < 1 else None
        ) as bar:

            def on_progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            try:
                data = self.read(options, on_progress)
            except ScheduleFileError as error:
                raise CommandError("nothing was imported:\n" + str(error)) from None
        for warning in data.warnings:
            self.stderr.write(f"warning: {warning}")
        for note in data.notes:
            self.stdout.write(f"note: {note}")
        slug = options["school"]
        # Only read here: the school is created when the import applies, not before.
        preview = schedule_preview(school=School.objects.filter(slug=slug).first(), data=data)
        self.stdout.write(f"{data.source}: found {data.summary()}")
        self.stdout.write(f"would change: {preview.one_line()}")
        for line in _removed(preview):
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("dry run: nothing saved")
            return
        refusal = schedule_refusal(preview=preview, allow_removals=options["allow_removals"])
        if refusal:
            raise CommandError(_refused(refusal, preview))
        try:
            school, applied = schedule_import(
                slug=slug, data=data, allow_removals=options["allow_removals"]
            )
        except ScheduleRefused as refused:  # the school changed since the preview
            raise CommandError(_refused(refused.reason, preview)) from None
        self.stdout.write(f"{school.slug}: {applied.one_line()}")


def _removed(preview) -> list[str]:
    lines = []
    if preview.teachers.removed:
        lines.append("teachers losing their meetings: " + ", ".join(preview.teachers.removed))
    if preview.teachers_deactivated:
        lines.append(
            "will be deactivated (no longer in the export): "
            + ", ".join(preview.teachers_deactivated)
        )
    if preview.teachers_kept:
        lines.append("kept, losing only their meetings: " + "; ".join(preview.teachers_kept))
    for name in preview.teachers_inactive:
        lines.append(
            f"{name} is in the export but deactivated; reactivate them on the People page "
            "if they are back"
        )
    if preview.sections.removed:
        lines.append("sections removed: " + ", ".join(preview.sections.removed))
    if preview.days_removed or preview.periods_removed:
        lines.append(
            "days and periods removed: "
            + ", ".join(preview.days_removed + [f"period {p}" for p in preview.periods_removed])
        )
    return lines


def _refused(reason: str, preview) -> str:
    hint = "" if preview.blocking_visits else " with --allow-removals"
    return f"nothing was imported: {reason}{hint}"
