"""A coach imports a school's master schedule from a OneRoster export (FORMATS.md §2)."""

import zipfile
from pathlib import Path

import pytest

from rosters.oneroster import archive as oneroster_archive
from rosters.oneroster import read_oneroster
from rosters.schedule_data import ScheduleFileError

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

NO_ENROLLMENTS = "classSourcedId,userSourcedId,role\n"
SAMPLE = SHARED_DATA / "oneroster" / "oat-sa-1.1"
WEEK = ["Mon", "Tue", "Wed", "Thu", "Fri"]

ORGS = """\
sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
d1,active,,Springfield District,district,,
s1,active,,Springfield High,school,,d1
"""
USERS_11 = """\
sourcedId,status,enabledUser,orgSourcedIds,role,username,givenName,familyName,email,ext_vendor_id
t1,active,true,s1,teacher,ahoover,Allison,Hoover,ahoover@example.org,901
t2,active,true,s1,teacher,ekrabappel,Edna,Krabappel,,902
t3,active,true,"s1,d1",teacher,glen,,,,903
t4,tobedeleted,true,s1,teacher,gone,Gone,Away,,904
st1,active,true,s1,student,bsimpson,Bartholomew,Simpson,,905
"""
USERS_12 = """\
sourcedId,status,enabledUser,username,givenName,familyName,email
t1,active,true,ahoover,Allison,Hoover,ahoover@example.org
t2,active,true,ekrabappel,Edna,Krabappel,
t3,active,true,glen,,,
t4,tobedeleted,true,gone,Gone,Away,
st1,active,true,bsimpson,Bartholomew,Simpson,
"""
ROLES_12 = """\
sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId
r1,active,,t1,primary,teacher,,,s1
r2,active,,t2,primary,teacher,,,d1
r3,active,,t3,primary,teacher,,,s1
r4,active,,t4,primary,teacher,,,s1
r5,active,,st1,primary,student,,,s1
"""
COURSES = """\
sourcedId,status,title,courseCode,grades,orgSourcedId,subjects,metadata.duration
c1,active,Algebra I,ALG1,9,s1,Math,year
c2,active,Biology,BIO,"9,10",s1,Science,year
"""
CLASSES = """\
sourcedId,status,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,periods
k1,active,Algebra I - P1,9,c1,ALG1-01,scheduled,Room 101,s1,term1,Math,"1,3"
k2,active,Biology - P2,"9, 10",c2,BIO-01,scheduled,Lab 2,s1,term1,,2-4
k3,active,Study hall,,,,homeroom,,s1,term1,,
k4,tobedeleted,Old class,9,c1,OLD-01,scheduled,,s1,term1,,1
"""
ENROLLMENTS = """\
sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role,status
e1,k1,s1,t1,teacher,active
e2,k2,s1,t2,teacher,active
e3,k1,s1,st1,student,active
e4,k4,s1,t1,teacher,active
e5,k2,s1,t4,teacher,active
"""
SESSIONS = """\
sourcedId,status,title,type,startDate,endDate,parentSourcedId,schoolYear
term1,active,Fall 2023,term,2023-08-28,13/12/2023,,2024
"""


def export_files(version: str = "1.1", **overrides: str | None) -> dict[str, str]:
    """A small school's export; a keyword replaces a file (None leaves it out)."""
    files: dict[str, str | None] = {
        "orgs.csv": ORGS,
        "users.csv": USERS_11 if version == "1.1" else USERS_12,
        "courses.csv": COURSES,
        "classes.csv": CLASSES,
        "enrollments.csv": ENROLLMENTS,
        "academicSessions.csv": SESSIONS,
    }
    if version == "1.2":
        files["roles.csv"] = ROLES_12
    for stem, text in overrides.items():
        files[stem + ".csv"] = text
    return {name: text for name, text in files.items() if text is not None}


def manifest_for(files: dict[str, str], version: str = "1.1", modes: dict | None = None) -> str:
    lines = ["propertyName,value", f"oneroster.version,{version}", "manifest.version,1.0"]
    for name in ["orgs", "users", "roles", "courses", "classes", "enrollments"]:
        mode = (modes or {}).get(name) or ("bulk" if f"{name}.csv" in files else "absent")
        lines.append(f"file.{name},{mode}")
    mode = "bulk" if "academicSessions.csv" in files else "absent"
    lines.append(f"file.academicSessions,{(modes or {}).get('academicSessions', mode)}")
    return "\n".join(lines) + "\n"


def write_folder(
    folder: Path, version: str = "1.1", modes: dict | None = None, **overrides: str | None
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    files = export_files(version, **overrides)
    files.setdefault("manifest.csv", manifest_for(files, version, modes))
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def zip_folder(folder: Path, archive: Path, inside: str = "") -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in folder.iterdir():
            zf.write(file, inside + file.name)
    return archive


def error_of(path: Path, **kwargs) -> ScheduleFileError:
    with pytest.raises(ScheduleFileError) as caught:
        read_oneroster(path, **kwargs)
    return caught.value


# --- The sample export from a real vendor -------------------------------------


def test_the_sample_export_of_two_schools_asks_which_school_to_import():
    error = error_of(SAMPLE)

    assert str(error) == (
        "orgs.csv: the export has 2 schools (12345 School 1, 54321 School 2); "
        "say which by its sourcedId (the import page's “OneRoster org sourcedId” field, "
        "or --org on the command line)"
    )


def test_the_sample_export_gives_the_chosen_schools_classes_and_no_students():
    data = read_oneroster(SAMPLE, org="12345")

    assert data.source == "oat-sa-1.1"
    assert data.teachers == {}
    assert [s.code for s in data.sections.values()] == ["Class 1 title", "Class 2 title"]
    assert data.meetings == []
    assert "skipped 2 student users" in data.notes
    assert "2 classes have no periods; they are stored without meetings" in data.notes
    assert "ionut" not in repr(data)
    assert "padurariu" not in repr(data)


def test_an_unknown_org_is_refused_with_the_list_of_schools():
    error = error_of(SAMPLE, org="999")

    assert "no org has sourcedId “999”" in str(error)
    assert "12345 School 1, 54321 School 2" in str(error)


# --- A OneRoster 1.1 export -----------------------------------------------------


def test_a_11_folder_gives_teachers_sections_and_weekly_meetings(tmp_path):
    data = read_oneroster(write_folder(tmp_path / "export"))

    assert list(data.teachers) == ["t1", "t2", "t3"]
    allison = data.teachers["t1"]
    assert (allison.name, allison.given_name, allison.family_name) == (
        "Allison Hoover",
        "Allison",
        "Hoover",
    )
    assert allison.email == "ahoover@example.org"
    assert data.teachers["t3"].name == "glen"  # no names in the export: the username

    algebra, biology, study_hall = data.sections.values()
    assert (algebra.code, algebra.course, algebra.subject, algebra.grade) == (
        "ALG1-01",
        "Algebra I",
        "Math",
        "9",
    )
    assert (biology.code, biology.course, biology.subject, biology.grade) == (
        "BIO-01",
        "Biology",
        "Science",
        "9,10",
    )
    assert (study_hall.code, study_hall.course) == ("Study hall", "Study hall")

    assert data.days == WEEK
    assert data.periods == ["1", "2", "3", "4"]
    algebra_slots = {(m.day, m.period) for m in data.meetings if m.section == algebra.key}
    assert algebra_slots == {(day, period) for day in WEEK for period in ["1", "3"]}
    biology_meetings = [m for m in data.meetings if m.section == biology.key]
    assert len(biology_meetings) == 5 * 3
    assert {m.teacher for m in biology_meetings} == {"t2"}
    assert {(m.room, m.line) for m in biology_meetings} == {("Lab 2", 3)}
    assert data.term_name == "Fall 2023"
    assert data.warnings == []


def test_the_summary_counts_classes_without_meetings_and_skipped_students(tmp_path):
    data = read_oneroster(write_folder(tmp_path / "export"))

    assert data.notes == [
        "skipped 1 student user",
        "1 class has no periods; it is stored without meetings",
        "1 class has no teacher; it is stored without meetings",
    ]


def test_no_student_record_reaches_the_schedule(tmp_path):
    data = read_oneroster(write_folder(tmp_path / "export"))

    assert "st1" not in data.teachers
    for private in ("Bartholomew", "Simpson", "bsimpson"):
        assert private not in repr(data)


def test_rows_marked_tobedeleted_are_skipped_quietly(tmp_path):
    data = read_oneroster(write_folder(tmp_path / "export"))

    assert "t4" not in data.teachers
    assert "OLD-01" not in {section.code for section in data.sections.values()}
    assert {m.teacher for m in data.meetings} == {"t1", "t2"}
    assert data.warnings == []


def test_the_same_export_reads_from_a_zip_with_a_top_level_folder(tmp_path):
    archive = zip_folder(write_folder(tmp_path / "export"), tmp_path / "upload.tmp", "export/")

    from_zip = read_oneroster(archive, display_name="springfield.zip")
    from_folder = read_oneroster(tmp_path / "export")

    assert from_zip.source == "springfield.zip"
    assert from_zip.teachers == from_folder.teachers
    assert from_zip.sections == from_folder.sections
    assert from_zip.meetings == from_folder.meetings


def test_chosen_days_replace_the_default_week(tmp_path):
    data = read_oneroster(write_folder(tmp_path / "export"), days=["A", "B"])

    assert data.days == ["A", "B"]
    assert {m.day for m in data.meetings} == {"A", "B"}
    assert len(data.meetings) == 2 * 2 + 2 * 3


def test_progress_is_reported_in_bytes_of_the_files_read(tmp_path):
    calls = []
    folder = write_folder(tmp_path / "export")
    total = sum((folder / name).stat().st_size for name in export_files())

    read_oneroster(folder, on_progress=lambda *c: calls.append(c))

    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


# --- A OneRoster 1.2 export -----------------------------------------------------


def test_a_12_export_finds_teachers_through_roles(tmp_path):
    folder = write_folder(tmp_path / "export", version="1.2")

    data = read_oneroster(folder)

    # t2 belongs to the district only but teaches Biology here.
    assert list(data.teachers) == ["t1", "t2", "t3"]
    assert data.teachers["t2"].name == "Edna Krabappel"
    assert len(data.meetings) == 5 * 2 + 5 * 3
    assert "skipped 1 student user" in data.notes
    assert "Bartholomew" not in repr(data)


def test_a_12_export_needs_roles(tmp_path):
    folder = write_folder(tmp_path / "export", version="1.2", roles=None)

    error = error_of(folder)

    assert "the export has no roles.csv; OpenDoors needs it" in str(error)


def test_a_12_zip_at_the_top_level(tmp_path):
    archive = zip_folder(write_folder(tmp_path / "export", version="1.2"), tmp_path / "x.zip")

    data = read_oneroster(archive)

    assert data.source == "x.zip"
    assert list(data.teachers) == ["t1", "t2", "t3"]


# --- Periods ---------------------------------------------------------------------


def test_period_labels_keep_their_order_unless_all_are_numbers(tmp_path):
    classes = """\
sourcedId,title,schoolSourcedId,periods
k1,Art,s1,"Block B, Block A"
k2,Music,s1,"Block C,Block A"
"""
    enrollments = "classSourcedId,userSourcedId,role\nk1,t1,teacher\nk2,t1,teacher\n"
    folder = write_folder(tmp_path / "e", classes=classes, enrollments=enrollments)

    data = read_oneroster(folder)

    assert data.periods == ["Block B", "Block A", "Block C"]


def test_a_backwards_period_range_is_reported_and_skipped(tmp_path):
    classes = 'sourcedId,title,schoolSourcedId,periods\nk1,Art,s1,"4-2,5"\n'
    folder = write_folder(tmp_path / "e", classes=classes, enrollments=NO_ENROLLMENTS)

    data = read_oneroster(folder)

    assert data.periods == ["5"]
    [warning] = data.warnings
    assert str(warning) == (
        "classes.csv, line 2, column periods: “4-2” is not a period or a range such as 1-3; ignored"
    )


def test_two_classes_with_the_same_name_stay_two_sections(tmp_path):
    classes = "sourcedId,title,schoolSourcedId,periods\nk1,Homeroom,s1,1\nk2,Homeroom,s1,1\n"
    folder = write_folder(tmp_path / "e", classes=classes, enrollments=NO_ENROLLMENTS)

    data = read_oneroster(folder)

    assert [s.code for s in data.sections.values()] == ["Homeroom", "Homeroom (k2)"]
    assert data.warnings[0].line == 3


# --- ZIP safety ------------------------------------------------------------------


def test_an_archive_entry_pointing_outside_the_archive_is_refused(tmp_path):
    archive = zip_folder(write_folder(tmp_path / "export"), tmp_path / "archive.zip")
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr("../../x", "gotcha")

    error = error_of(archive)

    assert str(error) == "archive.zip: entry '../../x' points outside the archive"
    assert not (tmp_path.parent / "x").exists()


def test_an_absolute_archive_entry_is_refused(tmp_path):
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("manifest.csv", "propertyName,value\n")
        zf.writestr(zipfile.ZipInfo("/etc/cron.d/x"), "gotcha")

    assert "entry '/etc/cron.d/x' points outside the archive" in str(error_of(archive))


def test_an_archive_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(oneroster_archive, "MAX_ARCHIVE_BYTES", 10_000)
    archive = zip_folder(write_folder(tmp_path / "export"), tmp_path / "archive.zip")
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("padding.bin", b"\0" * 20_000)

    assert str(error_of(archive)).startswith("archive.zip: the archive unpacks to")


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    fake = tmp_path / "archive.zip"
    fake.write_text("sourcedId,name\n")

    assert str(error_of(fake)).startswith("archive.zip: not a ZIP file")


# --- Exports that cannot be read ---------------------------------------------------


def test_an_export_without_manifest_is_refused(tmp_path):
    folder = write_folder(tmp_path / "export")
    (folder / "manifest.csv").unlink()

    assert "manifest.csv is missing" in str(error_of(folder))


def test_a_folder_that_does_not_exist_is_refused(tmp_path):
    assert str(error_of(tmp_path / "nowhere")) == "nowhere: no such file or folder"


def test_an_unsupported_version_names_the_manifest_line(tmp_path):
    manifest = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.0\n"
    folder = write_folder(tmp_path / "export", manifest=manifest)

    [problem] = error_of(folder).problems

    assert (problem.file, problem.line, problem.column) == ("manifest.csv", 3, "value")
    assert "“1.0” is not supported" in problem.message


def test_a_delta_export_with_nothing_stored_to_apply_it_to_is_refused(tmp_path):
    folder = write_folder(tmp_path / "export", modes={"enrollments": "delta"})

    [problem] = error_of(folder).problems

    assert (problem.file, problem.line, problem.column) == ("manifest.csv", 9, "value")
    assert problem.message.startswith("enrollments.csv is a delta export")
    assert "import a bulk export first" in problem.message


def test_missing_required_columns_in_several_files_are_all_reported(tmp_path):
    classes = "sourcedId,title,periods\nk1,Art,1\n"
    enrollments = "classSourcedId,userSourcedId\nk1,t1\n"
    folder = write_folder(tmp_path / "e", classes=classes, enrollments=enrollments)

    problems = error_of(folder).problems

    assert [(p.file, p.line, p.column) for p in problems] == [
        ("classes.csv", 1, "schoolSourcedId"),
        ("enrollments.csv", 1, "role"),
    ]


def test_a_file_listed_as_bulk_but_missing_is_reported(tmp_path):
    folder = write_folder(tmp_path / "export")
    (folder / "classes.csv").unlink()

    assert "classes.csv is missing, though manifest.csv lists it" in str(error_of(folder))


# --- What real exports get wrong -------------------------------------------------


def test_misspelled_headers_are_read_with_a_warning(tmp_path):
    users = USERS_11.replace("sourcedId,", "sourcedID,", 1)
    enrollments = ENROLLMENTS.replace("classSourcedId", "classSourceId")
    folder = write_folder(tmp_path / "e", users=users, enrollments=enrollments)

    data = read_oneroster(folder)

    assert list(data.teachers) == ["t1", "t2", "t3"]
    assert len(data.meetings) == 25
    [warning] = data.warnings
    assert (warning.file, warning.line, warning.column) == (
        "enrollments.csv",
        1,
        "classSourceId",
    )
    assert "read column “classSourceId” as “classSourcedId”" in warning.message


def test_vendor_extension_columns_are_ignored_without_warnings(tmp_path):
    classes = "sourcedId,title,schoolSourcedId,grades,ext_grades,metadata.room\nk1,Art,s1,9,K,B\n"
    data = read_oneroster(write_folder(tmp_path / "e", classes=classes, enrollments=NO_ENROLLMENTS))

    assert next(iter(data.sections.values())).grade == "9"
    assert data.warnings == []


def test_an_ambiguous_date_is_a_warning_and_an_unambiguous_one_is_accepted(tmp_path):
    sessions = """\
sourcedId,title,type,startDate,endDate
term1,Fall 2023,term,1/05/2023,13/05/2023
"""
    data = read_oneroster(write_folder(tmp_path / "e", academicSessions=sessions))

    [warning] = data.warnings
    assert (warning.file, warning.line, warning.column) == ("academicSessions.csv", 2, "startDate")
    assert "“1/05/2023” is ambiguous (1 May 2023 or 5 January 2023)" in warning.message
    assert data.term_name == "Fall 2023"


def test_references_that_do_not_resolve_are_warnings_and_rows_are_skipped(tmp_path):
    enrollments = ENROLLMENTS + "e6,k99,s1,t1,teacher,active\ne7,k1,s1,t99,teacher,active\n"
    data = read_oneroster(write_folder(tmp_path / "e", enrollments=enrollments))

    assert [str(w) for w in data.warnings] == [
        "enrollments.csv, line 7, column classSourcedId: unknown class “k99”; enrollment skipped",
        "enrollments.csv, line 8, column userSourcedId: unknown user “t99”; enrollment skipped",
    ]
    assert len(data.meetings) == 25


def test_a_student_enrolled_as_teacher_is_not_imported(tmp_path):
    enrollments = ENROLLMENTS + "e6,k3,s1,st1,teacher,active\n"
    data = read_oneroster(write_folder(tmp_path / "e", enrollments=enrollments))

    assert "st1" not in data.teachers
    assert "does not have the teacher role" in data.warnings[0].message
    assert "Bartholomew" not in repr(data)


def test_an_empty_optional_file_is_ignored_with_a_warning(tmp_path):
    data = read_oneroster(write_folder(tmp_path / "e", courses=""))

    assert [str(w) for w in data.warnings] == ["courses.csv: the file is empty; ignored"]
    assert data.sections[("ALG1-01", "Algebra I - P1")].grade == "9"


def test_an_empty_needed_file_is_refused(tmp_path):
    assert str(error_of(write_folder(tmp_path / "e", classes=""))) == (
        "classes.csv: the file is empty"
    )


def test_numbered_periods_are_in_numeric_order_as_in_a_schedule_csv(tmp_path):
    # OneRoster sorted only bare numbers ("2", "10"); the schedule CSV also sorts labels
    # such as "P2", "P10": one rule (rosters.ordering) now orders both.
    classes = """\
sourcedId,title,schoolSourcedId,periods
k1,Art,s1,"P10,P2"
k2,Music,s1,P1
"""
    enrollments = "classSourcedId,userSourcedId,role\nk1,t1,teacher\nk2,t1,teacher\n"
    folder = write_folder(tmp_path / "e", classes=classes, enrollments=enrollments)

    data = read_oneroster(folder)

    assert data.periods == ["P1", "P2", "P10"]
