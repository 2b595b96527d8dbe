"""A delta export (the manifest marks files `delta`) holds only what changed since the last
export. It is merged onto the schedule the school stores: `active` rows add or change,
`tobedeleted` rows remove, and the result is the whole schedule again, for the ordinary
preview. Here the stored schedule is the Springfield fixture read in bulk."""

import pytest

from rosters.oneroster import read_oneroster
from rosters.tests.test_oneroster_reader import write_folder

BULK_PARTS = ("orgs", "users", "courses", "academicSessions")


@pytest.fixture
def stored(tmp_path):
    """Springfield as stored: Algebra (t1, periods 1 and 3), Biology (t2, periods 2-4), a
    study hall without periods or teacher."""
    return read_oneroster(write_folder(tmp_path / "bulk"))


def delta_folder(path, **files):
    """An export whose given files are deltas; every other file is absent."""
    absent = {name: None for name in (*BULK_PARTS, "classes", "enrollments") if name not in files}
    modes = {name: "delta" for name in files}
    return write_folder(path, modes=modes, **absent, **files)


def meetings_of(data, code: str) -> set[tuple[str, str, str]]:
    return {(m.teacher, m.day, m.period) for m in data.meetings if m.section[0] == code}


def test_every_section_read_from_a_roster_keeps_its_sourced_id(stored):
    assert {s.code: s.source_id for s in stored.sections.values()} == {
        "ALG1-01": "k1",
        "BIO-01": "k2",
        "Study hall": "k3",
    }


def test_a_delta_adds_changes_and_removes_classes(tmp_path, stored):
    classes = """\
sourcedId,status,title,classCode,courseSourcedId,schoolSourcedId,location,periods
k1,tobedeleted,Algebra I - P1,ALG1-01,c1,s1,Room 101,"1,3"
k2,active,Biology - P2,BIO-01,c2,s1,Lab 3,2
k6,active,Chemistry,CHEM-01,c3,s1,Lab 4,5
"""
    enrollments = "sourcedId,status,classSourcedId,userSourcedId,role\ne9,active,k6,t3,teacher\n"
    folder = delta_folder(tmp_path / "delta", classes=classes, enrollments=enrollments)

    data = read_oneroster(folder, stored=lambda: stored)

    assert data.delta
    assert [s.code for s in data.sections.values()] == ["Study hall", "BIO-01", "CHEM-01"]
    biology = data.sections[("BIO-01", "Biology")]  # its course stays as stored
    assert (biology.subject, biology.grade, biology.source_id) == ("Science", "9,10", "k2")
    week = stored.days
    assert meetings_of(data, "BIO-01") == {("t2", day, "2") for day in week}
    assert {m.room for m in data.meetings if m.section[0] == "BIO-01"} == {"Lab 3"}
    assert meetings_of(data, "CHEM-01") == {("t3", day, "5") for day in week}
    assert meetings_of(data, "ALG1-01") == set()
    assert data.periods == ["1", "2", "3", "4", "5"]
    assert data.teachers.keys() == stored.teachers.keys()
    assert data.notes[0] == (
        "a delta export, applied onto the schedule stored now: 2 classes added or changed, "
        "1 removed; 1 teacher enrollments added, 0 removed; 0 teachers added or changed, "
        "0 removed"
    )
    assert data.warnings == []


def test_a_delta_moves_teachers_between_classes(tmp_path, stored):
    enrollments = """\
sourcedId,status,classSourcedId,userSourcedId,role
e2,tobedeleted,k2,t2,teacher
e7,Active,k1,t3,Teacher
e8,active,k1,st1,student
"""
    data = read_oneroster(
        delta_folder(tmp_path / "d", enrollments=enrollments), stored=lambda: stored
    )

    assert meetings_of(data, "BIO-01") == set()
    # Allison's colleague joins Algebra in each of its lessons.
    assert meetings_of(data, "ALG1-01") == {
        (teacher, day, period)
        for teacher in ("t1", "t3")
        for day in stored.days
        for period in ("1", "3")
    }
    assert "st1" not in repr(data)
    assert data.warnings == []


def test_a_teacher_marked_tobedeleted_loses_every_meeting_and_a_renamed_one_is_renamed(
    tmp_path, stored
):
    users = """\
sourcedId,status,orgSourcedIds,role,username,givenName,familyName
t1,tobedeleted,s1,teacher,ahoover,Allison,Hoover
t2,active,s1,teacher,ekrabappel,Edna,Flanders
st1,tobedeleted,s1,student,bsimpson,Bart,Simpson
"""
    data = read_oneroster(delta_folder(tmp_path / "d", users=users), stored=lambda: stored)

    assert "t1" not in data.teachers
    assert {m.teacher for m in data.meetings} == {"t2"}
    assert data.teachers["t2"].name == "Edna Flanders"
    assert "Bart" not in repr(data)
    assert data.warnings == []


def test_a_delta_naming_what_is_unknown_is_warned_about_by_file_line_and_column(tmp_path, stored):
    classes = "sourcedId,status,title,schoolSourcedId\nk99,tobedeleted,Gone,s1\n"
    enrollments = """\
sourcedId,status,classSourcedId,userSourcedId,role
e1,tobedeleted,k2,t1,teacher
e2,active,k2,t99,teacher
e3,active,k77,t1,teacher
"""
    folder = delta_folder(tmp_path / "d", classes=classes, enrollments=enrollments)

    data = read_oneroster(folder, stored=lambda: stored)

    assert [str(w) for w in data.warnings] == [
        "classes.csv, line 2, column sourcedId: unknown class “k99”; nothing to remove",
        "enrollments.csv, line 2, column userSourcedId: “t1” does not teach class “k2”; "
        "nothing to remove",
        "enrollments.csv, line 3, column userSourcedId: unknown user “t99”; enrollment skipped",
        "enrollments.csv, line 4, column classSourcedId: unknown class “k77”; enrollment skipped",
    ]
    assert data.meetings == stored.meetings


def test_a_changed_class_without_periods_in_the_export_keeps_its_lessons(tmp_path, stored):
    classes = "sourcedId,status,title,classCode,schoolSourcedId\nk1,active,Algebra,ALG1-02,s1\n"

    data = read_oneroster(delta_folder(tmp_path / "d", classes=classes), stored=lambda: stored)

    assert meetings_of(data, "ALG1-02") == meetings_of(stored, "ALG1-01")
    assert meetings_of(data, "ALG1-01") == set()


def test_the_same_delta_applied_again_changes_nothing_more(tmp_path, stored):
    enrollments = "sourcedId,status,classSourcedId,userSourcedId,role\ne7,active,k1,t3,teacher\n"
    folder = delta_folder(tmp_path / "d", enrollments=enrollments)

    once = read_oneroster(folder, stored=lambda: stored)
    twice = read_oneroster(folder, stored=lambda: once)

    assert sorted(map(repr, twice.meetings)) == sorted(map(repr, once.meetings))


def test_a_delta_with_orgs_and_users_in_bulk_still_merges(tmp_path, stored):
    classes = "sourcedId,status,title,schoolSourcedId,periods\nk6,active,Chemistry,s1,5\n"
    enrollments = "classSourcedId,userSourcedId,role,status\nk6,t1,teacher,active\n"
    folder = write_folder(
        tmp_path / "d",
        modes={"classes": "delta", "enrollments": "delta"},
        classes=classes,
        enrollments=enrollments,
    )

    data = read_oneroster(folder, stored=lambda: stored)

    assert meetings_of(data, "Chemistry") == {("t1", day, "5") for day in stored.days}
    assert len(data.meetings) == len(stored.meetings) + 5


def test_a_bulk_export_ignores_the_stored_schedule(tmp_path, stored):
    data = read_oneroster(write_folder(tmp_path / "again"), stored=lambda: stored)

    assert not data.delta
    assert data.meetings == stored.meetings


def test_a_new_teacher_joins_and_a_class_without_periods_is_warned_about(tmp_path, stored):
    users = """\
sourcedId,status,orgSourcedIds,role,username,givenName,familyName
t5,active,s1,teacher,nflanders,Ned,Flanders
t6,active,d1,teacher,elsewhere,Else,Where
st2,active,s1,student,lsimpson,Lisa,Simpson
"""
    enrollments = """\
sourcedId,status,classSourcedId,userSourcedId,role
e1,active,k3,t5,teacher
e2,active,k2,st2,teacher
"""
    folder = delta_folder(tmp_path / "d", users=users, enrollments=enrollments)

    data = read_oneroster(folder, stored=lambda: stored, org="s1")

    assert data.teachers["t5"].name == "Ned Flanders"
    assert "t6" not in data.teachers  # another org's teacher, teaching nothing here
    assert [str(w) for w in data.warnings] == [
        "enrollments.csv, line 2, column classSourcedId: class “k3” has no periods stored; "
        "the teacher gets its lessons when an export gives its periods",
        "enrollments.csv, line 3, column userSourcedId: user “st2” does not have the teacher "
        "role; enrollment skipped",
    ]


def test_a_changed_class_taking_a_stored_sections_name_is_renamed(tmp_path, stored):
    classes = "sourcedId,status,title,classCode,courseSourcedId,schoolSourcedId\n"
    classes += "k2,active,Biology,ALG1-01,c1,s1\n"
    courses = "sourcedId,title\nc1,Algebra I\n"
    folder = delta_folder(tmp_path / "d", classes=classes, courses=courses)

    data = read_oneroster(folder, stored=lambda: stored)

    assert ("ALG1-01 (k2)", "Algebra I") in data.sections
    assert data.warnings[0].message == (
        "another class is also “ALG1-01” in course “Algebra I”; this one is called “ALG1-01 (k2)”"
    )


def test_a_delta_without_classes_or_orgs_changes_only_people(tmp_path, stored):
    users = "sourcedId,status,orgSourcedIds,role,givenName,familyName\n"
    users += "t3,active,s1,teacher,Glen,Quagmire\n"

    data = read_oneroster(delta_folder(tmp_path / "d", users=users), stored=lambda: stored)

    assert data.teachers["t3"].name == "Glen Quagmire"
    assert data.meetings == stored.meetings
