"""Background work of schools, run by `opendoors db_worker`: schedule imports and invitations.

Each import task is the worker's handle on one step of the import's status machine, which
lives in `services.py` (reading, applying, attempts, failures); `invitation_send` emails one
invitation (`services.invitation_send`), so that adding or importing people never waits on a
mail server, and `email_changed_notice` tells an old address that a principal changed it;
`retention_daily` makes old evidence anonymous (`retention.py`) every night and queues its
next run. Services queue these tasks by name through `opendoors.tasks.enqueue`.
"""

from django.utils import timezone
from django_tasks import task

from .retention import evidence_retention_everywhere, retention_daily_queue, retention_next_run
from .services import email_changed_notice as email_changed_notice_send
from .services import import_apply_attempt, import_read_attempt
from .services import invitation_send as invitation_email_send


@task()
def import_read(import_id: int, attempt: int = 0) -> None:
    import_read_attempt(import_id=import_id, attempt=attempt)


@task()
def import_apply(import_id: int, attempt: int = 0) -> None:
    import_apply_attempt(import_id=import_id, attempt=attempt)


@task()
def invitation_send(person_id: int, school_id: int) -> bool:
    return invitation_email_send(person_id=person_id, school_id=school_id)


@task()
def email_changed_notice(person_id: int, school_id: int, old: str, actor: str) -> bool:
    return email_changed_notice_send(person_id=person_id, school_id=school_id, old=old, actor=actor)


@task()
def retention_daily() -> int:
    """Tomorrow's run (unless one is already waiting), queued first so that a failure today
    is tried again tomorrow; then retention in every district. How many visits were made
    anonymous."""
    now = timezone.now()
    retention_daily_queue(run_after=retention_next_run(now=now))
    return sum(run.visits for run in evidence_retention_everywhere(now=now))
