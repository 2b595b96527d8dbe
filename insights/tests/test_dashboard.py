"""The principal's and the district leader's dashboards: what they count, what they hide
below k teachers, and that they never name or rank a teacher."""

import csv
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from schools.models import LearningActivity, Person
from schools.tests.factories import make_person, make_school

from .dashboard_data import a_cycle, ledger, visit_on

pytestmark = pytest.mark.django_db

SEPT, OCT = date(2025, 9, 10), date(2025, 10, 8)
RANGE = "?start=2025-09-01&end=2025-10-31"


@pytest.fixture
def lincoln(personas):
    """Lincoln with eight teachers: in September four host a visit and the colleague
    observes each; in October only Ana hosts, once."""
    extra = [
        make_person(f"t{n}", personas.school, "teacher", first_name="Zed", last_name=f"Ex{n}")
        for n in range(5)
    ]
    hosts = [personas.teacher, personas.bystander, *extra[:2]]
    cycle = a_cycle(personas.school, personas.coach)
    for host in hosts:
        visit_on(cycle, SEPT, [host], [personas.colleague], covered_by=extra[4])
        ledger(host, personas.school, SEPT, LearningActivity.HOSTED)
    visit_on(cycle, OCT, [personas.teacher], [personas.colleague], substitute=True)
    ledger(personas.teacher, personas.school, OCT, LearningActivity.HOSTED)
    return personas


def test_the_principal_sees_the_share_of_teachers_who_hosted_each_month(client, lincoln):
    client.force_login(lincoln.principal)
    page = client.get("/schools/lincoln/dashboard/" + RANGE)
    assert page.status_code == 200
    hosted = page.context["sections"]["participation"][0]
    assert [c.text for c in hosted.cells] == ["50%", "–"]  # 4 of 8; October: 1 teacher


def test_a_month_drawn_on_fewer_than_k_teachers_is_explained_and_left_out_of_totals(
    client, lincoln
):
    client.force_login(lincoln.principal)
    page = client.get("/schools/lincoln/dashboard/" + RANGE)
    visits = page.context["sections"]["participation"][3]
    assert [c.shown for c in visits.cells] == [True, False]
    assert visits.total == "4"  # September's four; October's one visit would point at Ana
    assert "not shown: fewer than 3 teachers" in page.content.decode()


def text_of(response) -> str:
    if response["Content-Type"] == "application/pdf":
        reader = PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() for page in reader.pages)
    return response.content.decode()


def test_no_dashboard_or_export_names_a_teacher(client, lincoln):
    """Neither leader is in a cycle: no teacher's name may reach them, on a page or in a file."""
    names = [
        part
        for person in Person.objects.filter(memberships__role="teacher").distinct()
        for part in (person.get_full_name(), person.last_name)
        if part
    ]
    for viewer, base in (
        (lincoln.principal, "/schools/lincoln/dashboard/"),
        (lincoln.district_leader, "/district/riverbend/dashboard/"),
    ):
        client.force_login(viewer)
        for suffix in ("", "report.csv", "report.pdf"):
            text = text_of(client.get(base + suffix + RANGE))
            assert "Dashboard" in text or "measure" in text
            for name in names:
                assert not re.search(rf"\b{re.escape(name)}\b", text), (base + suffix, name)


def test_a_range_is_widened_to_whole_months_so_two_ranges_never_differ_by_a_few_days(
    client, lincoln
):
    client.force_login(lincoln.principal)
    narrow = client.get("/schools/lincoln/dashboard/?start=2025-09-09&end=2025-09-11")
    wide = client.get("/schools/lincoln/dashboard/?start=2025-09-01&end=2025-09-30")
    assert narrow.context["span"] == wide.context["span"]


def test_the_patterns_link_opens_the_patterns_page_for_the_same_months(client, lincoln):
    client.force_login(lincoln.principal)
    dashboard = client.get("/schools/lincoln/dashboard/?start=2025-09-09&end=2025-10-11")
    link = dashboard.context["patterns_url"]
    assert link == "/schools/lincoln/patterns/?from=2025-09-01&to=2025-10-31"
    patterns = client.get(link)
    assert patterns.status_code == 200 and patterns.context["filtered"]


def test_a_range_backwards_answers_with_a_message(client, lincoln):
    client.force_login(lincoln.principal)
    page = client.get("/schools/lincoln/dashboard/?start=2025-10-01&end=2025-09-01")
    assert page.status_code == 200
    assert "comes before" in page.content.decode()


@pytest.mark.parametrize(
    "query", ["?start=0001-01-01", "?end=0001-01-01", "?end=9999-12-31", "?start=2025-13-45"]
)
def test_dates_far_off_or_wrong_answer_with_a_message_and_the_school_year(client, lincoln, query):
    client.force_login(lincoln.principal)
    page = client.get("/schools/lincoln/dashboard/" + query)
    assert page.status_code == 200
    assert page.context["form"].errors


def test_coverage_counts_colleagues_and_substitutes_and_the_substitutes_cost(client, lincoln):
    from decimal import Decimal

    lincoln.school.substitute_period_cost = Decimal("40.00")
    lincoln.school.save()
    client.force_login(lincoln.principal)
    page = client.get("/schools/lincoln/dashboard/" + RANGE)
    colleague, substitute = page.context["sections"]["coverage"]
    # One colleague covered all four September periods: fewer than k covers, so not shown.
    assert [c.shown for c in colleague.cells] == [False, True]
    assert substitute.cells[1].shown is False  # one observer replaced by a substitute
    assert page.context["substitute_cost"] == Decimal(0)


def test_the_csv_has_the_page_s_numbers_and_blanks_where_the_page_hides_one(client, lincoln):
    client.force_login(lincoln.principal)
    response = client.get("/schools/lincoln/dashboard/report.csv" + RANGE)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    visits = {r["month"]: r for r in rows if r["measure"] == "visits"}
    assert visits["2025-09"]["value"] == "4"
    assert visits["2025-10"]["value"] == ""
    assert visits["2025-10"]["note"] == "not shown: fewer than 3 teachers"
    assert visits["total"]["value"] == "4"


def test_the_pdf_report_downloads(client, lincoln):
    client.force_login(lincoln.principal)
    response = client.get("/schools/lincoln/dashboard/report.pdf" + RANGE)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_teachers_and_coaches_do_not_get_a_dashboard(client, lincoln):
    for person in (lincoln.teacher, lincoln.coach, lincoln.outsider):
        client.force_login(person)
        assert client.get("/schools/lincoln/dashboard/").status_code == 404


def test_the_district_leader_compares_schools_and_the_district_adds_only_what_they_show(
    client, lincoln
):
    roosevelt = lincoln.other_school
    cycle = a_cycle(roosevelt, lincoln.outsider)
    hosts = [lincoln.outsider] + [make_person(f"r{n}", roosevelt, "teacher") for n in range(3)]
    for host in hosts:
        visit_on(cycle, OCT, [host])
    client.force_login(lincoln.district_leader)
    page = client.get("/district/riverbend/dashboard/" + RANGE)
    assert page.status_code == 200
    headlines = {h["school"]: h for h in page.context["headlines"]}
    assert headlines[lincoln.school.name]["visits"] == 4
    assert headlines[roosevelt.name]["visits"] == 4
    visits = next(r for r in page.context["rows"] if r.label == "Visits held")
    # October: Roosevelt's four are shown, Lincoln's one is not, and the month says so.
    assert [c.text for c in visits.cells] == ["4", "4*"]
    assert "numbers for that month are not shown; only the others" in page.content.decode()
    assert visits.total == "8"


def test_a_principal_does_not_get_the_district_dashboard(client, lincoln):
    client.force_login(lincoln.principal)
    assert client.get("/district/riverbend/dashboard/").status_code == 404


def test_the_district_dashboard_leaves_out_another_district(client, lincoln):
    from schools.models import District

    elsewhere = District.objects.create(name="Elsewhere", slug="elsewhere")
    make_school("far", district=elsewhere)
    client.force_login(lincoln.district_leader)
    page = client.get("/district/riverbend/dashboard/" + RANGE)
    assert "far" not in [h["school"] for h in page.context["headlines"]]


def test_the_report_command_writes_the_school_s_csv_and_the_district_s_pdf(lincoln, tmp_path):
    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "report",
        school="lincoln",
        start="2025-09-03",
        end="2025-10-02",
        output=str(tmp_path / "lincoln.csv"),
        stdout=out,
    )
    assert "September 2025 to October 2025" in out.getvalue()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "lincoln.csv").read_text())))
    assert {r["month"] for r in rows} == {"2025-09", "2025-10", "total"}
    call_command("report", district="riverbend", output=str(tmp_path / "d.pdf"), stdout=out)
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")


def test_the_report_command_refuses_a_file_it_cannot_write_and_bad_dates(lincoln, tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=r"FILE\.pdf"):
        call_command("report", school="lincoln", output=str(tmp_path / "x.txt"))
    with pytest.raises(CommandError, match="comes before"):
        call_command(
            "report",
            school="lincoln",
            start="2025-10-01",
            end="2025-09-01",
            output=str(tmp_path / "x.csv"),
        )
    with pytest.raises(CommandError, match="No school"):
        call_command("report", school="nowhere", output=str(tmp_path / "x.csv"))


def test_the_time_audit_shows_the_free_periods_each_team_of_k_shares(client, lincoln):
    from teams.tests.factories import make_team

    # Ben teaches Mon 2, Mon 3 and Tue 3 of the six periods; Bo and the coach teach none.
    make_team(
        lincoln.school, "Science", members=[lincoln.colleague, lincoln.bystander, lincoln.coach]
    )
    make_team(lincoln.school, "Two of us", members=[lincoln.teacher, lincoln.colleague])
    client.force_login(lincoln.principal)
    page = client.get("/schools/lincoln/dashboard/" + RANGE)
    assert [(t["label"], t["value"]) for t in page.context["common_time"]] == [("Science", 3)]
    assert page.context["smaller_teams"] == 1  # a pair's free time is two timetables
