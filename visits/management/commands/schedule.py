"""`opendoors schedule PROBLEM.json -o PLAN.json [--time-limit SECONDS]` (FORMATS.md §3)."""

from django.core.management.base import BaseCommand, CommandError

from scheduler.cli import add_arguments, run
from scheduler.problem import ProblemError


class Command(BaseCommand):
    help = "Plan classroom visits into the master schedule: a problem JSON in, a plan JSON out."

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        try:
            run(
                options["problem"],
                options["output"],
                time_limit=options["time_limit"],
                workers=options["workers"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
        except ProblemError as error:
            raise CommandError(f"{options['problem']}: nothing was scheduled:\n{error}") from None
