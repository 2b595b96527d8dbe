"""The coach places visits in the real master schedule; clashes are refused and named."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiry.services import cycle_start, participants_set
from inquiry.tests.factories import make_round, next_weekday
from schools.models import Meeting, Slot, Unavailability
from visits.models import Visit, VisitStatus
from visits.rules import ObserverPlan, VisitPlan
from visits.scheduling import cycle_problem
from visits.services import visit_schedule

pytestmark = pytest.mark.django_db
MONDAY = next_weekday(0)


@pytest.fixture
def cycle(personas):
    cycle = cycle_start(
        school=personas.school, structure="rounds", title="Rounds", by=personas.coach
    )
    participants_set(
        cycle=cycle,
        observers=[personas.colleague, personas.principal, personas.teacher],
        hosts=[personas.teacher, personas.colleague],
        facilitators=[personas.coach],
    )
    return cycle


def slot(day: str, period: str) -> Slot:
    return Slot.objects.get(day__label=day, period__label=period)


def plan_form(client, cycle, **data):
    return client.post(f"/cycles/{cycle.pk}/visits/", data)


def test_the_picker_offers_only_periods_in_which_every_host_teaches(client, personas, cycle):
    client.force_login(personas.coach)
    page = plan_form(
        client,
        cycle,
        action="check",
        date=MONDAY.isoformat(),
        hosts=[personas.teacher.pk, personas.colleague.pk],
    )
    offered = [c.slot for c in page.context["form"].slot_choices]
    assert offered == [slot("Mon", "2")]  # the only Monday period both teach
    page = plan_form(client, cycle, action="check", hosts=[personas.teacher.pk])
    assert len(page.context["form"].slot_choices) == 4  # all of Ana's lessons, any day


def test_observers_are_marked_free_or_needing_cover_with_who_can_cover(client, personas, cycle):
    client.force_login(personas.coach)
    page = plan_form(
        client,
        cycle,
        action="check",
        date=MONDAY.isoformat(),
        hosts=[personas.teacher.pk],
        slot=slot("Mon", "2").pk,
        observers=[personas.colleague.pk, personas.principal.pk],
    )
    states = {str(a.person): a.state for a in page.context["form"].availability}
    assert states == {"Ben Lee": "needs cover", "principal": "free"}
    cover = page.context["form"].fields[f"cover_{personas.colleague.pk}"]
    names = [label for _, label in cover.choices]
    assert "A substitute" in names and "Bo Stander" in names and "Ana Ortiz" not in names
    assert "coach" not in names and "district" not in names  # the facilitator, a leader


def test_only_teachers_with_no_part_in_the_cycle_cover(personas, cycle):
    lesson = Meeting.objects.get(teacher=personas.teacher, slot=slot("Mon", "2"))
    for cover in (personas.district_leader, personas.coach):
        plan = VisitPlan(
            date=MONDAY,
            slot=lesson.slot,
            classrooms=[(personas.teacher, lesson.section)],
            observers=[ObserverPlan(personas.colleague, covered_by=cover)],
        )
        with pytest.raises(ValidationError, match=f"{cover} cannot cover Ben Lee: covers are"):
            visit_schedule(cycle=cycle, plan=plan)
    problem = cycle_problem(cycle, monday=MONDAY)
    limits = {t.id: t.max_coverages for t in problem.teachers}
    assert limits[str(personas.district_leader.pk)] == limits[str(personas.coach.pk)] == 0
    assert limits[str(personas.bystander.pk)] is None  # the contract's rule applies


def test_a_school_may_add_staff_who_cover_in_its_settings(client, personas, cycle):
    client.force_login(personas.principal)
    page = client.get("/schools/lincoln/settings/").content.decode()
    assert "district" in page and "Bo Stander" not in page  # teachers cover already
    response = client.post(
        "/schools/lincoln/settings/",
        {
            "time_zone": "America/New_York",
            "max_coverages_per_week": 2,
            "max_coverages_per_month": 4,
            "new_teacher_years": 3,
            "cover_staff": [personas.district_leader.pk],
        },
    )
    assert response.status_code == 302
    lesson = Meeting.objects.get(teacher=personas.teacher, slot=slot("Mon", "2"))
    visit = visit_schedule(
        cycle=cycle,
        plan=VisitPlan(
            date=MONDAY,
            slot=lesson.slot,
            classrooms=[(personas.teacher, lesson.section)],
            observers=[ObserverPlan(personas.colleague, covered_by=personas.district_leader)],
        ),
    )
    assert visit.observers.get().covered_by == personas.district_leader


def test_a_group_visit_with_a_covered_observer_is_placed(client, personas, cycle):
    client.force_login(personas.coach)
    response = plan_form(
        client,
        cycle,
        action="place",
        date=MONDAY.isoformat(),
        hosts=[personas.teacher.pk],
        slot=slot("Mon", "2").pk,
        observers=[personas.colleague.pk, personas.principal.pk],
        **{f"cover_{personas.colleague.pk}": str(personas.bystander.pk)},
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert [(r.letter, r.host, r.section.code) for r in visit.classrooms.all()] == [
        ("A", personas.teacher, "MATH7-2")
    ]
    seat = visit.observers.get(person=personas.colleague)
    assert seat.covered_by == personas.bystander


def test_an_observer_who_teaches_needs_someone_to_cover(client, personas, cycle):
    client.force_login(personas.coach)
    response = plan_form(
        client,
        cycle,
        action="place",
        date=MONDAY.isoformat(),
        hosts=[personas.teacher.pk],
        slot=slot("Mon", "2").pk,
        observers=[personas.colleague.pk],
    )
    assert response.status_code == 400
    assert "Ben Lee teaches SCI8-1" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_substitute_may_cover(client, personas, cycle):
    client.force_login(personas.coach)
    plan_form(
        client,
        cycle,
        action="place",
        date=MONDAY.isoformat(),
        hosts=[personas.teacher.pk],
        slot=slot("Mon", "2").pk,
        observers=[personas.colleague.pk],
        **{f"cover_{personas.colleague.pk}": "substitute"},
    )
    assert Visit.objects.get().observers.get().substitute


def test_a_slot_the_host_does_not_teach_is_refused(personas, cycle):
    section = Meeting.objects.filter(teacher=personas.teacher).first().section
    plan = VisitPlan(
        date=MONDAY,
        slot=slot("Mon", "3"),
        classrooms=[(personas.teacher, section)],
        observers=[ObserverPlan(personas.principal)],
    )
    with pytest.raises(ValidationError) as refused:
        visit_schedule(cycle=cycle, plan=plan)
    assert refused.value.messages == [
        f"Ana Ortiz does not teach {section} in Mon period 3: choose a slot in which they teach it."
    ]


def test_the_picker_refuses_a_slot_the_hosts_do_not_share(client, personas, cycle):
    client.force_login(personas.coach)
    response = plan_form(
        client,
        cycle,
        action="place",
        date=MONDAY.isoformat(),
        hosts=[personas.teacher.pk],
        slot=slot("Mon", "3").pk,
        observers=[personas.principal.pk],
    )
    assert response.status_code == 400
    assert "every chosen host teaches" in response.content.decode()


def test_a_double_booked_observer_is_refused_with_the_clash_named(personas, cycle):
    make_round(personas)  # the colleague observes Ana on Monday, period 1
    lesson = Meeting.objects.get(teacher=personas.teacher, slot=slot("Mon", "1"))
    plan = VisitPlan(
        date=MONDAY,
        slot=lesson.slot,
        classrooms=[(personas.teacher, lesson.section)],
        observers=[ObserverPlan(personas.colleague)],
    )
    with pytest.raises(ValidationError) as refused:
        visit_schedule(cycle=cycle, plan=plan)
    assert any(
        "Ben Lee is already observing in “Student discourse”" in m for m in refused.value.messages
    )
    assert Visit.objects.count() == 1


def test_a_cover_who_teaches_or_is_on_duty_is_refused(personas, cycle):
    lesson = Meeting.objects.get(teacher=personas.teacher, slot=slot("Mon", "2"))
    Unavailability.objects.create(person=personas.bystander, slot=lesson.slot, reason="Lunch duty")
    plan = VisitPlan(
        date=MONDAY,
        slot=lesson.slot,
        classrooms=[(personas.teacher, lesson.section)],
        observers=[ObserverPlan(personas.colleague, covered_by=personas.bystander)],
    )
    with pytest.raises(ValidationError, match="Bo Stander has lunch duty then and cannot cover"):
        visit_schedule(cycle=cycle, plan=plan)


def test_a_date_on_another_weekday_is_refused(personas, cycle):
    lesson = Meeting.objects.get(teacher=personas.teacher, slot=slot("Mon", "1"))
    plan = VisitPlan(
        date=next_weekday(1),
        slot=lesson.slot,
        classrooms=[(personas.teacher, lesson.section)],
        observers=[ObserverPlan(personas.principal)],
    )
    with pytest.raises(ValidationError, match="is not a Mon"):
        visit_schedule(cycle=cycle, plan=plan)


@pytest.mark.parametrize(
    "junk",
    [
        {"date": "not a date", "slot": "abc", "hosts": ["x"], "observers": ["999999"]},
        {"date": "2026-02-30", "hosts": ["-1"], "cover_1": "<script>"},
        {"slot": "99999999999999999999", "observers": [""]},
    ],
)
def test_junk_in_the_picker_gets_messages_not_a_server_error(client, personas, cycle, junk):
    client.force_login(personas.coach)
    response = plan_form(client, cycle, action="place", **junk)
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_moving_a_visit_rechecks_it_and_bumps_its_calendar_sequence(client, personas):
    _, visit = make_round(personas)
    client.force_login(personas.coach)
    lesson = Meeting.objects.get(teacher=personas.teacher, slot=slot("Tue", "1"))
    response = client.post(
        f"/visits/{visit.pk}/change/",
        {
            "action": "place",
            "date": next_weekday(1).isoformat(),
            "hosts": [personas.teacher.pk],
            "slot": lesson.slot.pk,
            "observers": [personas.colleague.pk],
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.slot, visit.sequence) == (lesson.slot, 1)


def test_cancelling_a_visit_keeps_it_marked_cancelled(client, personas):
    _, visit = make_round(personas)
    client.force_login(personas.coach)
    client.post(f"/visits/{visit.pk}/cancel/")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED


def test_my_upcoming_visits_on_the_home_page(client, personas):
    make_round(personas)
    client.force_login(personas.colleague)
    page = client.get("/").content.decode()
    assert "Observing" in page and "Student discourse" in page
    client.force_login(personas.teacher)
    assert "Hosting" in client.get("/").content.decode()


def test_the_home_page_takes_the_same_queries_for_one_visit_or_many(client, personas):
    cycle, _ = make_round(personas)
    client.force_login(personas.colleague)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    one = count()
    lesson = Meeting.objects.get(teacher=personas.teacher, slot=slot("Mon", "1"))
    for weeks in (1, 2, 3):
        visit_schedule(
            cycle=cycle,
            plan=VisitPlan(
                date=MONDAY + timedelta(weeks=weeks),
                slot=lesson.slot,
                classrooms=[(personas.teacher, lesson.section)],
                observers=[ObserverPlan(personas.colleague)],
            ),
        )
    assert count() == one


@pytest.mark.parametrize("far", ["0001-01-01", "9999-12-31"])
def test_a_date_centuries_away_is_refused_with_a_message(client, personas, cycle, far):
    client.force_login(personas.coach)
    response = plan_form(
        client,
        cycle,
        action="place",
        date=far,
        hosts=[personas.teacher.pk],
        slot=slot("Mon", "2").pk,
        observers=[personas.principal.pk],
    )
    assert response.status_code == 400
    assert "Choose a date within 3 years of today." in response.content.decode()
    proposed = client.post(f"/cycles/{cycle.pk}/proposals/", {"monday": far})
    assert proposed.status_code == 400 and not Visit.objects.exists()
    assert "Choose a date within 3 years of today." in proposed.content.decode()


def test_an_odd_visit_number_on_the_goal_page_is_ignored(client, personas):
    cycle, _ = make_round(personas)
    client.force_login(personas.colleague)
    assert client.get(f"/cycles/{cycle.pk}/goal/", {"visit": "²"}).status_code == 200


def test_a_visit_is_not_placed_over_a_team_meeting(personas, cycle):
    from teams.tests.factories import make_team

    lesson = Meeting.objects.get(teacher=personas.teacher, slot=slot("Mon", "1"))
    team = make_team(personas.school, "Grade 7", members=[personas.colleague])
    team.meetings.create(date=MONDAY, slot=lesson.slot)
    plan = VisitPlan(
        date=MONDAY,
        slot=lesson.slot,
        classrooms=[(personas.teacher, lesson.section)],
        observers=[ObserverPlan(personas.colleague)],
    )
    with pytest.raises(ValidationError, match="Grade 7"):
        visit_schedule(cycle=cycle, plan=plan)
    team.meetings.update(status="cancelled")
    assert visit_schedule(cycle=cycle, plan=plan).status == VisitStatus.SCHEDULED


def test_the_scheduler_counts_a_team_meeting_as_busy(personas, cycle):
    from teams.tests.factories import make_team

    free = slot("Mon", "3")
    team = make_team(personas.school, "Grade 7", members=[personas.colleague])
    team.meetings.create(date=MONDAY, slot=free)
    problem = cycle_problem(cycle, monday=MONDAY)
    busy = {(u.teacher, u.day, u.period) for u in problem.unavailable}
    assert (str(personas.colleague.pk), "Mon", "3") in busy
