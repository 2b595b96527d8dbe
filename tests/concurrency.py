"""Two people click at once, in tests: each call in its own thread and database connection,
started together by a barrier. In-memory SQLite cannot share one test database between
threads' connections, so the tests that use this run on PostgreSQL only (`postgresql_only`)."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections


def postgresql_only() -> None:
    """Skip the calling test on SQLite."""
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite cannot share a test database between threads")


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at the same moment, each in its own thread and connection; return what
    each returned, or the exception it raised."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> object:
        try:
            start.wait()
            return call()
        except Exception as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))
