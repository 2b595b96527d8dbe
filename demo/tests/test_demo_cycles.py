"""The demo has one cycle of each structure, each at a different stage, with real visits."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.history import HISTORY
from inquiry.models import Cycle, Stage
from inquiry.stages import cycle_stage
from inquiry.structures import Structure
from schools.models import Person
from visits.models import Evidence, Visit
from visits.rules import ObserverPlan, VisitPlan, visit_plan_problems

# The year of past cycles (demo/history.py) is closed; these tests are about the current five.
PAST = [past.title for past in HISTORY]


@pytest.mark.django_db
def test_one_cycle_per_structure_each_at_its_own_stage(capsys):
    call_command("load_demo")
    cycles = (
        Cycle.objects.filter(school__slug="lincoln")
        .exclude(title__in=PAST)
        .select_related("school")
    )
    assert sorted(c.structure for c in cycles) == sorted(Structure.values)
    # Each stage follows from what happened in the cycle, none is set by hand.
    now = timezone.now()
    stages = {c.structure: cycle_stage(c, now) for c in cycles}
    assert {s: stage.stage for s, stage in stages.items()} == {
        Structure.ROUNDS: Stage.SCHEDULED,
        Structure.LAB: Stage.PLANNING,
        Structure.MICRO: Stage.DEBRIEFING,
        Structure.SWAP: Stage.FOLLOWING_UP,
        Structure.WALK: Stage.CLOSED,
    }
    assert not any(stage.by_hand for stage in stages.values())
    # Every micro-observation and swap-day visit was held and has what its observer captured.
    pairs = Visit.objects.filter(cycle__structure__in=[Structure.MICRO, Structure.SWAP])
    assert pairs.count() == 4
    assert all(Evidence.objects.filter(classroom__visit=v).exists() for v in pairs)
    evidence = Evidence.objects.count()
    call_command("load_demo")
    assert Evidence.objects.count() == evidence
    assert Cycle.objects.count() == 5 + 2 * len(HISTORY)  # at Lincoln and Roosevelt
    assert "principal" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_visits_keep_every_scheduling_rule():
    call_command("load_demo", stdout=io.StringIO())
    visits = Visit.objects.prefetch_related("classrooms__host", "classrooms__section", "observers")
    assert visits.count() >= 5
    for visit in visits:
        plan = VisitPlan(
            date=visit.date,
            slot=visit.slot,
            classrooms=[(r.host, r.section) for r in visit.classrooms.all()],
            observers=[
                ObserverPlan(s.person, s.covered_by, s.substitute) for s in visit.observers.all()
            ],
        )
        assert visit_plan_problems(plan, exclude=visit) == [], visit
    rounds = Cycle.objects.exclude(title__in=PAST).get(structure=Structure.ROUNDS).visits.get()
    assert rounds.classrooms.count() == 3 and rounds.observers.count() == 4
    assert rounds.observers.filter(covered_by__isnull=False).count() == 1
    assert rounds.date > date.today()


@pytest.mark.django_db
def test_the_demo_coachs_board_shows_every_state(client):
    """Every stage, and each step done, now and still to do, on the coach's home page."""
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(Person.objects.get(username="coach"))
    page = client.get("/")
    board = page.context["board"]
    assert len(board.open) == 4 and len(board.closed) == 1 + len(HISTORY)
    states = {step.state for card in board.open for step in card.steps}
    assert states == {"done", "now", "todo"}
    actions = {card.cycle.structure: card.next_action.label for card in board.open}
    assert actions == {
        Structure.ROUNDS: "Get ready for the next visit",
        Structure.LAB: "Place visits",
        Structure.MICRO: "Hold the debrief",
        Structure.SWAP: "Follow up",
    }
    html = page.content.decode()
    assert f"Closed cycles ({1 + len(HISTORY)})" in html and "Facilitating" in html
