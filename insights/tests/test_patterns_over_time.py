"""A principal (in no round) reads the school's patterns over time, by improvement goal and by
problem of practice, for a range of dates or a term: groups add up whole cycles' shown
numbers, a cycle over fewer than k teachers adds nothing, and the page counts in the
database with the same queries for one cycle or many."""

import uuid
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiry.models import Cycle, LookFor
from inquiry.services import cycle_start, look_for_add
from schools.models import ImprovementGoal, Section, Slot, Term
from schools.tests.factories import make_person
from visits.models import Evidence, Visit, VisitClassroom

pytestmark = pytest.mark.django_db
PAGE = "/schools/lincoln/patterns/"
ASKING = "Students ask each other questions"


def cycle_of(personas, title: str, *, goal=None, problem: str = "") -> tuple[Cycle, LookFor]:
    cycle = cycle_start(school=personas.school, structure="rounds", title=title, by=personas.coach)
    cycle.improvement_goal, cycle.problem_of_practice = goal, problem
    cycle.save()
    return cycle, look_for_add(cycle=cycle, text=ASKING, kind="oral")


def visited(cycle: Cycle, hosts, look_for: LookFor, *, on: date, taps: int = 1, talk=None) -> None:
    """A visit on a day to these hosts' classrooms: look-for taps, and talk time if given."""
    slot, section, author = Slot.objects.first(), Section.objects.first(), cycle.created_by
    assert slot and section and author, "the personas' school has a schedule; a coach made it"
    visit = Visit.objects.create(cycle=cycle, date=on, slot=slot)
    for host in hosts:
        room = VisitClassroom.objects.create(visit=visit, host=host, section=section)
        kinds = [("look_for", {"look_for": look_for})] * taps
        if talk:
            kinds.append(("talk_time", dict(zip(SECONDS, talk, strict=True))))
        for kind, fields in kinds:
            Evidence.objects.create(
                id=uuid.uuid4(),
                classroom=room,
                author=author,
                kind=kind,
                recorded_at=datetime.now(UTC),
                fingerprint="-",
                **fields,
            )


SECONDS = ("teacher_talk_seconds", "student_talk_seconds", "silence_seconds")


@pytest.fixture
def year(personas):
    """Two terms; two cycles serving one goal (fall and spring), one of them over only two
    teachers (not shown, and not added), and a spring cycle serving no goal."""
    hosts = [make_person(f"host{i}", personas.school, "teacher") for i in range(4)]
    Term.objects.create(
        school=personas.school, name="Fall", starts_on=date(2030, 9, 1), ends_on=date(2031, 1, 31)
    )
    Term.objects.create(
        school=personas.school, name="Spring", starts_on=date(2031, 2, 1), ends_on=date(2031, 6, 30)
    )
    goal = ImprovementGoal.objects.create(school=personas.school, title="Every student talks math")
    fall, lf = cycle_of(personas, "Fall rounds", goal=goal, problem="Few students explain")
    visited(fall, hosts[:3], lf, on=date(2030, 10, 7), taps=2, talk=(60, 30, 10))
    small, lf_small = cycle_of(
        personas, "Two classrooms", goal=goal, problem="Few students explain"
    )
    visited(small, hosts[:2], lf_small, on=date(2031, 3, 2), taps=5)
    spring, lf_spring = cycle_of(personas, "Spring walk", problem="Questions stay with the teacher")
    visited(spring, hosts, lf_spring, on=date(2031, 3, 9), taps=1, talk=(20, 70, 10))
    return personas


def test_cycles_serving_one_goal_add_up_only_what_each_shows(client, year):
    client.force_login(year.principal)
    html = client.get(PAGE).content.decode()
    goal = html[html.index('id="goal-h"') : html.index('id="problem-h"')]
    mine = goal[goal.index("Every student talks math") : goal.index("No improvement goal named")]
    assert (
        "1 cycle shown; 1 with fewer than 3 teachers' classrooms, not shown and not added" in mine
    )
    assert f'<th scope="row">{ASKING}</th><td>6</td>' in mine  # 3 classrooms × 2, not + 2 × 5
    assert "Talk time: teacher 60%, students 30%, silence 10%." in mine
    others = goal[goal.index("No improvement goal named") :]
    assert f'<th scope="row">{ASKING}</th><td>4</td>' in others


def test_patterns_over_time_put_each_cycle_in_the_term_of_its_first_visit(client, year):
    client.force_login(year.principal)
    html = client.get(PAGE).content.decode()
    over_time = html[html.index('id="time-h"') : html.index('id="goal-h"')]
    assert over_time.index(">Fall<") < over_time.index(">Spring<")
    assert (
        f'<tr><th scope="row">{ASKING}</th><td class="num">6</td><td class="num">4</td></tr>'
        in over_time
    )
    assert "Spring: 1 cycle shown, 1 not shown" in over_time
    assert '<span class="num">30</span>' in over_time and '<span class="num">70</span>' in over_time


def test_dates_choose_whole_cycles_whose_numbers_stay_the_same(client, year):
    client.force_login(year.principal)
    spring = client.get(PAGE, {"from": "2031-02-01", "to": "2031-06-30"}).content.decode()
    assert "Fall rounds" not in spring and "Spring walk" in spring
    term = Term.objects.get(name="Spring")
    assert client.get(PAGE, {"term": term.pk}).content.decode().count("Fall rounds") == 0
    everything = client.get(PAGE).content.decode()
    walk = everything[everything.index("Spring walk") :]
    assert "4 teachers' classrooms." in walk[:800] and "4 teachers' classrooms." in spring


@pytest.mark.parametrize(
    "query",
    [
        {"from": "yesterday"},
        {"from": "2031-06-30", "to": "2031-02-01"},
        {"term": "x"},
        {"term": "999"},
    ],
)
def test_dates_that_are_not_dates_are_answered_with_a_message(client, year, query):
    client.force_login(year.principal)
    page = client.get(PAGE, query)
    assert page.status_code == 400
    assert "Fall rounds" in page.content.decode()  # every cycle, as without dates


def test_the_page_counts_in_the_database_with_the_same_queries_for_one_cycle_or_many(
    client, personas
):
    hosts = [make_person(f"host{i}", personas.school, "teacher") for i in range(3)]
    client.force_login(personas.principal)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    first, lf = cycle_of(personas, "First")
    visited(first, hosts, lf, on=date(2030, 10, 7))
    one = queries()
    for n in range(3):
        cycle, lf = cycle_of(personas, f"More {n}", problem=f"Problem {n}")
        visited(cycle, hosts, lf, on=date(2030, 11, 1 + n), taps=3)
    assert queries() == one


def test_entries_synced_after_a_read_are_counted_at_the_next_read(client, personas):
    from inquiry.tests.factories import make_round
    from insights.models import ClassroomRollup
    from visits.tests.helpers import entry, sync

    cycle, visit = make_round(personas, held=True)
    room = visit.classrooms.get()
    look_for = cycle.look_fors.first()
    client.force_login(personas.colleague)
    sync(client, visit, [entry(room, look_for=look_for.pk)])
    client.force_login(personas.principal)
    client.get(PAGE)
    assert ClassroomRollup.objects.get(classroom=room).look_fors == {str(look_for.pk): 1}
    client.force_login(personas.colleague)
    sync(client, visit, [entry(room, look_for=look_for.pk), entry(room, kind="note", text="x")])
    client.force_login(personas.principal)
    client.get(PAGE)
    counted = ClassroomRollup.objects.get(classroom=room)
    assert (counted.entries, counted.look_fors) == (3, {str(look_for.pk): 2})
    assert counted.version == counted.counted_version == 2
