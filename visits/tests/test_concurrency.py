"""Two people click at once: the rules still hold, because the database holds them.

Each test starts the clicks together in threads (a barrier), each thread with its own
database connection, against PostgreSQL. In-memory SQLite cannot share one test database
between threads' connections, so there these tests are skipped.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

import scheduler
from inquiry.services import cycle_start, participants_set
from inquiry.tests.factories import next_weekday
from schools.models import Meeting
from tests.concurrency import at_once, postgresql_only
from visits.models import Commitment, Proposal, ProposalStatus, Visit
from visits.proposals import proposal_publish
from visits.rules import ObserverPlan, VisitPlan
from visits.scheduling import cycle_problem
from visits.services import visit_schedule

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 20


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def cycle_of(personas, host, title: str):
    cycle = cycle_start(school=personas.school, structure="rounds", title=title, by=personas.coach)
    participants_set(
        cycle=cycle, observers=[personas.vice], hosts=[host], facilitators=[personas.coach]
    )
    return cycle


def visit_plan(host, on) -> VisitPlan:
    lesson = Meeting.objects.select_related("slot", "section").get(
        teacher=host, slot__day__label="Mon", slot__period__label="2"
    )
    return VisitPlan(
        date=on,
        slot=lesson.slot,
        classrooms=[(host, lesson.section)],
        observers=[ObserverPlan(host.__class__.objects.get(username="vice"))],
    )


def test_two_coaches_cannot_book_one_observer_into_two_classrooms_at_once(personas):
    ana = cycle_of(personas, personas.teacher, "Ana's round")
    ben = cycle_of(personas, personas.colleague, "Ben's round")
    for week in range(ROUNDS):
        monday = next_weekday(0) + timedelta(weeks=week)
        results = at_once(
            lambda m=monday: visit_schedule(cycle=ana, plan=visit_plan(personas.teacher, m)),
            lambda m=monday: visit_schedule(cycle=ben, plan=visit_plan(personas.colleague, m)),
        )
        placed = [r for r in results if isinstance(r, Visit)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert (len(placed), len(refused)) == (1, 1), results
        assert "Vi Assistant is already observing" in " ".join(refused[0].messages)
    assert Visit.objects.count() == ROUNDS
    assert Commitment.objects.filter(person=personas.vice).count() == ROUNDS


def test_a_double_submitted_visit_is_placed_once(personas):
    ana = cycle_of(personas, personas.teacher, "Ana's round")
    for week in range(ROUNDS):
        monday = next_weekday(0) + timedelta(weeks=week)
        place = lambda m=monday: visit_schedule(  # noqa: E731
            cycle=ana, plan=visit_plan(personas.teacher, m)
        )
        results = at_once(place, place)
        assert sum(isinstance(r, Visit) for r in results) == 1, results
    assert Visit.objects.count() == ROUNDS


def test_a_proposal_clicked_publish_twice_is_published_once(personas):
    cycle = cycle_start(school=personas.school, structure="rounds", title="Lab", by=personas.coach)
    participants_set(
        cycle=cycle,
        observers=[personas.vice, personas.bystander],
        hosts=[personas.teacher],
        facilitators=[personas.coach],
    )
    for week in range(ROUNDS // 2):
        monday = next_weekday(0) + timedelta(weeks=week)
        problem = cycle_problem(cycle, monday=monday)
        proposal = Proposal.objects.create(
            cycle=cycle,
            monday=monday,
            status=ProposalStatus.READY,
            problem=scheduler.problem_to_json(problem),
            plan=scheduler.plan_to_json(scheduler.solve(problem, time_limit=2)),
        )
        results = at_once(
            lambda p=proposal: proposal_publish(proposal=Proposal.objects.get(pk=p.pk)),
            lambda p=proposal: proposal_publish(proposal=Proposal.objects.get(pk=p.pk)),
        )
        assert sorted(type(r).__name__ for r in results) == ["ValidationError", "int"], results
        assert Visit.objects.filter(date__gte=monday, date__lt=monday + timedelta(7)).count() == 1
    assert set(Proposal.objects.values_list("status", flat=True)) == {ProposalStatus.PUBLISHED}
