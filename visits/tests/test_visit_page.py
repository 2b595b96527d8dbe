"""The visit page gives each person what they need before walking in: when and in which room,
the problem of practice, and each host's pre-brief; the host writes theirs one tap away. A
cover sees only the class, the room and the time. "Debrief" and "Set my goal" come once the
visit has started."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inquiry.models import Cycle
from inquiry.services import pre_brief_save
from inquiry.stages import visit_started
from visits.models import Visit
from visits.tests.test_calendars_and_emails import a_cycle, ben_observes_ana

pytestmark = pytest.mark.django_db

PROBLEM = "How do students justify their answers?"
PRE_BRIEF = ["Partner talk about fractions", "Sit at the back", "Who explains"]


def a_lab_visit(personas, *, pre_brief: bool = True) -> Visit:
    """A lab (it asks for pre-briefs): Ben observes Ana's MATH7-2 in room 101 while Bo
    covers his SCI8-1 in room 202."""
    cycle = a_cycle(personas, "lab")
    if pre_brief:
        pre_brief_save(
            cycle=cycle,
            host=personas.teacher,
            instructional_goal=PRE_BRIEF[0],
            expectations=PRE_BRIEF[1],
            focus=PRE_BRIEF[2],
        )
    return ben_observes_ana(personas, cycle)


def page_of(client, person, visit: Visit) -> str:
    client.force_login(person)
    response = client.get(f"/visits/{visit.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def pre_brief_link(visit: Visit, host) -> str:
    return f'href="/cycles/{visit.cycle_id}/pre-briefs/{host.pk}/"'


def test_an_observer_sees_the_time_room_problem_of_practice_and_pre_brief(client, personas):
    visit = a_lab_visit(personas)
    page = page_of(client, personas.colleague, visit)
    assert "09:00–09:50" in page and "Room 101" in page
    assert PROBLEM in page
    for answer in PRE_BRIEF:
        assert answer in page, answer
    assert "Capture evidence" in page
    assert pre_brief_link(visit, personas.teacher) not in page  # not theirs to write


def test_a_facilitator_reads_the_pre_brief_and_may_edit_it_with_the_host(client, personas):
    visit = a_lab_visit(personas)
    page = page_of(client, personas.coach, visit)
    assert PROBLEM in page and "Room 101" in page
    for answer in PRE_BRIEF:
        assert answer in page, answer
    assert "Edit it with Ana Ortiz" in page and pre_brief_link(visit, personas.teacher) in page
    assert "Move or change" in page


def test_a_host_writes_their_pre_brief_one_tap_from_the_visit(client, personas):
    visit = a_lab_visit(personas, pre_brief=False)
    page = page_of(client, personas.teacher, visit)
    assert "Write my pre-brief" in page and pre_brief_link(visit, personas.teacher) in page
    assert "Pre-brief not written yet" in page
    assert PROBLEM in page and "Room 101" in page

    pre_brief_save(
        cycle=visit.cycle,
        host=personas.teacher,
        instructional_goal=PRE_BRIEF[0],
        expectations="",
        focus="",
    )
    page = page_of(client, personas.teacher, visit)
    assert "Edit my pre-brief" in page and PRE_BRIEF[0] in page
    assert "Pre-brief not written yet" not in page


def test_a_pre_brief_saved_blank_is_still_to_be_written(client, personas):
    visit = a_lab_visit(personas, pre_brief=False)
    pre_brief_save(
        cycle=visit.cycle, host=personas.teacher, instructional_goal="", expectations="", focus=""
    )
    page = page_of(client, personas.colleague, visit)
    assert "Pre-brief not written yet" in page


def test_a_round_that_asks_for_no_pre_brief_shows_none_to_write(client, personas):
    visit = ben_observes_ana(personas)  # a round: its preset asks for no pre-brief
    page = page_of(client, personas.teacher, visit)
    assert "pre-brief" not in page.lower()
    assert PROBLEM in page and "Room 101" in page


def test_a_visit_without_a_problem_of_practice_says_so_and_the_facilitator_can_write_it(
    client, personas
):
    visit = a_lab_visit(personas)
    Cycle.objects.filter(pk=visit.cycle_id).update(problem_of_practice="")
    page = page_of(client, personas.coach, visit)
    assert "Not written yet." in page
    assert f'href="/cycles/{visit.cycle_id}/focus/"' in page
    observer_page = page_of(client, personas.colleague, visit)
    assert f'href="/cycles/{visit.cycle_id}/focus/"' not in observer_page


def test_a_cover_sees_only_the_class_room_and_time(client, personas):
    visit = a_lab_visit(personas)
    page = page_of(client, personas.bystander, visit)
    assert "Cover SCI8-1 (Science 8) in room 202" in page and "09:00–09:50" in page
    for private in [PROBLEM, *PRE_BRIEF, "Student discourse", "Ana Ortiz", "Room 101"]:
        assert private not in page, private


def test_a_cancelled_visit_says_so_and_offers_no_capture(client, personas):
    from visits.services import visit_cancel

    visit = a_lab_visit(personas)
    visit_cancel(visit=visit)
    page = page_of(client, personas.colleague, visit)
    assert "Cancelled" in page and "Capture evidence" not in page


def test_debrief_and_goal_wait_until_the_visit_starts(client, personas):
    """Before the visit there is nothing to debrief and no goal to set from it: the page offers
    them once the visit's time has come in the school's time zone."""
    visit = a_lab_visit(personas)  # next Monday
    debrief, goal = f'href="/visits/{visit.pk}/debrief/"', "Set my goal"
    ahead = page_of(client, personas.colleague, visit)
    assert debrief not in ahead and goal not in ahead
    assert "Capture evidence" in ahead  # the observer still gets ready to capture

    Visit.objects.filter(pk=visit.pk).update(date=visit.date - timedelta(days=7))
    held = page_of(client, personas.colleague, visit)
    assert debrief in held and goal in held


def test_a_visit_starts_at_its_bell_time_in_the_schools_time_zone(personas):
    visit = Visit.objects.select_related("cycle__school", "slot").get(pk=a_lab_visit(personas).pk)
    zone = ZoneInfo(visit.cycle.school.time_zone)
    bell = datetime.combine(visit.date, visit.slot.starts_at, tzinfo=zone)
    assert not visit_started(visit, bell - timedelta(minutes=1))
    assert visit_started(visit, bell)
    assert visit_started(visit, bell.astimezone(UTC))  # the same moment, told in UTC
