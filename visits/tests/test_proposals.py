"""The coach asks OpenDoors to propose a week's schedule, edits it, and publishes it."""

import io
import json
import re
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
    # Publishing cannot be undone (it emails people): it asks first, with the real counts.
    asked = re.search(r"Publish 1 visit and email (\d+) people\?", page)
    assert asked, "the publish confirmation names the visits and the people it emails"
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
    # The host, three observers and the facilitator, as many as the confirmation said.
    assert len({to for m in mail.outbox for to in m.to}) == int(asked.group(1)) == 5


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


# --- What the coach reads: a coach's words, never the solver's --------------------------

SOLVER_WORDS = ("bound", "OPTIMAL", "FEASIBLE", "objective")


def said(*, wanted: int, placed: int, bound: int, reasons=(), removed: int = 0) -> str:
    """The summary of one pair request for `wanted` visits of which `placed` fit (and the
    coach removed `removed` of those), the scheduler having proved `bound`."""
    from visits.proposals import _reason_join, proposal_summary

    teachers = tuple(scheduler.Teacher(f"T{i}") for i in range(12))
    problem = scheduler.Problem(
        days=("Mon", "Tue"),
        periods=tuple(str(p) for p in range(1, 6)),
        teachers=teachers,
        requests=(scheduler.Request("R1", "pair", ("T0",), visits=wanted),),
    )
    slots = [(d, p) for d in problem.days for p in problem.periods]
    visits = [
        scheduler.Visit("R1", "T0", f"T{i + 1}", *slots[i], "S") for i in range(placed - removed)
    ]
    unscheduled = []
    if placed < wanted or removed:
        reason = _reason_join(" ".join(reasons), removed)
        unscheduled.append(scheduler.Unscheduled("R1", wanted - placed + removed, reason))
    status = "OPTIMAL" if placed - removed == bound else "FEASIBLE"
    plan = scheduler.Plan(status, visits, unscheduled, placed - removed, bound)
    text = proposal_summary(problem, plan).headline
    assert not any(word in text for word in SOLVER_WORDS), text
    return text


def test_when_every_requested_visit_fits_the_coach_is_told_so():
    assert said(wanted=3, placed=3, bound=3) == "Every requested visit fits."


def test_the_most_that_can_fit_is_said_to_be_proven():
    assert said(wanted=9, placed=7, bound=7, reasons=["Eli is free only twice."]) == (
        "7 of 9 requested visits fit. This is the most that can fit: proven."
    )


def test_a_search_cut_short_by_its_time_limit_says_how_far_it_might_be_from_the_best():
    assert said(wanted=9, placed=7, bound=8, reasons=["Not found in time."]) == (
        "7 of 9 requested visits fit so far; at most 1 more could fit. A longer search might "
        "find it."
    )


def test_a_search_cut_short_when_coverage_ran_out_says_what_would_help():
    short = "at 3, a coverage is needed but no colleague free then has coverage left."
    assert said(wanted=20, placed=7, bound=12, reasons=[short]) == (
        "7 of 20 requested visits fit so far; at most 5 more could fit. More substitute "
        "periods might help, as might a longer search."
    )


def test_a_gap_in_classrooms_is_said_in_requested_visits_never_more_than_are_unmet():
    # The scheduler's bound counts classrooms: 6 more, where only 2 requested visits are
    # unmet.
    short = "at 3, a coverage is needed but no colleague free then has coverage left."
    assert said(wanted=3, placed=1, bound=7, reasons=[short]) == (
        "1 of 3 requested visits fit so far; at most 2 more could fit. More substitute "
        "periods might help, as might a longer search."
    )


def test_when_nothing_fits_the_scheduler_says_why():
    why = "Eli Park and Fay Chen share no free period on Mon or Tue."
    assert said(wanted=1, placed=0, bound=0, reasons=[why]) == f"No visit could be placed: {why}"


def test_after_removals_the_summary_counts_what_is_placed_now():
    assert said(wanted=3, placed=3, bound=3, removed=1) == (
        "2 of 3 requested visits placed; you removed 1."
    )
    assert said(wanted=3, placed=3, bound=3, removed=3) == (
        "You removed every visit. Undo, or ask the scheduler again."
    )


def solved(client, personas, run_tasks, structure="rounds") -> Proposal:
    cycle = lab(personas, structure)
    client.force_login(personas.coach)
    client.post(f"/cycles/{cycle.pk}/proposals/", {"monday": MONDAY.isoformat(), "time_limit": 5})
    run_tasks()
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.READY
    return proposal


def rows_of(proposal: Proposal):
    proposal.refresh_from_db()
    return proposed_visits(proposal)


def shown(page: str) -> str:
    """The page's words, without markup (and without the download link's address)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def undo_note(page: str) -> str:
    found = re.search(r'name="undo" value="([^"]+)"', page)
    assert found, "the page offers no Undo"
    return found.group(1)


def visits_and_reasons(proposal: Proposal):
    proposal.refresh_from_db()
    plan = proposal.plan
    return (
        sorted(json.dumps(v, sort_keys=True) for v in plan["visits"]),
        plan["unscheduled"],
        plan["status"],
        plan["objective"],
    )


@pytest.mark.django_db(transaction=True)
def test_the_page_speaks_a_coachs_words_and_the_download_keeps_the_solvers(
    client, personas, run_tasks
):
    proposal = solved(client, personas, run_tasks)
    page = shown(client.get(f"/proposals/{proposal.pk}/").content.decode())
    assert "Every requested visit fits." in page
    assert not any(word in page for word in SOLVER_WORDS), page
    assert proposal.message == "Every requested visit fits."
    document = client.get(f"/proposals/{proposal.pk}/plan.json").json()
    assert document["status"] == "OPTIMAL" and document["bound"] == document["objective"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_removed_visit_swaps_for_an_undo_that_puts_it_back_exactly(client, personas, run_tasks):
    from schools.tests.factories import make_person

    make_person("spare", personas.school, "teacher")  # free all week: covers a moved observer
    proposal = solved(client, personas, run_tasks)
    [row] = rows_of(proposal)
    # In Mon period 2 Ben teaches: he is covered, and the undo must bring his cover back.
    if ("Mon", "2") in row.moves:
        client.post(
            f"/proposals/{proposal.pk}/change/",
            {"action": "move", "key": row.key, "slot": "Mon|2"},
            HTTP_HX_REQUEST="true",
        )
    [row] = rows_of(proposal)
    day, period = row.day, row.period
    before = visits_and_reasons(proposal)
    assert any(c for _, c in row.observers), "someone is covered after the move"

    answer = client.post(
        f"/proposals/{proposal.pk}/change/",
        {"action": "remove", "key": row.key},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    text = shown(answer)
    assert answer.startswith("<section") or 'id="proposal"' in answer.split(">")[0]
    assert f"Removed {day} period {period} (Ben Lee, " in text and "→ Ana Ortiz). Undo" in text
    assert "You removed every visit. Undo, or ask the scheduler again." in text
    assert "No visit could be placed" not in text
    assert "Publish" not in text  # nothing left to publish
    assert rows_of(proposal) == []

    again = client.post(
        f"/proposals/{proposal.pk}/undo/", {"undo": undo_note(answer)}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f"Put back {day} period {period}." in shown(again)
    assert visits_and_reasons(proposal) == before
    assert "Publish 1 visit" in shown(again)

    # The same undo cannot put it back twice, and a forged one is refused.
    twice = client.post(
        f"/proposals/{proposal.pk}/undo/", {"undo": undo_note(answer)}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Not undone: This change was already undone" in shown(twice)
    forged = undo_note(answer)[:-2] + "xx"
    client.post(f"/proposals/{proposal.pk}/undo/", {"undo": forged}, HTTP_HX_REQUEST="true")
    assert visits_and_reasons(proposal) == before


@pytest.mark.django_db(transaction=True)
def test_a_move_can_be_undone(client, personas, run_tasks):
    from schools.tests.factories import make_person

    make_person("spare", personas.school, "teacher")  # free all week: covers a moved observer
    proposal = solved(client, personas, run_tasks)
    before = visits_and_reasons(proposal)
    [row] = rows_of(proposal)
    day, period = row.moves[0]
    answer = client.post(
        f"/proposals/{proposal.pk}/change/",
        {"action": "move", "key": row.key, "slot": f"{day}|{period}"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f"Moved {row.day} period {row.period} to {day} period {period}. Undo" in shown(answer)
    client.post(
        f"/proposals/{proposal.pk}/undo/", {"undo": undo_note(answer)}, HTTP_HX_REQUEST="true"
    )
    assert visits_and_reasons(proposal) == before


@pytest.mark.django_db(transaction=True)
def test_after_removing_some_visits_the_summary_and_the_table_agree(client, personas, run_tasks):
    proposal = solved(client, personas, run_tasks, structure="micro")
    rows = rows_of(proposal)
    assert len(rows) == 3
    client.post(f"/proposals/{proposal.pk}/change/", {"action": "remove", "key": rows[0].key})
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "2 of 3 requested visits placed; you removed 1." in shown(page)
    assert page.count('value="remove"') == 2  # two rows left in the table
    assert "Publish 2 visits and email" in shown(page)
    assert "No visit could be placed" not in page


@pytest.mark.django_db(transaction=True)
def test_remove_and_undo_work_as_full_page_loads_without_htmx(client, personas, run_tasks):
    proposal = solved(client, personas, run_tasks)
    before = visits_and_reasons(proposal)
    [row] = rows_of(proposal)
    response = client.post(
        f"/proposals/{proposal.pk}/change/", {"action": "remove", "key": row.key}
    )
    assert response.status_code == 302 and "?undo=" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "<html" in page and f"Removed {row.day} period {row.period}" in shown(page)
    assert "You removed every visit." in shown(page)
    response = client.post(
        f"/proposals/{proposal.pk}/undo/", {"undo": undo_note(page)}, follow=True
    )
    assert f"Put back {row.day} period {row.period}." in shown(response.content.decode())
    assert visits_and_reasons(proposal) == before
    # Reloading the old address no longer offers an undo that would do nothing.
    assert 'name="undo"' not in client.get(response.redirect_chain[0][0]).content.decode()
