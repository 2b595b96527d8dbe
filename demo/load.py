"""Writes the demo district (`demo/district.py`) to the database: the district, its
schools, people and roles, and each school's master schedule through the schedule import's
own service. Running it again updates the same rows instead of adding new ones.
"""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from schools.models import (
    District,
    Membership,
    Person,
    Role,
    School,
    Slot,
    SourceId,
    Unavailability,
)
from schools.selectors import term_current
from schools.services import schedule_apply

from .district import (
    DISTRICT_NAME,
    DISTRICT_SLUG,
    DemoLeader,
    DemoSchool,
    DemoTeacher,
    demo_logins,
    demo_password,
    demo_schedule,
    demo_schools,
    email_for,
)


@transaction.atomic
def demo_load() -> list[tuple[str, str, str]]:
    """Create or update the Riverbend district, its people and schedules; return the logins."""
    schools = demo_schools()
    district, _ = District.objects.update_or_create(
        slug=DISTRICT_SLUG, defaults={"name": DISTRICT_NAME}
    )
    # Hashing is slow on purpose; every demo account shares one public password, so one
    # hash serves them all.
    password = make_password(demo_password())
    for demo in schools:
        school, _ = School.objects.update_or_create(
            slug=demo.slug, defaults={"district": district, "name": demo.name}
        )
        for leader in demo.leaders:
            person = person_save(leader, password)
            for role in leader.roles:
                Membership.objects.get_or_create(person=person, school=school, role=role)
        for teacher in demo.teachers:
            teacher_save(school, teacher, password)
        schedule_apply(school=school, data=demo_schedule(demo))
        duties_save(school, demo)
    return demo_logins(schools)


def person_save(person: DemoLeader | DemoTeacher, password: str) -> Person:
    saved, _ = Person.objects.update_or_create(
        username=person.username,
        defaults={
            "first_name": person.given_name,
            "last_name": person.family_name,
            "email": email_for(person.username),
            "years_of_experience": person.years,
            "password": password,
        },
    )
    return saved


def teacher_save(school: School, teacher: DemoTeacher, password: str) -> Person:
    """The teacher, with the source id by which the schedule import will recognise them."""
    person = person_save(teacher, password)
    Membership.objects.get_or_create(person=person, school=school, role=Role.TEACHER)
    SourceId.objects.update_or_create(
        school=school, person=person, defaults={"value": teacher.username}
    )
    return person


def duties_save(school: School, demo: DemoSchool) -> None:
    term = term_current(school)
    for teacher in demo.teachers:
        if teacher.duty is None:
            continue
        slot = Slot.objects.get(
            term=term, day__label=teacher.duty.day, period__label=teacher.duty.period
        )
        Unavailability.objects.update_or_create(
            person=Person.objects.get(username=teacher.username),
            slot=slot,
            defaults={"reason": teacher.duty.reason},
        )
