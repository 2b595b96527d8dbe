"""Queueing background work from services, without services importing tasks.

A task is thin: it calls a service that does the work. The service that starts the work
must queue the task, and if it imported its app's `tasks.py` the two modules would import
each other. So a service names the task by its import path ("schools.tasks.import_read")
and `enqueue` looks it up: tasks depend on services, services on this module only.
(django-tasks itself records a task by this same path for the worker to find.)

The task is queued when the transaction commits, so a worker never reads a row the request
has not written yet, and nothing is queued for a request that rolled back.
"""

from datetime import datetime

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult


def enqueue(task_path: str, *args: object, run_after: datetime | None = None) -> None:
    """Queue the task at `task_path` with `args` once the current transaction commits (at
    once outside one); with `run_after`, not before that moment."""
    # Looked up now, not at commit: a wrong path fails in the request that wrote it.
    task = import_string(task_path)
    if run_after is not None:
        task = task.using(run_after=run_after)
    transaction.on_commit(lambda: task.enqueue(*args))


def enqueue_unless_waiting(task_path: str, *args: object, run_after: datetime) -> bool:
    """Queue a recurring task's next run unless one is already waiting: a task that queues
    itself again (a daily or weekly job) and a command that starts it can both call this,
    and there is still one next run. Whether it queued one."""
    waiting = DBTaskResult.objects.filter(task_path=task_path, status="READY").exists()
    if not waiting:
        enqueue(task_path, *args, run_after=run_after)
    return not waiting
