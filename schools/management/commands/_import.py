"""What the two import commands share: a progress bar, the summary, all-or-nothing apply."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from schools.importers.schedule_data import ScheduleData, ScheduleFileError
from schools.services import schedule_apply, schedule_preview, school_get_or_create


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="school slug (created when new)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change, change nothing"
        )

    def read(self, options, on_progress) -> ScheduleData:
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
        school = school_get_or_create(slug=options["school"])
        if options["dry_run"]:
            preview = schedule_preview(school=school, data=data)
            self.stdout.write(f"{data.source}: found {data.summary()}")
            self.stdout.write(f"would change: {preview.one_line()} (dry run: nothing saved)")
            return
        applied = schedule_apply(school=school, data=data)
        self.stdout.write(f"{data.source}: found {data.summary()}")
        self.stdout.write(f"{school.slug}: {applied.one_line()}")
