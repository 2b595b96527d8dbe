"""Importing real schools' timetables: a summary of what was found, and re-imports that change
nothing."""

import pytest
from django.core.management import call_command

from rosters.oneroster import read_oneroster
from rosters.schedule_csv import read_schedule_csv
from schools.models import Meeting, Membership, Person, Section, Slot
from schools.services import schedule_apply, schedule_preview, school_get_or_create
from schools.tests.factories import HEADER_ROW, SHARED_DATA, make_schedule, make_school

DATA = SHARED_DATA
SCHEDULES = sorted((DATA / "schedules").glob("*.csv"))


@pytest.mark.django_db
@pytest.mark.parametrize("path", SCHEDULES, ids=lambda p: p.stem)
def test_every_real_schedule_imports_and_a_second_import_changes_nothing(path):
    school = school_get_or_create(slug=path.stem.lower())
    data = read_schedule_csv(path.read_bytes(), path.name)
    first = schedule_apply(school=school, data=data)
    assert len(first.teachers.added) == len(data.teachers) > 0
    assert Meeting.objects.filter(section__term__school=school).count() == len(data.meetings)
    ids = set(Meeting.objects.values_list("id", flat=True))

    again = schedule_apply(school=school, data=read_schedule_csv(path.read_bytes(), path.name))
    assert again.changes_nothing
    assert again.teachers.unchanged == len(data.teachers)
    assert set(Meeting.objects.values_list("id", flat=True)) == ids


@pytest.mark.django_db
def test_the_oneroster_sample_imports_with_a_summary():
    school = school_get_or_create(slug="oat-sa")
    data = read_oneroster(DATA / "oneroster" / "oat-sa-1.1", org="12345")
    summary = schedule_apply(school=school, data=data)
    assert summary.found.startswith("0 teachers")
    assert Section.objects.filter(term__school=school).count() == len(data.sections) > 0
    assert schedule_apply(school=school, data=data).changes_nothing


@pytest.mark.django_db
def test_the_preview_lists_what_is_added_changed_and_removed():
    school = make_school("lincoln")
    make_schedule(school, HEADER_ROW + "T1,Ana Ortiz,Mon,1,7A,,math,7,\nT2,Ben Lee,Mon,2,8A,,,,\n")
    changed = HEADER_ROW + "T1,Ana Ortiz,Mon,1,7A,,math,7,\nT1,Ana Ortiz,Tue,1,7A,,math,7,\n"
    changed += "T3,Cy Diaz,Mon,2,6A,,,,\n"
    preview = schedule_preview(school=school, data=read_schedule_csv(changed.encode(), "s.csv"))
    assert preview.teachers.added == ["Cy Diaz"]
    assert preview.teachers.changed == ["Ana Ortiz"]
    assert preview.teachers.removed == ["Ben Lee"]
    assert (preview.sections.added, preview.sections.removed) == (["6A"], ["8A"])
    assert (preview.meetings_added, preview.meetings_removed) == (2, 1)
    # The preview changed nothing.
    assert not Person.objects.filter(last_name="Diaz").exists()


@pytest.mark.django_db
def test_applying_keeps_people_but_removes_their_meetings():
    school = make_school("lincoln")
    make_schedule(school, HEADER_ROW + "T1,Ana Ortiz,Mon,1,7A,,,,\nT2,Ben Lee,Mon,2,8A,,,,\n")
    make_schedule(school, HEADER_ROW + "T1,Ana Ortiz,Mon,1,7A,,,,\n")
    ben = Person.objects.get(last_name="Lee")
    assert not ben.meetings.exists()
    assert Membership.objects.filter(person=ben, school=school, role="teacher").exists()


@pytest.mark.django_db
def test_a_bell_schedule_sets_clock_times_and_a_file_without_one_keeps_them():
    school = make_school("lincoln")
    bell = "day,period,start,end\nMon,1,08:00,08:50\n"
    make_schedule(school, HEADER_ROW + "T1,,Mon,1,7A,,,,\n", bell_text=bell)
    make_schedule(school, HEADER_ROW + "T1,,Mon,1,7A,,,,\n")
    slot = Slot.objects.get(term__school=school)
    assert (str(slot.starts_at), str(slot.ends_at)) == ("08:00:00", "08:50:00")


@pytest.mark.django_db
def test_the_import_command_creates_the_school_and_reads_the_bell_beside(tmp_path, capsys):
    (tmp_path / "week.csv").write_text(HEADER_ROW + "T1,Ana Ortiz,Mon,1,7A,,,,\n")
    (tmp_path / "bell.csv").write_text("day,period,start,end\nMon,1,08:00,08:50\n")
    call_command("import_schedule", str(tmp_path / "week.csv"), school="new-school", verbosity=0)
    out = capsys.readouterr().out
    assert "week.csv: found 1 teachers" in out
    assert "new-school: teachers +1" in out
    assert Slot.objects.get(term__school__slug="new-school").starts_at is not None


@pytest.mark.django_db
def test_the_import_command_refuses_a_bad_file_and_changes_nothing(tmp_path):
    from django.core.management.base import CommandError

    (tmp_path / "week.csv").write_text("teacher_id,day\nT1,Mon\n")
    with pytest.raises(CommandError, match="missing required column “period”"):
        call_command("import_schedule", str(tmp_path / "week.csv"), school="x", verbosity=0)
    assert not Section.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_changes_nothing(tmp_path, capsys):
    (tmp_path / "week.csv").write_text(HEADER_ROW + "T1,Ana Ortiz,Mon,1,7A,,,,\n")
    call_command(
        "import_schedule", str(tmp_path / "week.csv"), school="x", dry_run=True, verbosity=0
    )
    assert "dry run" in capsys.readouterr().out
    assert not Meeting.objects.exists()
