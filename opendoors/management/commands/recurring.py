"""`opendoors recurring`: queue the first run of every task that runs on a clock (nightly
retention, the weekly celebrations digest) for `opendoors db_worker`. Run it once after the
first deploy; run again, it queues nothing that is already waiting."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from opendoors.recurring import recurring_start


class Command(BaseCommand):
    help = "Queue the first run of each recurring background task (once is enough)."

    def handle(self, *args: Any, **options: Any) -> None:
        for task, queued in recurring_start(now=timezone.now()):
            name = task.task_path.rsplit(".", 1)[-1].replace("_", " ")
            self.stdout.write(
                f"Queued {name}: {task.when}." if queued else f"{name}: already queued."
            )
