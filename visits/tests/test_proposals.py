"""The coach asks OpenDoors to propose a week's schedule, edits it, and publishes it."""

import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

import scheduler
from inquiry.models import Cycle
from inquiry.services import cycle_start, participants_set
from inquiry.tests.factories import next_weekday
from visits.models import Proposal, ProposalStatus, Visit
from visits.proposals import proposal_move, proposal_remove, proposed_visits
from visits.rules import ObserverPlan, VisitPlan, visit_plan_problems
from visits.scheduling import cycle_problem

MONDAY = next_weekday(0)


def lab(personas, structure="rounds") -> Cycle:
    cycle = cycle_start(school=personas.school, structure=structure, title="Lab", by=personas.coach)
    participants_set(
        cycle=cycle,
        observers=[personas.colleague, personas.vice, personas.bystander],
        hosts=[personas.teacher],
        facilitators=[personas.coach],
    )
    return cycle


@pytest.mark.django_db
def test_the_problem_is_the_cycles_people_in_the_real_schedule(personas):
    problem = cycle_problem(lab(personas), monday=MONDAY)
    assert problem.days == ("Mon", "Tue") and len(problem.meetings) == 7
    [request] = problem.requests
    assert request.kind == "group" and request.classrooms == 1
    assert request.hosts == (str(personas.teacher.pk),)
    assert scheduler.problem_from_json(scheduler.problem_to_json(problem)) == problem


@pytest.mark.django_db
def test_swap_days_and_micro_observations_ask_for_pair_visits(personas):
    problem = cycle_problem(lab(personas, structure="micro"), monday=MONDAY)
    assert {r.kind for r in problem.requests} == {"pair"} and len(problem.requests) == 3


@pytest.mark.django_db
def test_a_learning_walk_asks_for_mixed_groups_of_up_to_three_classrooms(personas):
    walk = cycle_start(school=personas.school, structure="walk", title="Walk", by=personas.coach)
    participants_set(
        cycle=walk,
        observers=[personas.vice, personas.bystander],
        hosts=[personas.teacher, personas.colleague],
        facilitators=[personas.coach],
    )
    [request] = cycle_problem(walk, monday=MONDAY).requests
    assert request.prefer == ("cross_grade", "cross_content") and request.classrooms == 2
    [request] = cycle_problem(lab(personas), monday=MONDAY).requests
    assert request.prefer == ()


@pytest.mark.django_db(transaction=True)
def test_propose_solve_review_and_publish(client, personas, run_tasks):
    cycle = lab(personas)
    client.force_login(personas.coach)
    response = client.post(
        f"/cycles/{cycle.pk}/proposals/", {"monday": MONDAY.isoformat(), "time_limit": 5}
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    assert "Waiting for the scheduler" in client.get(response["Location"]).content.decode()
    run_tasks()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY
    plan = scheduler.plan_from_json(proposal.plan)
    assert plan.objective == plan.bound == 1 and plan.status == "OPTIMAL"
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Ana Ortiz" in page and "Publish" in page
    mail.outbox.clear()
    client.post(f"/proposals/{proposal.pk}/publish/")
    visit = Visit.objects.get()
    assert visit.classrooms.get().host == personas.teacher
    assert visit.observers.count() == 3
    plan = VisitPlan(
        date=visit.date,
        slot=visit.slot,
        classrooms=[(r.host, r.section) for r in visit.classrooms.all()],
        observers=[
            ObserverPlan(s.person, s.covered_by, s.substitute) for s in visit.observers.all()
        ],
    )
    assert visit_plan_problems(plan, exclude=visit) == []
    run_tasks()
    assert len(mail.outbox) == 4  # the host and three observers


@pytest.mark.django_db(transaction=True)
def test_a_proposed_visit_can_be_moved_or_removed_and_each_change_is_checked(
    client, personas, run_tasks
):
    from schools.tests.factories import make_person

    cycle = lab(personas)
    make_person("spare", personas.school, "teacher")  # free all week: covers a moved observer
    client.force_login(personas.coach)
    client.post(f"/cycles/{cycle.pk}/proposals/", {"monday": MONDAY.isoformat(), "time_limit": 5})
    run_tasks()
    proposal = Proposal.objects.get()
    [row] = proposed_visits(proposal)
    assert row.moves  # Ana teaches in other periods
    day, period = row.moves[0]
    proposal_move(proposal=proposal, key=row.key, day=day, period=period)
    [moved] = proposed_visits(proposal)
    assert (moved.day, moved.period) == (day, period)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        proposal_move(proposal=proposal, key=moved.key, day="Tue", period="3")  # Ana is free
    proposal_remove(proposal=proposal, key=moved.key)
    assert proposed_visits(proposal) == []


@pytest.mark.django_db
def test_a_week_needs_hosts_observers_and_weekday_names(client, personas):
    cycle = cycle_start(school=personas.school, structure="rounds", title="x", by=personas.coach)
    client.force_login(personas.coach)
    response = client.post(
        f"/cycles/{cycle.pk}/proposals/",
        {"monday": MONDAY.isoformat(), "time_limit": 5},
        follow=True,
    )
    assert "observers and hosts first" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_the_schedule_problem_command_writes_what_the_page_would_solve(personas, tmp_path):
    cycle = lab(personas)
    out = tmp_path / "problem.json"
    call_command(
        "schedule_problem",
        school="lincoln",
        cycle=cycle.pk,
        week=MONDAY,
        output=str(out),
        stdout=io.StringIO(),
    )
    document = json.loads(out.read_text())
    assert document["version"] == 1 and document["requests"][0]["kind"] == "group"
    plan_path = tmp_path / "plan.json"
    call_command("schedule", str(out), output=str(plan_path), time_limit=5, stdout=io.StringIO())
    plan = json.loads(plan_path.read_text())
    assert plan["objective"] == 1 and plan["status"] == "OPTIMAL"


@pytest.mark.django_db
def test_coverage_already_given_this_week_counts_against_the_contract(personas):
    personas.school.max_coverages_per_week = 1
    personas.school.save()
    from inquiry.tests.factories import make_round
    from schools.models import Meeting, Slot
    from visits.services import visit_schedule

    cycle, _ = make_round(personas)
    lesson = Meeting.objects.get(
        teacher=personas.teacher, slot__day__label="Mon", slot__period__label="2"
    )
    visit_schedule(
        cycle=cycle,
        plan=VisitPlan(
            date=MONDAY,
            slot=Slot.objects.get(day__label="Mon", period__label="2"),
            classrooms=[(personas.teacher, lesson.section)],
            observers=[ObserverPlan(personas.colleague, covered_by=personas.bystander)],
        ),
    )
    problem = cycle_problem(lab(personas), monday=MONDAY)
    limits = {t.id: t.max_coverages for t in problem.teachers}
    assert limits[str(personas.bystander.pk)] == 0
    assert limits[str(personas.colleague.pk)] is None
    assert MONDAY + timedelta(days=7) > MONDAY


@pytest.mark.django_db
def test_a_coverage_swap_day_rotates_the_team_on_one_day(personas):
    cycle = lab(personas, structure="swap")
    problem = cycle_problem(cycle, monday=MONDAY, day="Mon")
    assert problem.days == ("Mon",)
    assert {r.observers[0] for r in problem.requests} == {
        str(p.pk) for p in (personas.colleague, personas.vice, personas.bystander, personas.teacher)
    }
    plan = scheduler.solve(problem, time_limit=5)
    assert scheduler.plan_problems(problem, plan) == []
    assert plan.objective >= 2  # Ana and Ben observe each other, at least
    assert all(v.day == "Mon" for v in plan.visits)


@pytest.mark.django_db
def test_an_unknown_day_is_a_clear_message(personas):
    from django.core.exceptions import ValidationError

    from visits.proposals import proposal_start

    with pytest.raises(ValidationError, match="“Sunday” is not one of the school's days"):
        proposal_start(cycle=lab(personas, "swap"), by=personas.coach, monday=MONDAY, day="Sunday")


@pytest.mark.django_db(transaction=True)
def test_micro_observation_pairs_are_offered_the_reciprocal_visit(client, personas, run_tasks):
    cycle = cycle_start(school=personas.school, structure="micro", title="Q", by=personas.coach)
    participants_set(
        cycle=cycle,
        observers=[personas.colleague],
        hosts=[personas.teacher],
        facilitators=[personas.coach],
    )
    client.force_login(personas.coach)
    client.post(f"/cycles/{cycle.pk}/proposals/", {"monday": MONDAY.isoformat(), "time_limit": 5})
    run_tasks()
    proposal = Proposal.objects.get()
    client.post(f"/proposals/{proposal.pk}/change/", {"action": "reciprocal"})
    proposal.refresh_from_db()
    plan = scheduler.plan_from_json(proposal.plan)
    pairs = {(v.observer, v.host) for v in plan.visits}
    ana, ben = str(personas.teacher.pk), str(personas.colleague.pk)
    assert pairs == {(ben, ana), (ana, ben)}
    problem = scheduler.problem_from_json(proposal.problem)
    assert scheduler.plan_problems(problem, plan) == []
