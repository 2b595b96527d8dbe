"""Imports that could wipe or hurt the schedule: a file cut short, a NUL byte, a schedule that
removes the classroom of a visit. Each is caught before anything is written, on the web and
on the command line, with a reason the coach can act on."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from inquiry.tests.factories import make_round
from rosters.tests.test_oneroster_reader import ENROLLMENTS, write_folder
from schools.models import ImportStatus, Meeting, ScheduleImport, School, Section
from schools.schedule_diff import REMOVAL_SHARE
from schools.services import ScheduleRefused, schedule_apply
from schools.tests.factories import HEADER_ROW, SHARED_DATA, make_school

REAL = SHARED_DATA / "schedules" / "KS-PR-11.csv"


def cut_short(path, share: float = 0.4) -> bytes:
    """The file as a download that stopped part-way leaves it (at a line end, so that every
    row it has is well formed)."""
    lines = path.read_bytes().splitlines(keepends=True)
    return b"".join(lines[: int(len(lines) * share)])


def real_school(slug: str = "lincoln") -> School:
    school = School.objects.filter(slug=slug).first() or make_school(slug)
    call_command("import_schedule", str(REAL), school=slug, allow_removals=True, verbosity=0)
    return school


# --- A file cut short ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_line_refuses_a_file_cut_short_unless_removals_are_allowed(tmp_path, capsys):
    school = real_school()
    stored = Meeting.objects.filter(section__term__school=school).count()
    (tmp_path / "KS-PR-11.csv").write_bytes(cut_short(REAL))

    with pytest.raises(CommandError) as refused:
        call_command("import_schedule", str(tmp_path / "KS-PR-11.csv"), school="lincoln")

    reason = str(refused.value)
    assert "\n" not in reason
    assert f"more than {REMOVAL_SHARE:.0%}" in reason and "--allow-removals" in reason
    assert "would change: teachers" in capsys.readouterr().out  # the preview was printed
    assert Meeting.objects.filter(section__term__school=school).count() == stored

    call_command(
        "import_schedule",
        str(tmp_path / "KS-PR-11.csv"),
        school="lincoln",
        allow_removals=True,
        verbosity=0,
    )
    assert Meeting.objects.filter(section__term__school=school).count() < stored * 0.5


@pytest.mark.django_db
def test_a_truncated_enrollments_file_is_refused_on_the_command_line(tmp_path):
    make_school("springfield")
    call_command("import_oneroster", str(write_folder(tmp_path / "full")), school="springfield")
    stored = Meeting.objects.count()
    half = "".join(ENROLLMENTS.splitlines(keepends=True)[:2])  # only Algebra's teacher

    with pytest.raises(CommandError, match="removes 15 of 25 meetings"):
        call_command(
            "import_oneroster",
            str(write_folder(tmp_path / "cut", enrollments=half)),
            school="springfield",
            verbosity=0,
        )
    assert Meeting.objects.count() == stored


@pytest.mark.django_db
def test_a_small_change_needs_no_confirmation(tmp_path):
    school = real_school()
    lines = REAL.read_bytes().splitlines(keepends=True)
    (tmp_path / "week.csv").write_bytes(b"".join(lines[:-5]))  # five lessons dropped

    call_command("import_schedule", str(tmp_path / "week.csv"), school="lincoln", verbosity=0)

    assert Meeting.objects.filter(section__term__school=school).count() == len(lines) - 6


@pytest.mark.django_db(transaction=True)
def test_the_web_preview_warns_in_red_and_applies_only_when_confirmed(client, personas, run_tasks):
    real_school()
    stored = Meeting.objects.filter(section__term__school=personas.school).count()
    client.force_login(personas.coach)
    client.post(
        "/schools/lincoln/imports/new/",
        {"kind": "schedule_csv", "file": SimpleUploadedFile("week.csv", cut_short(REAL))},
    )
    run_tasks()
    job = ScheduleImport.objects.get()
    url = f"/schools/lincoln/imports/{job.pk}/"
    page = client.get(url).content.decode()
    assert 'class="problems" role="alert" id="removes-much"' in page
    assert 'name="confirm_removals"' in page and "required" in page

    response = client.post(f"{url}apply/", follow=True)
    run_tasks()
    assert "Not applied: This import removes" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW
    assert Meeting.objects.filter(section__term__school=personas.school).count() == stored

    client.post(f"{url}apply/", {"confirm_removals": "on"})
    run_tasks()
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED
    assert Meeting.objects.filter(section__term__school=personas.school).count() < stored


# --- A NUL byte ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_nul_byte_is_refused_with_its_place_and_creates_no_school(tmp_path):
    (tmp_path / "week.csv").write_bytes(
        (HEADER_ROW + "T1,Ana Ortiz,Mon,1,7A,,,,\nT2,Ben\0Lee,Mon,2,8A,,,,\n").encode()
    )

    with pytest.raises(CommandError) as refused:
        call_command("import_schedule", str(tmp_path / "week.csv"), school="new", verbosity=0)

    assert "week.csv, line 3, column teacher_name: the cell holds a NUL character" in str(
        refused.value
    )
    assert not School.objects.filter(slug="new").exists()
    assert not Section.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_creates_no_school(tmp_path):
    (tmp_path / "week.csv").write_text(HEADER_ROW + "T1,Ana Ortiz,Mon,1,7A,,,,\n")

    call_command("import_schedule", str(tmp_path / "week.csv"), school="new", dry_run=True)

    assert not School.objects.filter(slug="new").exists()


# --- A schedule that removes the classroom of a visit ---------------------------------------

WITHOUT_MONDAY_MATH = (
    HEADER_ROW
    + """\
teacher,Ana Ortiz,Mon,2,MATH7-2,Math 7,math,7,101
teacher,Ana Ortiz,Tue,2,MATH7-2,Math 7,math,7,101
colleague,Ben Lee,Mon,2,SCI8-1,Science 8,science,8,202
colleague,Ben Lee,Mon,3,SCI8-2,Science 8,science,8,202
colleague,Ben Lee,Tue,3,SCI8-1,Science 8,science,8,202
"""
)


@pytest.mark.django_db(transaction=True)
def test_a_schedule_removing_a_visited_section_is_stopped_in_the_preview(
    client, personas, run_tasks
):
    make_round(personas)
    client.force_login(personas.coach)
    client.post(
        "/schools/lincoln/imports/new/",
        {
            "kind": "schedule_csv",
            "file": SimpleUploadedFile("week.csv", WITHOUT_MONDAY_MATH.encode()),
        },
    )
    run_tasks()
    job = ScheduleImport.objects.get()
    url = f"/schools/lincoln/imports/{job.pk}/"
    page = client.get(url).content.decode()

    assert 'id="blocking-visits"' in page
    assert "“Student discourse” on Mon" in page and "section MATH7-1 (Math 7)" in page
    assert "Apply this schedule" not in page
    response = client.post(f"{url}apply/", {"confirm_removals": "on"}, follow=True)
    assert "Not applied: 1 visit(s) use a section or period" in response.content.decode()
    assert Section.objects.filter(code="MATH7-1").exists()


@pytest.mark.django_db(transaction=True)
def test_a_visit_placed_after_the_preview_fails_the_apply_with_the_visit_named(
    client, personas, run_tasks
):
    client.force_login(personas.coach)
    client.post(
        "/schools/lincoln/imports/new/",
        {
            "kind": "schedule_csv",
            "file": SimpleUploadedFile("week.csv", WITHOUT_MONDAY_MATH.encode()),
        },
    )
    run_tasks()
    job = ScheduleImport.objects.get()
    make_round(personas)  # meanwhile, the coach places a visit in Monday's math

    client.post(f"/schools/lincoln/imports/{job.pk}/apply/", {"confirm_removals": "on"})
    run_tasks()

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED  # not "Applying 50%" forever
    page = client.get(f"/schools/lincoln/imports/{job.pk}/").content.decode()
    assert "section MATH7-1 (Math 7)" in page and "Try again" in page
    assert Section.objects.filter(code="MATH7-1").exists()


@pytest.mark.django_db
def test_the_command_line_names_the_visits_without_a_traceback(tmp_path, personas):
    make_round(personas)
    (tmp_path / "week.csv").write_text(WITHOUT_MONDAY_MATH)

    with pytest.raises(CommandError) as refused:
        call_command(
            "import_schedule",
            str(tmp_path / "week.csv"),
            school="lincoln",
            allow_removals=True,
            verbosity=0,
        )

    assert "1 visit(s) use a section or period this schedule removes" in str(refused.value)
    assert "section MATH7-1 (Math 7)" in str(refused.value)


@pytest.mark.django_db
def test_the_service_refuses_rather_than_raising_protected_error(personas):
    from rosters.schedule_csv import read_schedule_csv

    make_round(personas)
    data = read_schedule_csv(WITHOUT_MONDAY_MATH.encode(), "week.csv")

    with pytest.raises(ScheduleRefused):
        schedule_apply(school=personas.school, data=data, allow_removals=True)


@pytest.mark.django_db
def test_a_section_kept_only_by_a_removed_host_s_classroom_still_stops_the_import(personas):
    """A host removed from a visit after capture keeps their classroom (and its evidence),
    which still needs its section: the preview names the visit, nothing is removed."""
    from django.utils import timezone

    from rosters.schedule_csv import read_schedule_csv
    from schools.schedule_diff import schedule_compare
    from schools.selectors import term_current
    from visits.models import VisitClassroom

    _, visit = make_round(personas)
    VisitClassroom.objects.filter(visit=visit).update(removed_at=timezone.now())
    data = read_schedule_csv(WITHOUT_MONDAY_MATH.encode(), "week.csv")
    preview = schedule_compare(
        school=personas.school, term=term_current(personas.school), data=data
    )
    assert any("section MATH7-1" in line for line in preview.blocking_visits)
    with pytest.raises(ScheduleRefused):
        schedule_apply(school=personas.school, data=data, allow_removals=True)
    assert Section.objects.filter(code="MATH7-1").exists()
