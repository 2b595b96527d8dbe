"""Background work on schedule imports, run by `opendoors db_worker`.

Each task is the worker's handle on one step of the import's status machine, which lives in
`services.py` (reading, applying, attempts, failures); services queue these tasks by name
through `opendoors.tasks.enqueue`.
"""

from django_tasks import task

from .services import import_apply_attempt, import_read_attempt


@task()
def import_read(import_id: int, attempt: int = 0) -> None:
    import_read_attempt(import_id=import_id, attempt=attempt)


@task()
def import_apply(import_id: int, attempt: int = 0) -> None:
    import_apply_attempt(import_id=import_id, attempt=attempt)
