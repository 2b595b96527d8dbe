"""The rules of teams and meetings, called as the pages call them: each refusal says what to
do, and the agenda keeps its order."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from inquiry.tests.factories import make_round
from schools.models import Unavailability
from teams.models import TeamKind
from teams.services import (
    MOST_MEETINGS,
    agenda_item_add,
    agenda_item_move,
    meeting_problems,
    meetings_schedule,
    parking_lot_add,
    team_save,
)
from teams.tests.factories import make_team

from .helpers import next_monday, slot

pytestmark = pytest.mark.django_db


def test_a_team_is_never_saved_without_members(personas):
    with pytest.raises(ValidationError, match="at least one member"):
        team_save(
            school=personas.school,
            name="Empty",
            kind=TeamKind.OTHER,
            members=[],
            facilitators=[],
            by=personas.principal,
            by_manager=True,
        )


def test_a_facilitator_can_hand_over_and_stay_a_member(personas):
    team = make_team(
        personas.school, "Pair", members=[personas.bystander], facilitators=[personas.teacher]
    )
    team_save(
        school=personas.school,
        name="Pair",
        kind=TeamKind.OTHER,
        members=[personas.teacher],
        facilitators=[personas.bystander],
        by=personas.principal,
        by_manager=True,
        team=team,
    )
    assert dict(team.members.values_list("person__username", "is_facilitator")) == {
        "teacher": False,
        "bystander": True,
    }


def test_every_problem_with_a_series_is_named_at_once(personas):
    team = make_team(personas.school, "Pair", members=[personas.bystander, personas.teacher])
    mon3 = slot(personas, "Mon", "3")
    Unavailability.objects.create(person=personas.bystander, slot=mon3, reason="Bus duty")
    term = personas.school.terms.get()
    term.starts_on, term.ends_on = date(2026, 1, 5), date(2026, 1, 30)
    term.save()
    problems = meeting_problems(team=team, slot=mon3, dates=[date(2026, 2, 2)])
    assert problems == [
        "Mon Feb 2 is outside the term (Current term).",
        "Bo Stander has bus duty in Mon period 3.",
    ]
    assert "No date falls" in meeting_problems(team=team, slot=mon3, dates=[])[0]
    many = [date(2026, 1, 5) + timedelta(weeks=w) for w in range(MOST_MEETINGS + 1)]
    assert any("more than" in p for p in meeting_problems(team=team, slot=mon3, dates=many))
    nobody = make_team(personas.school, "Nobody", members=[])
    assert meeting_problems(team=nobody, slot=mon3, dates=[date(2026, 1, 5)]) == [
        "The team has no members yet: add its members first."
    ]


def test_blocks_after_the_protocol_change_places_with_one_another(personas):
    cycle, _ = make_round(personas)
    team = make_team(personas.school, "Pair", members=[personas.bystander])
    period = slot(personas, "Mon", "3")
    period.starts_at, period.ends_at = time(10, 0), time(10, 50)
    period.save()
    [meeting] = meetings_schedule(
        team=team, slot=period, dates=[next_monday()], by=personas.bystander
    )
    first = agenda_item_add(meeting=meeting, kind="pre_brief", cycle=cycle, minutes=10)
    second = agenda_item_add(meeting=meeting, kind="debrief", cycle=cycle, minutes=10)
    agenda_item_move(item=second, up=True)
    assert list(meeting.agenda.order_by("position")) == [second, first]
    agenda_item_move(item=second, up=True)  # already first: nothing moves
    assert list(meeting.agenda.order_by("position")) == [second, first]
    assert first.title == "Pre-brief: Student discourse"
    with pytest.raises(ValidationError, match="Choose the protocol"):
        agenda_item_add(meeting=meeting, kind="protocol", minutes=10)
    with pytest.raises(ValidationError, match="Choose the observation cycle"):
        agenda_item_add(meeting=meeting, kind="debrief", minutes=10)
    with pytest.raises(ValidationError, match="how many minutes"):
        agenda_item_add(meeting=meeting, kind="debrief", cycle=cycle)
    with pytest.raises(ValidationError, match="Write what"):
        parking_lot_add(team=team, text="  \n ", by=personas.bystander)
