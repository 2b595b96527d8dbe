"""A teacher's hours page counts what they took part in and the learning they report; the
school's facilitators and coaches review reported learning; the district's leaders export the
ledger for posting, exactly as FORMATS.md §4 says, with the same ids every time."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from growth.ledger import LEDGER_COLUMNS
from growth.models import EntryStatus, LedgerEntry
from growth.services import Learning, learning_report, ledger_refresh
from inquiry.tests.factories import make_round
from schools.models import SourceId

pytestmark = pytest.mark.django_db


def report(personas, **fields):
    values = {
        "date": timezone.localdate() - timedelta(days=2),
        "activity": "reading",
        "minutes": 45,
        "title": "Read “Make It Stick”, chapter 3",
        "reflection": "Retrieval practice, every morning",
        **fields,
    }
    return learning_report(
        person=personas.teacher, school=personas.school, learning=Learning(**values)
    )


def test_my_hours_counts_a_visit_once_its_date_has_passed(client, personas):
    cycle, _ = make_round(personas, held=True)
    client.force_login(personas.colleague)
    page = client.get("/hours/")
    assert page.status_code == 200
    assert [e.activity for e in page.context["entries"]] == ["observed"]
    assert page.context["totals"].minutes == cycle.visit_minutes
    assert "Seen by OpenDoors" in page.text
    assert 'href="/hours/transcript/"' in page.text  # the transcript is one click away


def test_a_teacher_reports_other_learning_and_it_counts_as_reported(client, personas):
    client.force_login(personas.teacher)
    day = timezone.localdate() - timedelta(days=1)
    response = client.post(
        "/hours/",
        {
            "activity": "lesson_study",
            "title": "Lesson study: fractions",
            "date": day.isoformat(),
            "minutes": "90",
            "reflection": "Students need number lines",
            "school": personas.school.pk,
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(person=personas.teacher)
    assert (entry.status, entry.minutes, entry.source, entry.credits) == (
        EntryStatus.SELF_REPORTED,
        90,
        "",
        entry.credits.__class__("1.50"),
    )
    page = client.get("/hours/")  # the district does not ask for approval: it counts at once
    assert page.context["totals"].minutes == 90 and page.context["totals"].waiting == 0


@pytest.mark.parametrize(
    ("minutes", "day", "message"),
    [
        ("0", 1, "greater than or equal to 1"),
        ("1441", 1, "less than or equal to 1440"),
        ("30", -3, "Report learning once it happened"),
    ],
)
def test_reported_learning_out_of_bounds_is_refused_with_a_message(
    client, personas, minutes, day, message
):
    client.force_login(personas.teacher)
    response = client.post(
        "/hours/",
        {
            "activity": "reading",
            "title": "A book",
            "date": (timezone.localdate() - timedelta(days=day)).isoformat(),
            "minutes": minutes,
            "school": personas.school.pk,
        },
    )
    assert response.status_code == 400
    assert message in response.text
    assert not LedgerEntry.objects.exists()


def test_a_coach_returns_reported_learning_the_teacher_fixes_and_then_approves_it(client, personas):
    district = personas.school.district
    district.self_reported_needs_approval = True
    district.save()
    entry = report(personas)
    client.force_login(personas.coach)
    queue = client.get("/schools/lincoln/hours/approvals/")
    assert [e for e, _ in queue.context["rows"]] == [entry]
    assert "Retrieval practice" not in queue.text  # the reflection stays the teacher's
    url = f"/schools/lincoln/hours/approvals/{entry.pk}/"
    refused = client.post(url, {f"e{entry.pk}-decision": "return"})
    assert refused.status_code == 400 and "Say what to change" in refused.text
    client.post(url, {f"e{entry.pk}-decision": "return", f"e{entry.pk}-comment": "Add pages"})
    entry.refresh_from_db()
    assert (entry.status, entry.review_comment) == (EntryStatus.RETURNED, "Add pages")

    client.force_login(personas.teacher)
    assert "Add pages" in client.get("/hours/").text
    fixed = client.post(
        f"/hours/{entry.pk}/",
        {
            "activity": "reading",
            "title": "Read “Make It Stick”, chapter 3, pp. 46-66",
            "date": entry.date.isoformat(),
            "minutes": "45",
        },
    )
    assert fixed.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SELF_REPORTED and entry.reviewed_by is None

    client.force_login(personas.coach)
    client.post(url, {f"e{entry.pk}-decision": "approve"})
    entry.refresh_from_db()
    assert (entry.status, entry.reviewed_by) == (EntryStatus.APPROVED, personas.coach)
    client.force_login(personas.teacher)
    assert client.get(f"/hours/{entry.pk}/").context["editable"] is False


def test_the_district_export_gives_formats_columns_and_the_same_ids_again(client, personas):
    _, visit = make_round(personas, held=True)
    ledger_refresh(district=personas.school.district)
    report(personas, title='=HYPERLINK("x")')
    SourceId.objects.filter(school=personas.school, person=personas.colleague).update(value="T-042")
    client.force_login(personas.district_leader)
    counted = client.get("/district/riverbend/hours/")
    assert counted.context["counts"] == {"entries": 4, "people": 3, "unposted": 4}

    first = client.post("/district/riverbend/hours/", {"start": "", "end": ""})
    assert first["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(first.streaming_content).decode())))
    assert tuple(rows[0]) == LEDGER_COLUMNS
    by_person = {row["person_id"]: row for row in rows}
    assert by_person["T-042"]["activity"] == "observed"
    assert by_person["T-042"]["date"] == visit.date.isoformat()
    assert by_person["T-042"]["status"] == "verified"
    reported = next(r for r in rows if r["title"].endswith('("x")'))
    assert reported["title"].startswith("'=")  # a spreadsheet shows it, never runs it
    assert reported["activity"] == "self_reported"
    assert "Retrieval" not in str(rows)  # never a reflection
    assert not LedgerEntry.objects.filter(posted_at__isnull=True).exists()

    again = client.post("/district/riverbend/hours/", {})
    rows_again = list(csv.DictReader(io.StringIO(b"".join(again.streaming_content).decode())))
    assert [r["entry_id"] for r in rows_again] == [r["entry_id"] for r in rows]


def test_a_range_ending_before_it_starts_is_a_clear_message(client, personas):
    client.force_login(personas.district_leader)
    page = client.get("/district/riverbend/hours/?start=2026-05-01&end=2026-04-01")
    assert page.status_code == 400
    assert "before it starts" in page.text


def test_the_command_writes_the_same_file_as_the_page(personas, tmp_path):
    make_round(personas, held=True)
    out = tmp_path / "ledger.csv"
    call_command(
        "hours_ledger", district="riverbend", refresh=True, output=out, stdout=io.StringIO()
    )
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert tuple(rows[0]) == LEDGER_COLUMNS and len(rows) == 4
    call_command("hours_ledger", district="riverbend", output=out, stdout=io.StringIO())
    assert list(csv.reader(out.open(encoding="utf-8"))) == rows


def test_a_facilitator_marks_who_attended_the_debrief_on_its_page(client, personas):
    _, visit = make_round(personas, held=True)
    client.force_login(personas.coach)
    page = client.get(f"/visits/{visit.pk}/debrief/")
    assert "Who attended" in page.text
    ticked = page.context["attendance"].fields["attended"].initial
    assert set(ticked) == {
        personas.teacher.pk,
        personas.colleague.pk,
        personas.vice.pk,
        personas.coach.pk,
    }
    response = client.post(
        f"/visits/{visit.pk}/debrief/",
        {
            "section": "attendance",
            "attendance-attended": [personas.colleague.pk, personas.coach.pk],
            "attendance-minutes": "30",
        },
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.filter(activity="debrief").count() == 2
    assert LedgerEntry.objects.get(person=personas.colleague, activity="debrief").minutes == 30

    client.force_login(personas.colleague)  # an observer sees no form, and cannot post one
    assert client.get(f"/visits/{visit.pk}/debrief/").context["attendance"] is None
    refused = client.post(f"/visits/{visit.pk}/debrief/", {"section": "attendance"})
    assert refused.status_code == 403


def test_my_hours_names_the_district_s_unit_in_words(client, personas):
    district = personas.school.district
    district.credit_unit, district.clock_hours_per_credit = "ceu", 10
    district.save()
    make_round(personas, held=True)
    client.force_login(personas.colleague)
    page = client.get("/hours/")
    assert list(page.context["totals"].credits) == ["CEUs"]
