"""A principal and a district leader see every cycle of the school, its plan, its schedule with
coverage and its steps as counts, and the district's strategy with each school's goals; never
evidence, a debrief's notes or takeaways, a goal's words or a follow-up answer."""

import uuid

import pytest
from django.utils import timezone

from growth.services import follow_up_answer, goal_set
from inquiry.services import cycle_start, pre_brief_save
from inquiry.structures import Structure
from inquiry.tests.factories import make_round
from schools.models import ImprovementGoal
from schools.tests.factories import make_district, make_person, make_school
from visits.models import Evidence
from visits.services import debrief_save

pytestmark = pytest.mark.django_db

SECRETS = {
    "evidence": "Jordan said the fractions trick is cheating",
    "bright moment": "Maya beamed explaining her model",
    "takeaways": "Takeaway only the group keeps",
    "next step": "Next step only the group keeps",
    "goal": "I will stop calling on volunteers only",
    "answer": "It went badly because I ran out of time",
    "pre-brief": "My class struggles with behaviour after lunch",
}


@pytest.fixture
def held_round(personas):
    """The coach's round, held: each kind of private words is written in it."""
    cycle, visit = make_round(personas, held=True)
    cycle.problem_of_practice = "Students rarely explain their reasoning"
    cycle.theory_of_action = "If students talk first, then they will write more reasoning"
    cycle.save()
    room = visit.classrooms.get()
    for kind, text in (("note", SECRETS["evidence"]), ("bright_moment", SECRETS["bright moment"])):
        Evidence.objects.create(
            id=uuid.uuid4(),
            classroom=room,
            author=personas.colleague,
            kind=kind,
            text=text,
            recorded_at=timezone.now(),
            fingerprint=str(uuid.uuid4()),
        )
    debrief_save(
        visit=visit,
        by=personas.coach,
        takeaways=SECRETS["takeaways"],
        team_next_step=SECRETS["next step"],
        notes=[],
    )
    pre_brief_save(
        cycle=cycle,
        host=personas.teacher,
        instructional_goal=SECRETS["pre-brief"],
        expectations="",
        focus="",
    )
    goal = goal_set(
        person=personas.colleague,
        cycle=cycle,
        visit=visit,
        text=SECRETS["goal"],
        try_by=visit.date,
        shared_with_facilitators=True,
    )
    follow_up_answer(
        follow_up=goal.follow_up, tried=True, results="no", why=SECRETS["answer"], share=True
    )
    return cycle


def planned_lab(personas, title: str = "Number talks lab"):
    """A lab being planned: no visit in the schedule yet."""
    return cycle_start(
        school=personas.school, structure=Structure.LAB, title=title, by=personas.coach
    )


LEADER_PAGES = [
    "/schools/lincoln/cycles/all/",
    "/schools/lincoln/cycles/all/{cycle}/",
    "/district/riverbend/strategy/",
    "/",
]


@pytest.mark.parametrize("who", ["principal", "district_leader"])
def test_leaders_see_every_cycle_of_the_school_though_they_take_part_in_none(
    client, personas, held_round, who
):
    planned_lab(personas)
    client.force_login(getattr(personas, who))
    html = client.get("/schools/lincoln/cycles/all/").content.decode()
    assert html.count("leader-cycles") == 1
    assert "2 cycles" in html
    assert "Students rarely explain their reasoning" in html
    assert "If students talk first" in html
    assert "Students explain their reasoning to a partner" in html  # a look-for
    assert "4 taking part" in html  # coach, host, two observers
    assert "1 taking part" in html  # the lab's coach so far


def test_a_cycle_s_page_shows_the_schedule_with_its_coverage_and_steps_as_counts(
    client, personas, held_round
):
    seat = held_round.visits.get().observers.get(person=personas.colleague)
    seat.covered_by = personas.bystander
    seat.save()
    client.force_login(personas.principal)
    page = client.get(f"/schools/lincoln/cycles/all/{held_round.pk}/")
    html = page.content.decode()
    assert "Lee, Ben (covered by Stander, Bo)" in html or "covered by" in html
    assert "Ortiz" in html  # the host, in the plan
    steps = {step.name: (step.done, step.of) for step in page.context["row"].steps}
    assert steps["Visits held"] == (1, 1)
    assert steps["Debriefs done"] == (1, 1)
    # One of four set a goal: the count would point at one named person, and "of" how many
    # have a goal says the same.
    assert steps["Set a goal"] == (None, 4)
    assert steps["Followed up"] == (None, None)
    assert f"/visits/{held_round.visits.get().pk}/" not in html  # no link to the visit


@pytest.mark.parametrize("who", ["principal", "district_leader", "vice"])
@pytest.mark.parametrize("page", LEADER_PAGES)
def test_leaders_pages_show_no_evidence_debrief_notes_goals_or_answers(
    client, personas, held_round, who, page
):
    """The assistant principal observes in the round: their leader's pages still show only
    the plan and counts (the round's own pages are where they read it as a participant)."""
    client.force_login(getattr(personas, who))
    response = client.get(page.format(cycle=held_round.pk))
    if who != "district_leader" and page.startswith("/district/"):
        assert response.status_code == 404  # the district's pages are its leaders'
        return
    assert response.status_code == 200
    html = response.content.decode()
    for kind, text in SECRETS.items():
        assert text not in html, f"{kind} shown to {who} on {page}"


def test_counts_of_goals_hide_in_a_cycle_of_fewer_than_k_people(client, personas, held_round):
    district = personas.school.district
    district.min_classrooms_for_aggregates = 5
    district.save()
    client.force_login(personas.principal)
    page = client.get("/schools/lincoln/cycles/all/")
    (row,) = page.context["rows"]
    steps = {step.name: step.done for step in row.steps}
    assert steps["Set a goal"] is None
    assert steps["Visits held"] == 1  # the shared work still shows
    assert "not shown: it would tell what fewer than 5 people did" in page.content.decode()


def test_leaders_of_another_school_or_district_learn_nothing(client, personas, held_round):
    roosevelt_principal = make_person("rprincipal", personas.other_school, "principal")
    elsewhere = make_school("faraway", district=make_district("elsewhere"))
    other_leader = make_person("oleader", elsewhere, "district_leader")
    goal = ImprovementGoal.objects.create(school=personas.school, title="Reasoning")
    for person in (roosevelt_principal, other_leader, personas.coach, personas.teacher):
        client.force_login(person)
        for url in (
            "/schools/lincoln/cycles/all/",
            f"/schools/lincoln/cycles/all/{held_round.pk}/",
            "/schools/lincoln/goals/",
            "/district/riverbend/strategy/",
        ):
            assert client.get(url).status_code == 404, (person, url)
        response = client.post(f"/schools/lincoln/goals/{goal.pk}/action/", {"action": "archive"})
        assert response.status_code == 404
    # A cycle of Roosevelt is not one of Lincoln's, even to Lincoln's principal.
    client.force_login(personas.principal)
    assert client.get(f"/schools/roosevelt/cycles/all/{held_round.pk}/").status_code == 404


def test_filters_choose_cycles_by_stage_structure_and_goal_and_ignore_junk(
    client, personas, held_round
):
    goal = ImprovementGoal.objects.create(school=personas.school, title="Reasoning")
    lab = planned_lab(personas)
    lab.improvement_goal = goal
    lab.save()
    client.force_login(personas.principal)

    def titles(query: str) -> set[str]:
        page = client.get(f"/schools/lincoln/cycles/all/?{query}")
        assert page.status_code == 200
        return {row.cycle.title for row in page.context["rows"]}

    assert titles(f"goal={goal.pk}") == {"Number talks lab"}
    assert titles("goal=0") == {"Student discourse"}
    assert titles("structure=lab") == {"Number talks lab"}
    assert titles("stage=planning") == {"Number talks lab"}
    assert titles("stage=nonsense&goal=99999999999999999999999") == {
        "Number talks lab",
        "Student discourse",
    }


def test_a_principal_s_cycle_list_and_home_lead_to_the_school_s_cycles(
    client, personas, held_round
):
    client.force_login(personas.principal)
    html = client.get("/schools/lincoln/cycles/").content.decode()
    assert "/schools/lincoln/cycles/all/" in html
    assert "You take part in no cycle yet" in html
    home = client.get("/").content.decode()
    assert "1 cycle: 1 debriefing" in home or "1 cycle: 1 following up" in home
    assert "/schools/lincoln/cycles/all/?stage=" in home
    client.force_login(personas.teacher)
    assert "/schools/lincoln/cycles/all/" not in client.get("/").content.decode()
