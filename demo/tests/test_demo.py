"""The Riverbend demo district: the people the printed logins promise, a schedule in which
visits are possible, and a loader that can run twice."""

from collections import defaultdict

import pytest
from django.apps import apps
from django.contrib.auth import authenticate

from demo.district import DAYS, PERIODS, demo_password, demo_schedule, demo_schools
from demo.load import demo_load
from schools.models import Meeting, Membership, Person, Role, School, Slot, Unavailability


@pytest.fixture
def demo() -> list[tuple[str, str, str]]:
    return demo_load()


def roles_of(username: str, slug: str) -> set[str]:
    return set(
        Membership.objects.filter(person__username=username, school__slug=slug).values_list(
            "role", flat=True
        )
    )


def staff_count(slug: str) -> int:
    return Person.objects.filter(memberships__school__slug=slug).distinct().count()


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model._default_manager.count()
        for model in apps.get_app_config("schools").get_models()
    }


def test_the_demo_is_the_same_on_every_call():
    assert demo_schools() == demo_schools()


def test_every_demo_teacher_teaches_five_of_seven_periods_and_has_a_duty_only_when_free():
    for school in demo_schools():
        for teacher in school.teachers:
            assert len(teacher.teaching_periods) == 5
            assert teacher.planning_period != teacher.free_period
            if teacher.duty:
                assert teacher.duty.period == teacher.free_period


def test_grade_7_math_and_science_teachers_at_lincoln_share_a_planning_period():
    lincoln = demo_schools()[0]
    planning = {
        t.planning_period
        for t in lincoln.teachers
        if t.grade == "7" and t.subject in {"math", "science"}
    }
    assert planning == {"3"}


def test_the_demo_schedule_is_a_five_day_seven_period_week_with_bells():
    data = demo_schedule(demo_schools()[0])
    assert data.days == DAYS
    assert data.periods == PERIODS
    assert len(data.bell) == 35
    assert not data.combined_classes()


@pytest.mark.django_db
def test_the_two_schools_have_about_40_and_25_staff(demo):
    assert School.objects.get(slug="lincoln").district.slug == "riverbend"
    assert 36 <= staff_count("lincoln") <= 44
    assert 22 <= staff_count("roosevelt") <= 28


@pytest.mark.django_db
def test_the_printed_logins_have_the_roles_they_promise(demo):
    assert roles_of("principal", "lincoln") == {Role.PRINCIPAL}
    assert roles_of("coach", "lincoln") == {Role.COACH, Role.FACILITATOR}
    assert roles_of("district", "lincoln") == {Role.DISTRICT_LEADER}
    assert roles_of("teacher1", "lincoln") == {Role.TEACHER}
    assert roles_of("outsider", "roosevelt") == {Role.TEACHER}
    assert roles_of("outsider", "lincoln") == set()
    assert roles_of("roosevelt-principal", "roosevelt") == {Role.PRINCIPAL}
    assert {username for username, _, _ in demo} >= {"principal", "coach", "district", "teacher1"}


@pytest.mark.django_db
def test_every_demo_account_signs_in_with_the_demo_password(demo):
    for username in ("principal", "coach", "district", "teacher1", "teacher36", "outsider"):
        person = authenticate(username=username, password=demo_password())
        assert person is not None and person.username == username
        assert person.email == f"{username}@riverbend.example.org"


@pytest.mark.django_db
def test_principal_coach_and_district_leader_teach_nothing(demo):
    assert not Meeting.objects.filter(teacher__username__in=["principal", "coach", "district"])


@pytest.mark.django_db
def test_teachers_have_years_of_experience_both_new_and_experienced(demo):
    teachers = Person.objects.filter(memberships__role=Role.TEACHER).distinct()
    years = [p.years_of_experience for p in teachers]
    assert None not in years
    assert any(y <= 3 for y in years) and any(y >= 4 for y in years)


@pytest.mark.django_db
def test_every_lincoln_teacher_is_free_at_least_once_every_day(demo):
    busy = defaultdict(set)
    for meeting in Meeting.objects.filter(section__term__school__slug="lincoln"):
        busy[meeting.teacher_id].add(meeting.slot_id)
    for duty in Unavailability.objects.all():
        busy[duty.person_id].add(duty.slot_id)
    slots = Slot.objects.filter(term__school__slug="lincoln").select_related("day")
    teachers = Person.objects.filter(
        memberships__school__slug="lincoln", memberships__role=Role.TEACHER
    )
    assert teachers.count() >= 30
    for teacher in teachers:
        for day in DAYS:
            day_slots = {s.pk for s in slots if s.day.label == day}
            assert len(day_slots) == 7
            assert day_slots - busy[teacher.pk], f"{teacher.username} is never free on {day}"


@pytest.mark.django_db
def test_duties_fall_only_in_slots_where_the_teacher_is_free(demo):
    duties = Unavailability.objects.all()
    assert duties.exists()
    for duty in duties:
        assert not Meeting.objects.filter(teacher=duty.person, slot=duty.slot).exists()


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_no_row_counts(demo):
    before = row_counts()
    assert demo_load() == demo
    assert row_counts() == before
