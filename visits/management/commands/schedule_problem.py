"""`opendoors schedule-problem --school SLUG --cycle ID [--week YYYY-MM-DD] [-o FILE]`:
the FORMATS.md §3 problem that "Propose a schedule" would solve."""

import json
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

import scheduler
from inquiry.models import Cycle
from visits.scheduling import NotSchedulable, cycle_problem


class Command(BaseCommand):
    help = "Write the scheduling problem of a cycle's week as JSON (FORMATS.md §3)."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True)
        parser.add_argument("--cycle", required=True, type=int)
        parser.add_argument("--week", type=date.fromisoformat, help="any day of the week")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        cycle = Cycle.objects.filter(pk=options["cycle"], school__slug=options["school"]).first()
        if cycle is None:
            raise CommandError(f"no cycle {options['cycle']} at school “{options['school']}”")
        day = options["week"] or timezone.localdate()
        try:
            problem = cycle_problem(cycle, monday=day - timedelta(days=day.weekday()))
        except NotSchedulable as error:
            raise CommandError(str(error)) from None
        text = json.dumps(scheduler.problem_to_json(problem), indent=2, ensure_ascii=False)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as file:
                file.write(text + "\n")
            self.stdout.write(
                f"{options['output']}: {len(problem.teachers)} teachers, "
                f"{len(problem.requests)} requests"
            )
        else:
            self.stdout.write(text)
