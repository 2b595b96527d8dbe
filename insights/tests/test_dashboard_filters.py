"""The principal's dashboard for one cycle, one grade or one subject: what each filter counts,
what it hides below k teachers or because it would reveal fewer than k with the school's
number, and the same in the CSV, the PDF and `opendoors report`."""

import csv
import io
from datetime import date

import pytest

from growth.models import Artifact, Goal
from schools.models import LearningActivity, Meeting, Section
from schools.tests.factories import make_person

from .dashboard_data import a_cycle, any_slot_and_section, ledger, visit_on

pytestmark = pytest.mark.django_db

SEPT, OCT, NOV = date(2025, 9, 10), date(2025, 10, 8), date(2025, 11, 12)
RANGE = "?start=2025-09-01&end=2025-11-30"


def teaches(person, school, grade: str, subject: str, code: str) -> None:
    slot, _ = any_slot_and_section(school)
    section = Section.objects.create(term=slot.term, code=code, grade=grade, subject=subject)
    Meeting.objects.create(section=section, teacher=person, slot=slot)


@pytest.fixture
def lincoln(personas):
    """Lincoln's teachers: four teach grade 7, four grade 8, and one nothing this term; five
    teach mostly math, two ELA, and Ben mostly science (Ana and Ben also keep their classes
    of the personas' schedule). In September the four grade-7 teachers
    host; in October only Ana (grade 7) hosts; in November three grade-7 teachers and one
    grade-8 teacher host."""
    school = personas.school
    extra = [
        make_person(f"t{n}", school, "teacher", first_name="Zed", last_name=f"Ex{n}")
        for n in range(6)
    ]
    seventh = [personas.teacher, personas.bystander, extra[0], extra[1]]
    eighth = [personas.colleague, extra[2], extra[3], extra[4]]
    for n, person in enumerate(seventh):
        teaches(person, school, "7", "math" if n % 2 else "ELA", f"7-{n}")
    for n, person in enumerate(eighth):
        teaches(person, school, "8", "math" if n % 2 else "ELA", f"8-{n}")
    cycle = a_cycle(school, personas.coach)
    for host in seventh:
        visit_on(cycle, SEPT, [host], [personas.colleague], covered_by=extra[5])
        ledger(host, school, SEPT, LearningActivity.HOSTED)
    visit_on(cycle, OCT, [personas.teacher], [personas.colleague])
    for host in [*seventh[:3], eighth[0]]:
        visit_on(cycle, NOV, [host], [extra[5]])
    personas.cycle = cycle
    return personas


def page(client, who, query: str):
    client.force_login(who)
    return client.get("/schools/lincoln/dashboard/" + RANGE + query)


def visits_row(response):
    return response.context["sections"]["participation"][3]


def test_the_principal_chooses_a_grade_taught_by_at_least_k_teachers(client, lincoln):
    response = page(client, lincoln.principal, "")
    form = response.context["filter_form"]
    assert list(form.fields["grade"].choices) == [("", "All"), ("7", "Grade 7"), ("8", "Grade 8")]
    # Two teachers of ELA are fewer than k: no filter of its own.
    assert list(form.fields["subject"].choices) == [("", "All"), ("math", "math")]
    assert (str(lincoln.cycle.pk), lincoln.cycle.title) in form.fields["cycle"].choices


def test_grade_7_counts_its_teachers_classrooms_and_the_rest_of_the_school_stays_safe(
    client, lincoln
):
    response = page(client, lincoln.principal, "&grade=7")
    assert response.status_code == 200
    visits = visits_row(response)
    # September: four grade-7 classrooms. October: Ana alone. November: three grade-7
    # classrooms would leave one grade-8 classroom behind the school's four: not shown.
    assert [c.text for c in visits.cells] == ["4", "–", "–"]
    assert [c.note for c in visits.cells] == [
        "",
        "not shown: fewer than 3 teachers",
        "not shown: would reveal fewer than 3 teachers",
    ]
    assert visits.total == "4"
    html = response.content.decode()
    assert "Grade 7</strong> only" in html
    assert "not shown: would reveal fewer than 3 teachers" in html
    # The unfiltered page shows November's four: grade 7 and grade 8 cannot be subtracted.
    whole = visits_row(page(client, lincoln.principal, ""))
    assert [c.text for c in whole.cells] == ["4", "–", "4"]


def test_grade_8_shows_a_zero_where_nobody_of_it_took_part(client, lincoln):
    visits = visits_row(page(client, lincoln.principal, "&grade=8"))
    assert [c.text for c in visits.cells] == ["0", "0", "–"]


def test_a_share_is_of_the_grade_s_teachers_and_needs_k_on_each_side(client, lincoln):
    response = page(client, lincoln.principal, "&grade=7")
    hosted = response.context["sections"]["participation"][0]
    # All four grade-7 teachers hosted in September: none who did not, so not shown.
    assert [c.text for c in hosted.cells] == ["–", "–", "–"]
    assert "Of the 4 teachers in Grade 7" in response.content.decode()


def test_a_cycle_counts_its_own_activity_and_no_share_of_teachers(client, lincoln):
    response = page(client, lincoln.principal, f"&cycle={lincoln.cycle.pk}")
    assert [c.text for c in visits_row(response).cells] == ["4", "–", "4"]
    hosted = response.context["sections"]["participation"][0]
    assert not any(c.shown for c in hosted.cells)
    assert hosted.cells[0].note.startswith("not counted by cycle")


@pytest.mark.parametrize(
    "query,message",
    [
        ("&grade=5", "Select a valid choice"),
        ("&cycle=abc", "Select a valid choice"),
        ("&grade=7&subject=math", "Choose one filter at a time"),
    ],
)
def test_a_filter_the_school_does_not_offer_answers_with_a_message_and_the_whole_school(
    client, lincoln, query, message
):
    response = page(client, lincoln.principal, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["filter"] is None
    assert [c.text for c in visits_row(response).cells] == ["4", "–", "4"]


def test_the_csv_names_the_filter_and_why_a_number_is_blank(client, lincoln):
    client.force_login(lincoln.principal)
    response = client.get("/schools/lincoln/dashboard/report.csv" + RANGE + "&grade=7")
    assert "grade-7" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["filter"] for r in rows} == {"Grade 7"}
    visits = {r["month"]: r for r in rows if r["measure"] == "visits"}
    assert visits["2025-09"]["value"] == "4"
    assert visits["2025-11"]["note"] == "not shown: would reveal fewer than 3 teachers"
    assert visits["total"]["value"] == "4"


def test_the_page_s_download_links_keep_the_filter(client, lincoln):
    html = page(client, lincoln.principal, "&subject=math").content.decode()
    assert "report.csv?start=2025-09-01&amp;end=2025-11-30&amp;subject=math" in html


def test_the_pdf_under_a_filter_downloads(client, lincoln):
    client.force_login(lincoln.principal)
    response = client.get("/schools/lincoln/dashboard/report.pdf" + RANGE + "&grade=8")
    assert response.content.startswith(b"%PDF")


def test_the_report_command_takes_a_filter_and_refuses_one_the_school_does_not_offer(
    lincoln, tmp_path
):
    from django.core.management import CommandError, call_command

    out = tmp_path / "grade7.csv"
    call_command(
        "report", school="lincoln", start="2025-09-01", end="2025-11-30", grade="7", output=str(out)
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    visits = {r["month"]: r["value"] for r in rows if r["measure"] == "visits"}
    assert visits == {"2025-09": "4", "2025-10": "", "2025-11": "", "total": "4"}
    with pytest.raises(CommandError, match="grades: 7, 8"):
        call_command("report", school="lincoln", grade="5", output=str(out))
    with pytest.raises(CommandError, match="no filter"):
        call_command("report", district="riverbend", grade="7", output=str(out))


def test_artifacts_count_in_guskey_s_learning_level_from_k_teachers_and_name_nothing(
    client, lincoln
):
    from django.utils import timezone

    school = lincoln.school
    owners = [lincoln.teacher, lincoln.bystander, lincoln.colleague]
    for n, owner in enumerate(owners):
        goal = Goal.objects.create(
            person=owner, cycle=lincoln.cycle, text="Ask why", try_by=date(2026, 1, 1)
        )
        Artifact.objects.create(
            owner=owner,
            file="artifacts/x.pdf",
            original_name=f"Private plan {n}.pdf",
            content_type="application/pdf",
            size=10,
            title=f"Private plan {n}",
            goal=goal,
        )
    month = timezone.localdate().replace(day=1)
    client.force_login(lincoln.principal)
    response = client.get(f"/schools/{school.slug}/dashboard/?start={month.isoformat()}")
    learning = {row.label: row for row in response.context["sections"]["learning"]}
    artifacts = learning["Artifacts added (student work, plans, photos)"]
    assert artifacts.total == "3"
    assert "Private plan" not in response.content.decode()
    # One owner's artifacts alone are not shown.
    Artifact.objects.exclude(owner=lincoln.teacher).delete()
    response = client.get(f"/schools/{school.slug}/dashboard/?start={month.isoformat()}")
    learning = {row.label: row for row in response.context["sections"]["learning"]}
    assert learning["Artifacts added (student work, plans, photos)"].total == "0"
