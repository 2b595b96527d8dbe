"""`make_*` helpers that build schools, people and schedules for tests."""

from pathlib import Path

from django.contrib.auth.hashers import make_password

from rosters.schedule_csv import read_schedule_csv
from schools.models import District, Membership, Person, School, SourceId
from schools.services import schedule_apply

# Real, public data for tests: ../shared/data beside the repository, as on CI.
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

PASSWORD = "a-long-test-password"
_HASH = make_password(PASSWORD)

# Lincoln's teacher and a colleague: a two-day, three-period week with planning periods.
HEADER_ROW = "teacher_id,teacher_name,day,period,section,course,subject,grade,room\n"
SMALL_SCHEDULE = (
    HEADER_ROW
    + """\
teacher,Ana Ortiz,Mon,1,MATH7-1,Math 7,math,7,101
teacher,Ana Ortiz,Mon,2,MATH7-2,Math 7,math,7,101
teacher,Ana Ortiz,Tue,1,MATH7-1,Math 7,math,7,101
teacher,Ana Ortiz,Tue,2,MATH7-2,Math 7,math,7,101
colleague,Ben Lee,Mon,2,SCI8-1,Science 8,science,8,202
colleague,Ben Lee,Mon,3,SCI8-2,Science 8,science,8,202
colleague,Ben Lee,Tue,3,SCI8-1,Science 8,science,8,202
"""
)


def make_district(slug: str = "riverbend") -> District:
    return District.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]


def make_school(slug: str, *, district: District | None = None) -> School:
    return School.objects.create(
        district=district or make_district(), slug=slug, name=f"{slug.title()} School"
    )


def make_person(username: str, school: School | None = None, *roles: str, **fields) -> Person:
    person = Person.objects.create(
        username=username, password=_HASH, email=f"{username}@example.org", **fields
    )
    for role in roles:
        assert school is not None, "a role is held at a school"
        Membership.objects.create(person=person, school=school, role=role)
    if school is not None and "teacher" in roles:
        SourceId.objects.create(school=school, person=person, value=username)
    return person


def make_schedule(school: School, csv_text: str = SMALL_SCHEDULE, bell_text: str | None = None):
    data = read_schedule_csv(
        csv_text.encode(),
        "schedule.csv",
        bell=bell_text.encode() if bell_text is not None else None,
    )
    return schedule_apply(school=school, data=data, allow_removals=True)
