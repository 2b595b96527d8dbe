"""A coach who facilitates several cycles sees each on her board, on the home page and under
"My cycles": each step's status and the one thing to do next. Goals and follow-up answers
are counted only where their authors shared them with the cycle."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from growth.services import follow_up_answer, goal_set
from inquiry.board import facilitator_board
from inquiry.models import Stage
from inquiry.services import participants_set
from inquiry.structures import Structure
from inquiry.tests.factories import make_round
from schools.tests.factories import make_person
from visits.models import Commitment, Debrief, Evidence, Visit

pytestmark = pytest.mark.django_db


def moved_back(visit: Visit, *, days: int) -> Visit:
    """The visit as if it had happened `days` ago."""
    on = visit.date - timedelta(days=days + 7)
    Visit.objects.filter(pk=visit.pk).update(date=on)
    Commitment.objects.filter(visit=visit).update(date=on)
    visit.refresh_from_db()
    return visit


def captured(visit: Visit, author) -> None:
    room = visit.classrooms.get()
    Evidence.objects.create(
        id=uuid.uuid4(),
        classroom=room,
        author=author,
        kind="look_for",
        recorded_at=datetime.combine(visit.date, datetime.min.time(), tzinfo=UTC),
        fingerprint="x",
    )


def steps_of(card) -> dict[str, tuple[str, str]]:
    return {step.name: (step.state, step.detail) for step in card.steps}


def two_cycles(personas):
    """A lab waiting for its host's pre-brief, and a round held last week, with evidence,
    not yet debriefed."""
    round_, held = make_round(personas)
    moved_back(held, days=7)
    captured(held, personas.colleague)
    lab, _ = make_round(personas, structure=Structure.LAB)
    lab.title = "Number talks lab"
    lab.problem_of_practice = "How do number talks get more students to share a strategy?"
    lab.save()
    return round_, held, lab


def test_a_coach_facilitating_two_cycles_sees_each_steps_status_and_what_to_do_next(
    client, personas
):
    round_, held, lab = two_cycles(personas)
    client.force_login(personas.coach)
    page = client.get("/")
    board = page.context["board"]
    cards = {card.cycle.pk: card for card in board.open}
    assert set(cards) == {round_.pk, lab.pk} and not board.closed

    lab_card = cards[lab.pk]
    assert lab_card.stage == Stage.SCHEDULED
    steps = steps_of(lab_card)
    assert steps["Planned"][0] == "done"
    assert steps["Pre-briefs written"] == ("now", "0 of 1 hosts")
    assert steps["Visits held"][0] == "todo" and steps["Visits held"][1].startswith("0 of 1; next")
    assert lab_card.next_action.label == "Ask hosts for pre-briefs"
    assert lab_card.next_action.url == f"/cycles/{lab.pk}/#pb-h"

    round_card = cards[round_.pk]
    assert round_card.stage == Stage.DEBRIEFING
    steps = steps_of(round_card)
    assert "Pre-briefs written" not in steps  # rounds ask for none
    assert steps["Visits held"] == ("done", "1 of 1")
    assert steps["Evidence captured"] == ("done", "in 1 of 1 visits")
    assert steps["Debrief done"] == ("now", "0 of 1 visits")
    assert round_card.next_action.label == "Hold the debrief"
    assert round_card.next_action.url == f"/visits/{held.pk}/debrief/"

    html = page.content.decode()
    assert "Number talks lab" in html and "Ask hosts for pre-briefs" in html
    assert "Hold the debrief" in html and 'class="status-steps"' in html


def test_the_next_action_follows_the_stage(personas):
    round_, held = make_round(personas)
    now = timezone.now()

    def card():
        (only,) = facilitator_board(personas.coach, now=now).open
        return only

    round_.problem_of_practice = ""
    round_.save()
    Visit.objects.filter(pk=held.pk).update(status="cancelled")
    assert card().next_action.label == "Write the focus"
    round_.problem_of_practice = "What do students say?"
    round_.theory_of_action = "If they talk, then they write."
    round_.save()
    round_.look_fors.update(retired=True)
    assert card().next_action.label == "Add look-fors"
    round_.look_fors.update(retired=False)
    participants_set(cycle=round_, observers=[], hosts=[], facilitators=[personas.coach])
    assert card().next_action.label == "Choose observers and hosts"
    participants_set(
        cycle=round_,
        observers=[personas.colleague],
        hosts=[personas.teacher],
        facilitators=[personas.coach],
    )
    assert card().next_action.label == "Place visits"
    Visit.objects.filter(pk=held.pk).update(status="scheduled")
    assert card().next_action.label == "Get ready for the next visit"
    moved_back(held, days=1)
    Debrief.objects.create(visit=held, takeaways="Pairs talk more.")
    assert card().stage == Stage.FOLLOWING_UP
    assert card().next_action.label == "Remind people to set goals"
    goal_set(
        person=personas.colleague,
        cycle=round_,
        text="Pairs first",
        try_by=held.date,
        shared_with_facilitators=True,
    )
    assert card().next_action.label == "Follow up"
    moved_back(held, days=30)
    board = facilitator_board(personas.coach, now=now)
    assert not board.open and board.closed[0].next_action.label == "Read the takeaways"


def test_the_board_counts_only_goals_and_answers_shared_with_the_cycle(client, personas):
    """Adding a participant whose goal and answer are private changes nothing on the board:
    before-and-after readings cannot single anyone out."""
    round_, held = make_round(personas)
    moved_back(held, days=2)
    Debrief.objects.create(visit=held, takeaways="Pairs talk more.")
    shared = goal_set(
        person=personas.colleague,
        cycle=round_,
        text="Pairs first",
        try_by=held.date,
        shared_with_facilitators=True,
    )
    follow_up_answer(follow_up=shared.follow_up, tried=True, results="yes", why="ok", share=True)
    now = timezone.now()

    def goals_steps():
        steps = steps_of(facilitator_board(personas.coach, now=now).open[0])
        return steps["Goals set"], steps["Follow-ups answered"][1].split(";")[0]

    before = goals_steps()
    assert before == (("todo", "1 goal shared with you"), "1 answer shared with you")
    newcomer = make_person("newcomer", personas.school, "teacher")
    participants_set(
        cycle=round_,
        observers=[personas.colleague, personas.vice, newcomer],
        hosts=[personas.teacher],
        facilitators=[personas.coach],
    )
    private = goal_set(person=newcomer, cycle=round_, text="Secret", try_by=held.date)
    follow_up_answer(follow_up=private.follow_up, tried=False, results="no", why="secret")
    goal_set(  # a goal shared, its answer not: the goal counts, the answer does not
        person=personas.vice,
        cycle=round_,
        text="Cold calls",
        try_by=held.date,
        shared_with_facilitators=True,
    )
    assert goals_steps() == (("todo", "2 goals shared with you"), "1 answer shared with you")


def test_closed_cycles_are_folded_below_the_open_ones(client, personas):
    round_, visit = make_round(personas)
    moved_back(visit, days=1)
    lab, _ = make_round(personas, structure=Structure.LAB)
    round_.stage_by_hand = Stage.CLOSED
    round_.save()
    client.force_login(personas.coach)
    page = client.get("/")
    board = page.context["board"]
    assert [c.cycle for c in board.open] == [lab] and [c.cycle for c in board.closed] == [round_]
    html = page.content.decode()
    assert '<details class="board-closed">' in html and "Closed cycles (1)" in html


def test_my_cycles_shows_the_board_and_the_cycles_one_only_takes_part_in(client, personas):
    round_, _ = make_round(personas)
    client.force_login(personas.coach)
    page = client.get("/schools/lincoln/cycles/")
    assert [c.cycle for c in page.context["board"].open] == [round_]
    assert "Cycles I facilitate" in page.content.decode()
    client.force_login(personas.colleague)
    page = client.get("/schools/lincoln/cycles/")
    assert not page.context["board"]
    (only,) = page.context["cycles"]
    assert only[0] == round_ and only[1].stage == Stage.SCHEDULED
    assert "Visits scheduled" in page.content.decode()


def test_someone_who_facilitates_nothing_has_no_board(client, personas):
    make_round(personas)
    client.force_login(personas.teacher)
    page = client.get("/")
    assert not page.context["board"] and "Cycles I facilitate" not in page.content.decode()
