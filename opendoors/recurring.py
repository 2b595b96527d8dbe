"""The background tasks that run on a clock: each run queues the next one itself, and
`opendoors recurring` queues the first runs once, after a deploy (and `make demo` each time).

Queuing is idempotent (`opendoors.tasks.enqueue_unless_waiting`): starting them again, or a
run queuing its successor while the command also does, still leaves one run waiting.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from growth.services import DIGEST_TASK, LEDGER_TASK, next_digest_at
from opendoors.tasks import enqueue_unless_waiting
from schools.retention import RETENTION_TASK


@dataclass(frozen=True)
class Recurring:
    task_path: str
    when: str  # in words, for the command's output and the README
    first_run: Callable[[datetime], datetime]


RECURRING = (
    # At once, so a new deploy anonymizes what is already old; then every night at 02:00.
    Recurring(RETENTION_TASK, "now, then every night at 02:00", lambda now: now),
    Recurring(DIGEST_TASK, "every Monday at 07:00", next_digest_at),
    # At once, so visits already past count; then every night at 03:00 (growth.services).
    Recurring(LEDGER_TASK, "now, then every night at 03:00", lambda now: now),
)


def recurring_start(*, now: datetime) -> list[tuple[Recurring, bool]]:
    """Queue each recurring task's first run unless one is waiting; what was queued."""
    return [
        (task, enqueue_unless_waiting(task.task_path, run_after=task.first_run(now)))
        for task in RECURRING
    ]
