"""The demo has one cycle of each structure, each at a different stage, with real visits."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from inquiry.models import Cycle
from inquiry.structures import Structure
from visits.models import Visit
from visits.rules import ObserverPlan, VisitPlan, visit_plan_problems


@pytest.mark.django_db
def test_one_cycle_per_structure_each_at_its_own_stage(capsys):
    call_command("load_demo")
    cycles = Cycle.objects.filter(school__slug="lincoln")
    assert sorted(c.structure for c in cycles) == sorted(Structure.values)
    assert len({c.stage for c in cycles}) == 5
    call_command("load_demo")
    assert Cycle.objects.count() == 5
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
    rounds = Cycle.objects.get(structure=Structure.ROUNDS).visits.get()
    assert rounds.classrooms.count() == 3 and rounds.observers.count() == 4
    assert rounds.observers.filter(covered_by__isnull=False).count() == 1
    assert rounds.date > date.today()
