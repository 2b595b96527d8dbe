"""`opendoors retention`: make old evidence anonymous in every district now, in this process
(for a cron job), and print what was done in one line. With a worker, `opendoors recurring`
queues the nightly task instead (opendoors/recurring.py).
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from schools.retention import evidence_retention_everywhere


class Command(BaseCommand):
    help = "Make evidence older than each district's identifiable years anonymous."

    def handle(self, *args: Any, **options: Any) -> None:
        runs = evidence_retention_everywhere(now=timezone.now())
        visits, cycles = sum(r.visits for r in runs), sum(r.cycles for r in runs)
        districts = sum(1 for r in runs if r.visits)
        self.stdout.write(
            f"Made anonymous: {visits} visit{'s' if visits != 1 else ''} in {cycles} "
            f"cycle{'s' if cycles != 1 else ''} of {districts} "
            f"district{'s' if districts != 1 else ''}."
        )
