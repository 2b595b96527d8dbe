"""Fixtures for browser tests: Chromium, a fresh page per test, the task worker, sign-in, and
screenshots at phone and laptop size for a reviewer to look at."""

import os
import re
import shutil
import threading
import time
from contextlib import nullcontext
from pathlib import Path

import pytest
from django.db import OperationalError, connection, connections
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect, sync_playwright

from schools.tests.factories import PASSWORD
from tests.tasks import database_worker

from .axe import axe_check

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# For page.evaluate: resolves once a service worker controls the page. (Not
# wait_for_function: the site's Content-Security-Policy refuses the eval it polls with.)
UNDER_SERVICE_WORKER = """() => navigator.serviceWorker.controller ? true : new Promise((resolve) =>
  navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true)))"""


# Package scope, not session: the flag below must not outlive the browser tests, or
# `check --deploy` in opendoors/tests/test_settings.py (run later) fails with async.E001.
@pytest.fixture(scope="package")
def browser():
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop running in this thread until it stops, so
        # Django would refuse the ORM calls of fixtures here (personas, the flush after a test).
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        playwright.stop()


# Reports, as console errors, whatever the Content-Security-Policy blocks (init scripts run
# outside the page's policy).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
  + ` at ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def page(browser):
    """A fresh page; the test fails if the site's security headers blocked anything in it."""
    context = browser.new_context()
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    blocked = []

    def watch(message):
        text = message.text
        if (
            "CSP violation" in text
            or "Content Security Policy" in text
            or "Permissions-Policy" in text
        ):
            blocked.append(f"{page.url}: {text}")

    page.on("console", watch)
    yield page
    context.close()
    assert not blocked, "the security headers blocked:\n" + "\n".join(blocked)


def serialized(app, lock):
    """The live server's WSGI app, answering one request at a time while it holds `lock`."""

    def application(environ, start_response):
        with lock:
            response = app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                if hasattr(response, "close"):
                    response.close()

    return application


@pytest.fixture
def server_turn(live_server):
    """A lock to hold while the test writes to the database with its page open (a page that
    polls, a service worker that fetches): requests are answered only between such writes.

    The live server shares this thread's connection to the in-memory SQLite test database,
    and SQLite refuses to write a table that another statement on the connection is still
    reading ("database table is locked"), whichever thread runs it (Django's documentation
    of LiveServerTestCase warns of the same)."""
    lock = threading.Lock()
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    httpd.set_app(serialized(app, lock))
    yield lock
    httpd.set_app(app)


@pytest.fixture
def server_log(live_server):
    """Every request the live server answers, as "METHOD /path".

    The requests also take turns: the test database is an in-memory SQLite database, which
    refuses concurrent writers at once (see task_worker)."""
    seen = []
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    one_at_a_time = serialized(app, threading.Lock())

    def logged(environ, start_response):
        seen.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}")
        return one_at_a_time(environ, start_response)

    httpd.set_app(logged)
    yield seen
    httpd.set_app(app)


@pytest.fixture
def task_worker(live_server, transactional_db):
    """Run queued tasks in a thread of this process, so they use the live server's test
    database (an in-memory SQLite database is only shared within one process).

    Connections to a shared in-memory database fail at once with "database table is locked"
    (or "database schema is locked") instead of waiting, so the worker, the live server and
    the test's own queries take turns: the worker runs in batch mode (every ready task, then
    return) while holding a lock that each request and each of the test's queries also holds
    (the live server shares the test's connection, so a request's queries take it again).
    """
    lock = threading.RLock()
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    httpd.set_app(serialized(app, lock))

    def take_turn(execute, sql, params, many, context):
        with lock:
            return execute(sql, params, many, context)

    # (PostgreSQL waits for locks instead of refusing, and each thread has its connection:
    # there the test's queries need no turn, and taking one could wait on the worker while
    # the worker waits on a row the test's transaction holds.)
    turns = nullcontext()
    if connection.vendor == "sqlite":
        turns = connection.execute_wrapper(take_turn)
        # The test's own checks (and the live server, which shares this thread's connection)
        # read without taking table read-locks, so a read while the worker writes neither
        # fails with "database table is locked" nor makes the worker's write fail.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")
    worker = database_worker("browser-tests", interval=0.1)
    errors = []

    def run():
        try:
            while worker.running:
                try:
                    with lock:
                        worker.run()
                except OperationalError as error:
                    # The test's own thread was inside a transaction (its statements take
                    # turns, not its transactions): the worker tries again on its next turn.
                    if "locked" not in str(error):
                        raise
                time.sleep(worker.interval)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="task-worker", daemon=True)
    with turns:
        thread.start()
        yield worker
        worker.running = False
        thread.join(timeout=10)
    httpd.set_app(app)
    assert not thread.is_alive(), "the task worker did not stop"
    assert not errors, f"the task worker crashed: {errors!r}"
    failed = [f"{t.task_path}: {t.traceback}" for t in DBTaskResult.objects.failed()]
    assert not failed, "tasks failed:\n" + "\n".join(failed)


def sign_in(page, live_server, username: str) -> None:
    """Sign in through the login form and land on the home page, checking both with axe."""
    page.goto(f"{live_server.url}/accounts/login/")
    axe_check(page)
    page.locator("[name=login]").fill(username)
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    axe_check(page)


# Where `screenshots` writes: test-output/ is not committed (.gitignore). An empty value turns
# screenshots off.
SCREENSHOTS_DIR = os.environ.get(
    "OPENDOORS_SCREENSHOTS_DIR",
    str(Path(__file__).resolve().parents[2] / "test-output/screenshots"),
)
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
NO_PAGE_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def checked_at_both_sizes(page) -> None:
    """axe passes and nothing scrolls sideways, at phone and at laptop size."""
    for size in SIZES.values():
        page.set_viewport_size(size)
        axe_check(page)
        assert page.evaluate(NO_PAGE_SCROLL), f"the page scrolls sideways at {size['width']} px"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "screenshots: writes the README's screenshots; skipped unless OPENDOORS_README_SCREENSHOTS"
        " names their folder",
    )


@pytest.fixture
def screenshots(request):
    """`screenshots(page, "debrief")`: the whole page as it is now, at phone and at laptop size,
    into <dir>/<test name>/<nn>-<step>-<phone|laptop>.png, numbered in the journey's order;
    the page's own size is restored after. About 0.1 s a picture."""
    folder = Path(SCREENSHOTS_DIR) / re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    if SCREENSHOTS_DIR:
        shutil.rmtree(folder, ignore_errors=True)  # only this run's pictures
    taken = []

    def take(page, step: str) -> None:
        if not SCREENSHOTS_DIR:
            return
        taken.append(step)
        own_size = page.viewport_size
        try:
            for size, viewport in SIZES.items():
                page.set_viewport_size(viewport)
                # caret="initial": hiding the caret (the default) injects a <style> element,
                # which the site's Content-Security-Policy refuses (and the test then fails).
                page.screenshot(
                    path=folder / f"{len(taken):02d}-{step}-{size}.png",
                    full_page=True,
                    caret="initial",
                )
        finally:
            if own_size:
                page.set_viewport_size(own_size)

    return take
