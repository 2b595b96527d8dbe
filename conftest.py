"""Test-wide settings: uploads go to a temporary folder, never into the working tree."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _cache_cleared():
    """Each test starts with an empty cache: sign-in throttling counts attempts there, and the
    attempts of earlier tests must not lock out a later test's sign-in (429)."""
    from django.core.cache import cache

    yield
    cache.clear()


class Personas:
    """Everyone a page must answer correctly: see `personas` below."""

    def __init__(self):
        from schools.tests.factories import make_person, make_schedule, make_school

        self.school = make_school("lincoln")
        self.other_school = make_school("roosevelt")
        self.teacher = make_person(
            "teacher", self.school, "teacher", first_name="Ana", last_name="Ortiz"
        )
        self.colleague = make_person(
            "colleague", self.school, "teacher", first_name="Ben", last_name="Lee"
        )
        self.coach = make_person("coach", self.school, "coach", "facilitator")
        self.principal = make_person("principal", self.school, "principal")
        self.district_leader = make_person("district", self.school, "district_leader")
        self.vice = make_person(
            "vice", self.school, "principal", first_name="Vi", last_name="Assistant"
        )
        self.bystander = make_person(
            "bystander", self.school, "teacher", first_name="Bo", last_name="Stander"
        )
        self.outsider = make_person("outsider", self.other_school, "teacher")
        make_schedule(self.school)

    def by_name(self, name: str):
        return None if name == "anonymous" else getattr(self, name)


@pytest.fixture
def personas(db) -> Personas:
    """Lincoln's teacher, colleague, coach, principal, assistant principal (`vice`), a
    teacher in no cycle (`bystander`) and district leader, and an outsider who teaches at
    Roosevelt, in the same district."""
    return Personas()


@pytest.fixture
def run_tasks():
    """Run every queued background task with the real database worker, as `opendoors
    db_worker` does. Tests that use it need `transaction=True`: the worker takes its own."""
    from tests.tasks import database_worker

    def run() -> None:
        database_worker("tests").run()

    return run


@pytest.fixture(autouse=True)
def _shipped_protocol_library(request):
    """The shipped protocol library is loaded by a data migration, and a transactional test
    (threads, the browser) flushes the database after it, migrations' rows included: the next
    such test gets the library back first."""
    marker = request.node.get_closest_marker("django_db")
    uses = set(request.fixturenames)
    if {"transactional_db", "live_server"} & uses or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
        from teams.tests.factories import library_loaded

        library_loaded()
