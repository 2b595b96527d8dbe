"""The master schedule as a grid, filtered, and one teacher's week with free periods marked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rosters.schedule_csv import read_schedule_csv
from schools.models import Slot, Unavailability
from schools.services import schedule_apply
from schools.tests.factories import HEADER_ROW, SHARED_DATA, make_person, make_school

pytestmark = pytest.mark.django_db
DATA = SHARED_DATA / "schedules"


def test_a_teacher_sees_the_grid_with_free_periods(client, personas):
    client.force_login(personas.teacher)
    page = client.get("/schools/lincoln/schedule/").content.decode()
    assert "Ana Ortiz" in page and "Ben Lee" in page
    assert "MATH7-1 · 101" in page
    # Ana, Ben and Bo (who teaches nothing this term) × 6 slots − 7 lessons
    assert page.count('<td class="free">Free</td>') == 3 * 6 - 7


def test_one_day_shows_only_that_days_periods(client, personas):
    client.force_login(personas.teacher)
    grid = client.get("/schools/lincoln/schedule/", {"day": "Tue"}).context["grid"]
    assert [s.day.label for s in grid.slots] == ["Tue"] * 3


def test_filters_by_subject_and_grade(client, personas):
    client.force_login(personas.coach)
    by_subject = client.get("/schools/lincoln/schedule/", {"subject": "science"}).context["grid"]
    assert [str(row.teacher) for row in by_subject.rows] == ["Ben Lee"]
    by_grade = client.get("/schools/lincoln/schedule/", {"grade": "7"}).context["grid"]
    assert [str(row.teacher) for row in by_grade.rows] == ["Ana Ortiz"]
    assert by_grade.subjects == ["math", "science"] and by_grade.grades == ["7", "8"]


def test_a_grade_list_matches_each_of_its_grades(client):
    school = make_school("lincoln")
    coach = make_person("coach", school, "coach")
    rows = HEADER_ROW + 'T1,Ana Ortiz,Mon,1,7A,,math,"9,10",\n'
    schedule_apply(school=school, data=read_schedule_csv(rows.encode(), "s.csv"))
    client.force_login(coach)
    grid = client.get("/schools/lincoln/schedule/", {"grade": "10"}).context["grid"]
    assert [str(row.teacher) for row in grid.rows] == ["Ana Ortiz"]


def test_a_teachers_week_marks_free_periods_and_duties(client, personas):
    slot = Slot.objects.get(day__label="Tue", period__label="3")
    Unavailability.objects.create(person=personas.teacher, slot=slot, reason="Hall duty")
    client.force_login(personas.colleague)
    page = client.get(f"/schools/lincoln/teachers/{personas.teacher.pk}/")
    week = page.context["week"]
    assert week.free_count == 6 - 4 - 1
    html = page.content.decode()
    assert "Hall duty" in html and "Free (planning)" in html


def test_the_grid_of_the_largest_school_takes_the_same_queries_as_a_small_one(client):
    def queries_for(slug: str, csv: bytes) -> int:
        school = make_school(slug)
        viewer = make_person(f"coach-{slug}", school, "coach")
        schedule_apply(school=school, data=read_schedule_csv(csv, f"{slug}.csv"))
        client.force_login(viewer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/schools/{slug}/schedule/")
        assert response.status_code == 200
        return len(queries)

    small = queries_for("small", (HEADER_ROW + "T1,,Mon,1,7A,,,,\n").encode())
    largest = queries_for("largest", (DATA / "KS-PR-11.csv").read_bytes())
    assert largest == small


def test_the_schedule_downloads_as_a_csv_that_imports_again(client, personas):
    client.force_login(personas.teacher)
    response = client.get("/schools/lincoln/schedule.csv")
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "text/csv"
    again = read_schedule_csv(body, "lincoln-schedule.csv")
    assert len(again.meetings) == 7
    assert set(again.teachers) == {"teacher", "colleague"}


def test_the_principal_sets_the_contracts_coverage_limits(client, personas):
    client.force_login(personas.principal)
    response = client.post(
        "/schools/lincoln/settings/",
        {
            "time_zone": "America/Chicago",
            "max_coverages_per_week": 1,
            "max_coverages_per_month": 3,
            "new_teacher_years": 2,
        },
    )
    assert response.status_code == 302
    personas.school.refresh_from_db()
    assert (personas.school.time_zone, personas.school.max_coverages_per_month) == (
        "America/Chicago",
        3,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus", "is not a time zone name"),
        ("max_coverages_per_month", 0, "at least as many as a week"),
        ("max_coverages_per_week", -1, "greater than or equal to 0"),
    ],
)
def test_impossible_settings_are_refused(client, personas, field, value, message):
    client.force_login(personas.principal)
    data = {
        "time_zone": "America/Chicago",
        "max_coverages_per_week": 1,
        "max_coverages_per_month": 3,
        "new_teacher_years": 2,
        field: value,
    }
    response = client.post("/schools/lincoln/settings/", data)
    assert response.status_code == 400 and message in response.content.decode()
