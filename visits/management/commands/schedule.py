"""`opendoors schedule PROBLEM.json -o PLAN.json [--time-limit SECONDS]` (FORMATS.md §3)."""

from time import perf_counter

from django.core.management.base import BaseCommand, CommandError

from scheduler.cli import add_arguments, process_age, run
from scheduler.problem import ProblemError


class Command(BaseCommand):
    help = "Plan classroom visits into the master schedule: a problem JSON in, a plan JSON out."
    requires_system_checks: list[str] = []  # the solver reads no model: checks only take time
    started: float | None = None  # when the process started, when it is the program

    def run_from_argv(self, argv):
        # Run as the program (`opendoors schedule`, not call_command): Python's and Django's
        # start-up are part of the command's time limit.
        self.started = perf_counter() - process_age()
        super().run_from_argv(argv)

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
                spent=0.0 if self.started is None else perf_counter() - self.started,
            )
        except ProblemError as error:
            raise CommandError(f"{options['problem']}: nothing was scheduled:\n{error}") from None
