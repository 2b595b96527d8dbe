"""Real OneRoster exports stray from the specification: what is unambiguous is read, what was
assumed is said in a warning naming file, line and column, and the rest is refused the same
way. One small export per deviation, each a change of the Springfield fixture."""

from rosters.oneroster import read_oneroster
from rosters.tests.test_oneroster_reader import (
    CLASSES,
    ENROLLMENTS,
    NO_ENROLLMENTS,
    SAMPLE,
    USERS_11,
    error_of,
    write_folder,
)


def where(problem) -> tuple:
    return (problem.file, problem.line, problem.column)


# --- Orgs that are not schools ------------------------------------------------------------

DEPARTMENTS = """\
sourcedId,status,name,type,parentSourcedId
d1,active,Springfield District,district,
s1,active,Springfield High,school,d1
math,active,Math Department,department,s1
"""
MATH_CLASSES = """\
sourcedId,title,schoolSourcedId,periods
k1,Algebra I,s1,1
k5,Geometry,math,2
"""
MATH_ENROLLMENTS = "classSourcedId,userSourcedId,role\nk1,t1,teacher\nk5,t2,teacher\n"


def test_a_class_of_a_department_of_the_school_is_the_schools_with_a_warning(tmp_path):
    folder = write_folder(
        tmp_path / "e", orgs=DEPARTMENTS, classes=MATH_CLASSES, enrollments=MATH_ENROLLMENTS
    )

    data = read_oneroster(folder)

    assert [s.code for s in data.sections.values()] == ["Algebra I", "Geometry"]
    assert {m.teacher for m in data.meetings} == {"t1", "t2"}
    [warning] = data.warnings
    assert where(warning) == ("orgs.csv", 4, "parentSourcedId")
    assert "department “math” (Math Department) belongs to “s1”" in warning.message


NO_SCHOOL = """\
sourcedId,status,name,type,parentSourcedId
d1,active,Springfield District,district,
math,active,Math Department,department,d1
"""


def test_an_export_without_a_school_imports_the_one_org_its_classes_name(tmp_path):
    classes = "sourcedId,title,schoolSourcedId,periods\nk5,Geometry,math,2\n"
    enrollments = "classSourcedId,userSourcedId,role\nk5,t2,teacher\n"
    folder = write_folder(tmp_path / "e", orgs=NO_SCHOOL, classes=classes, enrollments=enrollments)

    data = read_oneroster(folder)

    assert [s.code for s in data.sections.values()] == ["Geometry"]
    [warning] = data.warnings
    assert where(warning) == ("orgs.csv", 3, "type")
    assert warning.message == (
        "no org has type “school”; the classes name only department “math” (Math Department), "
        "so its classes were imported into the school you chose"
    )


def test_classes_naming_several_orgs_and_no_school_ask_for_one(tmp_path):
    classes = MATH_CLASSES.replace(",s1,", ",d1,")
    folder = write_folder(
        tmp_path / "e", orgs=NO_SCHOOL, classes=classes, enrollments=NO_ENROLLMENTS
    )

    [problem] = error_of(folder).problems

    assert problem.file == "orgs.csv"
    assert problem.message == (
        "no org has type “school” and the classes name 2 orgs (district “d1” (Springfield "
        "District), department “math” (Math Department)); "
        "say which by its sourcedId (the import page's “OneRoster org sourcedId” field, "
        "or --org on the command line)"
    )


def test_any_org_may_be_chosen_with_a_warning_that_it_is_not_a_school(tmp_path):
    classes = MATH_CLASSES.replace(",s1,", ",d1,")
    folder = write_folder(
        tmp_path / "e", orgs=NO_SCHOOL, classes=classes, enrollments=MATH_ENROLLMENTS
    )

    data = read_oneroster(folder, org="d1")

    # The district's department is below it: its class counts too.
    assert [s.code for s in data.sections.values()] == ["Algebra I", "Geometry"]
    assert where(data.warnings[0]) == ("orgs.csv", 2, "type")
    assert data.warnings[0].message == (
        "org “d1” (Springfield District) is a district, not a school; its classes were "
        "imported into the school you chose"
    )


def test_choosing_the_department_takes_only_its_classes(tmp_path):
    folder = write_folder(
        tmp_path / "e", orgs=DEPARTMENTS, classes=MATH_CLASSES, enrollments=MATH_ENROLLMENTS
    )

    data = read_oneroster(folder, org="math")

    assert [s.code for s in data.sections.values()] == ["Geometry"]
    assert list(data.teachers) == ["t2"]
    assert "is a department, not a school" in data.warnings[0].message


def test_an_org_named_only_by_classes_may_be_chosen(tmp_path):
    classes = MATH_CLASSES.replace(",math,", ",science,")
    folder = write_folder(tmp_path / "e", classes=classes, enrollments=NO_ENROLLMENTS)

    data = read_oneroster(folder, org="science")

    assert [s.code for s in data.sections.values()] == ["Geometry"]
    assert str(data.warnings[0]) == (
        "orgs.csv: org “science” is not in orgs.csv; the classes that name it were imported "
        "into the school you chose"
    )


def test_an_org_whose_parent_is_missing_is_a_warning_not_a_refusal(tmp_path):
    orgs = "sourcedId,name,type,parentSourcedId\ns1,Springfield High,school,d9\n"

    data = read_oneroster(write_folder(tmp_path / "e", orgs=orgs))

    assert list(data.teachers) == ["t1", "t2", "t3"]
    [warning] = data.warnings
    assert str(warning) == (
        "orgs.csv, line 2, column parentSourcedId: parent org “d9” is not in orgs.csv; "
        "“Springfield High” is read without it"
    )


def test_the_sample_reads_for_either_school_and_a_school_above_a_school_takes_only_its_own():
    # In the sample, School 1's parent is School 2: choosing School 2 does not take School 1.
    data = read_oneroster(SAMPLE, org="54321")

    assert [s.code for s in data.sections.values()] == ["Class 3 title"]
    assert not [w for w in data.warnings if w.file == "orgs.csv"]
    assert "not needed, not read: demographics.csv" in data.notes


# --- Enumerations in any letter case --------------------------------------------------------


def test_enumerations_are_read_in_any_letter_case(tmp_path):
    orgs = """\
sourcedId,status,name,type
d1,Active,District,District
s1,ACTIVE,Springfield High,School
"""
    users = (
        USERS_11.replace(",teacher,", ",Teacher,")
        .replace(",student,", ",STUDENT,")
        .replace("tobedeleted", "TOBEDELETED")
    )
    classes = CLASSES.replace("scheduled", "Scheduled").replace("homeroom", "HOMEROOM")
    classes = classes.replace("tobedeleted", "ToBeDeleted")
    enrollments = ENROLLMENTS.replace(",teacher,", ",Teacher,").replace(",active", ",Active")
    folder = write_folder(
        tmp_path / "e", orgs=orgs, users=users, classes=classes, enrollments=enrollments
    )

    data = read_oneroster(folder)

    assert list(data.teachers) == ["t1", "t2", "t3"]
    assert "OLD-01" not in {s.code for s in data.sections.values()}
    assert len(data.meetings) == 25
    assert "skipped 1 student user" in data.notes
    assert data.warnings == []


# --- OneRoster 1.2: roles.csv, userProfiles.csv; users in several orgs ------------------------

ROLES_SEVERAL_ORGS = """\
sourcedId,status,userSourcedId,roleType,role,orgSourcedId,userProfileSourcedId
r1,active,t1,primary,Teacher,s1,p1
r2,active,t2,primary,teacher,d1,
r2b,active,t2,secondary,TEACHER,s1,
r3,active,t3,primary,teacher,s1,
r5,active,st1,primary,Student,s1,
"""
USER_PROFILES = """\
sourcedId,status,userSourcedId,profileType,vendorId,applicationId,description,credentialType,username,password
p1,active,t1,lms,v1,a1,Canvas,password,ahoover,secret
"""


def test_a_12_export_with_user_profiles_reads_roles_and_leaves_profiles_unread(tmp_path):
    folder = write_folder(tmp_path / "e", version="1.2", roles=ROLES_SEVERAL_ORGS)
    (folder / "userProfiles.csv").write_text(USER_PROFILES)
    manifest = (folder / "manifest.csv").read_text() + "file.userProfiles,bulk\n"
    (folder / "manifest.csv").write_text(manifest)

    data = read_oneroster(folder)

    assert list(data.teachers) == ["t1", "t2", "t3"]
    assert "not needed, not read: userProfiles.csv" in data.notes
    assert "secret" not in repr(data)
    assert data.warnings == []


def test_a_teacher_of_several_orgs_belongs_to_the_school(tmp_path):
    users = USERS_11 + 't5,active,true,"d1, s1",teacher,nflanders,Ned,Flanders,,906\n'

    data = read_oneroster(write_folder(tmp_path / "e", users=users))

    # Ned teaches nothing, but the school is among his orgs.
    assert data.teachers["t5"].name == "Ned Flanders"


# --- Empty optional columns, dates, vendor columns --------------------------------------------


def test_empty_and_missing_optional_columns_are_read_as_nothing(tmp_path):
    classes = """\
sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,periods
k1,,,Algebra I,,,,,,s1,,,1
"""
    users = "sourcedId,role,orgSourcedIds\nt1,teacher,\n"
    enrollments = "classSourcedId,userSourcedId,role\nk1,t1,teacher\n"
    folder = write_folder(
        tmp_path / "e", classes=classes, users=users, enrollments=enrollments, courses=None
    )

    data = read_oneroster(folder)

    [section] = data.sections.values()
    assert (section.code, section.course, section.subject, section.grade) == (
        "Algebra I",
        "Algebra I",
        "",
        "",
    )
    assert data.teachers["t1"].name == "t1"
    assert len(data.meetings) == 5
    assert data.warnings == []


def test_dates_are_read_with_or_without_a_time(tmp_path):
    orgs = """\
sourcedId,status,dateLastModified,name,type
s1,active,2023-08-01,Springfield High,school
d1,active,2023-08-01T12:30:00.000Z,Springfield District,district
"""
    sessions = """\
sourcedId,status,dateLastModified,title,type,startDate,endDate
term1,active,2023-05-06 08:01:05,Fall 2023,term,2023-08-28T00:00:00Z,2023-12-22 00:00
"""
    data = read_oneroster(write_folder(tmp_path / "e", orgs=orgs, academicSessions=sessions))

    assert data.term_name == "Fall 2023"
    assert data.warnings == []


def test_vendor_columns_anywhere_are_skipped(tmp_path):
    orgs = "sourcedId,name,type,ext_state_id,metadata.kind\ns1,Springfield High,school,77,x\n"
    enrollments = ENROLLMENTS.replace("status\n", "status,ext_section\n", 1)

    data = read_oneroster(write_folder(tmp_path / "e", orgs=orgs, enrollments=enrollments))

    assert len(data.meetings) == 25
    assert data.warnings == []


# --- What is refused still says where ------------------------------------------------------


def test_an_unknown_file_mode_is_refused_at_its_manifest_line(tmp_path):
    folder = write_folder(tmp_path / "e", modes={"classes": "full"})

    [problem] = error_of(folder).problems

    assert where(problem) == ("manifest.csv", 8, "value")
    assert problem.message == "“full” is not bulk, delta or absent"


def test_a_missing_required_column_is_refused_at_its_file_line_and_column(tmp_path):
    orgs = "sourcedId,name\ns1,Springfield High\n"

    [problem] = error_of(write_folder(tmp_path / "e", orgs=orgs)).problems

    assert where(problem) == ("orgs.csv", 1, "type")


def test_an_export_with_no_school_and_no_class_naming_an_org_is_refused(tmp_path):
    classes = "sourcedId,title,schoolSourcedId\nk1,Art,\n"
    folder = write_folder(
        tmp_path / "e", orgs=NO_SCHOOL, classes=classes, enrollments=NO_ENROLLMENTS
    )

    [problem] = error_of(folder).problems

    assert str(problem) == "orgs.csv: no org has type “school” and no class names an org"
