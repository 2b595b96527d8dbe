"""The task worker of the tests: `opendoors db_worker`'s own loop, run in the test's process."""

from django_tasks_db.management.commands.db_worker import Worker


def database_worker(worker_id: str, *, interval: float = 0) -> Worker:
    """A worker that runs every ready task, then returns (batch mode). The loop only: the
    command itself would install its signal handlers in pytest's process (a later Ctrl+C or
    SIGTERM would then end the run as if it were the worker's), and only the main thread may
    install them at all."""
    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
    )
