"""A principal imports OneRoster exports as real systems write them, on the command line and
on the import page: departments and districts instead of schools, any letter case, 1.2 with
userProfiles.csv, empty columns, dates with times, vendor columns, and delta exports merged
onto what the school stores. What is refused names file, line and column, and changes
nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from rosters.oneroster import read_oneroster
from rosters.tests.test_oneroster_deviations import (
    DEPARTMENTS,
    MATH_CLASSES,
    MATH_ENROLLMENTS,
    NO_SCHOOL,
    ROLES_SEVERAL_ORGS,
    USER_PROFILES,
)
from rosters.tests.test_oneroster_reader import (
    CLASSES,
    ENROLLMENTS,
    SAMPLE,
    USERS_11,
    write_folder,
    zip_folder,
)
from schools.models import ImportStatus, Meeting, Person, ScheduleImport, Section, SourceId
from schools.selectors import schedule_data_stored
from schools.services import schedule_apply, schedule_preview, schedule_refusal
from schools.tests.factories import make_school


def departments(path):
    return write_folder(path, orgs=DEPARTMENTS, classes=MATH_CLASSES, enrollments=MATH_ENROLLMENTS)


def no_school(path):
    classes = "sourcedId,title,schoolSourcedId,periods\nk5,Geometry,math,2\n"
    enrollments = "classSourcedId,userSourcedId,role\nk5,t2,teacher\n"
    return write_folder(path, orgs=NO_SCHOOL, classes=classes, enrollments=enrollments)


def letter_case(path):
    orgs = "sourcedId,status,name,type\ns1,ACTIVE,Springfield High,School\n"
    users = USERS_11.replace(",teacher,", ",Teacher,").replace("tobedeleted", "TOBEDELETED")
    classes = CLASSES.replace("scheduled", "Scheduled").replace("tobedeleted", "ToBeDeleted")
    enrollments = ENROLLMENTS.replace(",teacher,", ",Teacher,")
    return write_folder(path, orgs=orgs, users=users, classes=classes, enrollments=enrollments)


def with_user_profiles(path):
    folder = write_folder(path, version="1.2", roles=ROLES_SEVERAL_ORGS)
    (folder / "userProfiles.csv").write_text(USER_PROFILES)
    with (folder / "manifest.csv").open("a") as manifest:
        manifest.write("file.userProfiles,bulk\n")
    return folder


def empty_columns_and_dates(path):
    classes = """\
sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,periods,ext_room_id
k1,,2023-08-01T12:30:00.000Z,Algebra I,,,,,,s1,,,1,
"""
    sessions = (
        "sourcedId,title,type,startDate,endDate\nterm1,Fall,term,2023-08-28 00:00,2023-12-22\n"
    )
    enrollments = "classSourcedId,userSourcedId,role\nk1,t1,teacher\n"
    return write_folder(path, classes=classes, enrollments=enrollments, academicSessions=sessions)


# Each deviation's export, with the --org it needs ("" when it needs none) and its sections.
DEVIATIONS = {
    "departments": (departments, "", 2),
    "no-school": (no_school, "", 1),
    "district-chosen": (departments, "d1", 0),
    "letter-case": (letter_case, "", 3),
    "user-profiles": (with_user_profiles, "", 3),
    "empty-columns-and-dates": (empty_columns_and_dates, "", 1),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", DEVIATIONS)
def test_the_command_imports_every_deviation(tmp_path, name, capsys):
    build, org, sections = DEVIATIONS[name]
    school = make_school("springfield")

    call_command("import_oneroster", str(build(tmp_path / name)), school="springfield", org=org)

    assert Section.objects.filter(term__school=school).count() == sections
    assert "springfield: teachers +" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_shared_sample_imports_for_the_school_chosen_and_stores_class_ids(capsys):
    school = make_school("oat")

    call_command("import_oneroster", str(SAMPLE), school="oat", org="12345")

    assert sorted(
        Section.objects.filter(term__school=school).values_list("source_id", flat=True)
    ) == [
        "class1",
        "class2",
    ]


@pytest.mark.django_db
def test_a_refused_export_names_where_and_changes_nothing(tmp_path):
    school = make_school("springfield")
    call_command("import_oneroster", str(write_folder(tmp_path / "bulk")), school="springfield")
    before = snapshot()
    classes = MATH_CLASSES.replace(",s1,", ",d1,")
    folder = write_folder(tmp_path / "e", orgs=NO_SCHOOL, classes=classes)

    with pytest.raises(CommandError) as refused:
        call_command("import_oneroster", str(folder), school="springfield")

    assert "orgs.csv: no org has type “school” and the classes name 2 orgs" in str(refused.value)
    assert snapshot() == before
    assert school.terms.count() == 1


def snapshot():
    return (
        sorted(Section.objects.values_list("code", "course", "subject", "grade", "source_id")),
        sorted(Meeting.objects.values_list("section__code", "teacher__username", "slot_id")),
        sorted(Person.objects.values_list("username", "first_name", "last_name", "is_active")),
        sorted(SourceId.objects.values_list("value", flat=True)),
    )


# --- Delta exports ---------------------------------------------------------------------------

DELTA_CLASSES = """\
sourcedId,status,title,classCode,courseSourcedId,schoolSourcedId,location,periods
k1,tobedeleted,Algebra I - P1,ALG1-01,c1,s1,Room 101,"1,3"
k2,active,Biology - P2,BIO-01,c2,s1,Lab 3,2
k6,active,Chemistry,CHEM-01,c3,s1,Lab 4,5
"""
DELTA_ENROLLMENTS = "sourcedId,status,classSourcedId,userSourcedId,role\ne9,active,k6,t3,teacher\n"


def delta_folder(path, **files):
    parts = ("orgs", "users", "courses", "academicSessions", "classes", "enrollments")
    absent = {name: None for name in parts if name not in files}
    return write_folder(path, modes={name: "delta" for name in files}, **absent, **files)


@pytest.mark.django_db
def test_the_stored_schedule_reads_back_as_the_export_gave_it(tmp_path, django_assert_num_queries):
    school = make_school("springfield")
    data = read_oneroster(write_folder(tmp_path / "bulk"))
    schedule_apply(school=school, data=data)

    with django_assert_num_queries(8):
        stored = schedule_data_stored(school)

    assert stored is not None
    assert stored.sections == data.sections
    assert sorted(map(repr, stored.meetings)) == sorted(
        repr(m.__class__(m.teacher, m.section, m.day, m.period, m.room)) for m in data.meetings
    )
    assert {key: r.name for key, r in stored.teachers.items()} == {
        key: r.name for key, r in data.teachers.items()
    }
    assert schedule_data_stored(make_school("empty")) is None


@pytest.mark.django_db
def test_a_delta_on_the_command_line_changes_only_what_it_names(tmp_path, capsys):
    school = make_school("springfield")
    call_command("import_oneroster", str(write_folder(tmp_path / "bulk")), school="springfield")
    folder = delta_folder(tmp_path / "delta", classes=DELTA_CLASSES, enrollments=DELTA_ENROLLMENTS)

    call_command("import_oneroster", str(folder), school="springfield", allow_removals=True)

    out = capsys.readouterr().out
    assert "note: a delta export, applied onto the schedule stored now" in out
    sections = dict(Section.objects.filter(term__school=school).values_list("code", "source_id"))
    assert sections == {"BIO-01": "k2", "CHEM-01": "k6", "Study hall": "k3"}
    biology = Meeting.objects.filter(section__code="BIO-01")
    assert {m.slot.period.label for m in biology} == {"2"}
    assert {m.room for m in biology} == {"Lab 3"}
    chemistry = Meeting.objects.filter(section__code="CHEM-01").select_related("teacher")
    assert {m.teacher.source_ids.get().value for m in chemistry} == {"t3"}
    # Teachers the delta does not name stay; Allison lost Algebra, not her account.
    allison = SourceId.objects.get(value="t1").person
    assert allison.is_active and not allison.meetings.exists()


@pytest.mark.django_db
def test_a_delta_that_removes_much_must_be_confirmed(tmp_path):
    school = make_school("springfield")
    call_command("import_oneroster", str(write_folder(tmp_path / "bulk")), school="springfield")
    before = snapshot()
    classes = "sourcedId,status,title,schoolSourcedId\nk1,tobedeleted,A,s1\nk2,tobedeleted,B,s1\n"
    folder = delta_folder(tmp_path / "delta", classes=classes)

    data = read_oneroster(folder, stored=lambda: schedule_data_stored(school))
    preview = schedule_preview(school=school, data=data)
    assert preview.sections.removed == ["ALG1-01 (Algebra I)", "BIO-01 (Biology)"]
    assert "removes 25 of 25 meetings" in schedule_refusal(preview=preview, allow_removals=False)

    with pytest.raises(CommandError, match="with --allow-removals"):
        call_command("import_oneroster", str(folder), school="springfield", verbosity=0)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_delta_for_a_school_with_nothing_stored_is_refused(tmp_path):
    make_school("springfield")
    folder = delta_folder(tmp_path / "delta", classes=DELTA_CLASSES)

    with pytest.raises(CommandError) as refused:
        call_command("import_oneroster", str(folder), school="springfield")

    assert "manifest.csv, line 8, column value: classes.csv is a delta export" in str(refused.value)
    assert "import a bulk export first" in str(refused.value)
    assert not Section.objects.exists()


# --- On the import page ------------------------------------------------------------------------


def upload(client, personas, tmp_path, folder, **fields):
    client.force_login(personas.principal)
    archive = zip_folder(folder, tmp_path / f"{folder.name}.zip")
    return client.post(
        "/schools/lincoln/imports/new/",
        {
            "kind": "oneroster",
            "file": SimpleUploadedFile(archive.name, archive.read_bytes()),
            **fields,
        },
    )


def applied(client, run_tasks, job: ScheduleImport) -> ScheduleImport:
    client.post(f"/schools/lincoln/imports/{job.pk}/apply/", {"confirm_removals": "on"})
    run_tasks()
    job.refresh_from_db()
    return job


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", DEVIATIONS)
def test_the_page_imports_every_deviation(client, personas, run_tasks, tmp_path, name):
    build, org, sections = DEVIATIONS[name]
    upload(client, personas, tmp_path, build(tmp_path / name), org=org)
    run_tasks()
    job = ScheduleImport.objects.get()
    assert job.status == ImportStatus.PREVIEW, job.problems

    assert applied(client, run_tasks, job).status == ImportStatus.APPLIED
    assert Section.objects.filter(term__school=personas.school).count() == sections


@pytest.mark.django_db(transaction=True)
def test_the_page_previews_a_delta_and_applies_it(client, personas, run_tasks, tmp_path):
    upload(client, personas, tmp_path, write_folder(tmp_path / "bulk"))
    run_tasks()
    applied(client, run_tasks, ScheduleImport.objects.get())
    folder = delta_folder(tmp_path / "delta", classes=DELTA_CLASSES, enrollments=DELTA_ENROLLMENTS)

    upload(client, personas, tmp_path, folder)
    run_tasks()
    job = ScheduleImport.objects.latest("pk")
    page = client.get(f"/schools/lincoln/imports/{job.pk}/").content.decode()

    assert job.status == ImportStatus.PREVIEW, job.problems
    assert "a delta export, applied onto the schedule stored now" in page
    assert "CHEM-01" in page and "ALG1-01" in page
    assert applied(client, run_tasks, job).status == ImportStatus.APPLIED
    codes = set(Section.objects.filter(term__school=personas.school).values_list("code", flat=True))
    assert codes == {"BIO-01", "CHEM-01", "Study hall"}


@pytest.mark.django_db(transaction=True)
def test_a_refused_upload_names_file_line_and_column_and_changes_nothing(
    client, personas, run_tasks, tmp_path
):
    personas.school.terms.all().delete()  # Lincoln has no schedule yet
    before = snapshot()
    folder = delta_folder(tmp_path / "delta", classes=DELTA_CLASSES)

    upload(client, personas, tmp_path, folder)
    run_tasks()

    job = ScheduleImport.objects.get()
    assert job.status == ImportStatus.FAILED
    [problem] = job.problems
    assert (problem["file"], problem["line"], problem["column"]) == ("manifest.csv", 8, "value")
    page = client.get(f"/schools/lincoln/imports/{job.pk}/").content.decode()
    assert "import a bulk export first" in page
    assert snapshot() == before
