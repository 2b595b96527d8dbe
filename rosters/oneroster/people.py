"""People: the school's teachers, found through their roles (in users.csv for 1.1, roles.csv
for 1.2) and their enrollments. Students are counted as the files stream by, never kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..csvfiles import Row, cell_list
from ..schedule_data import TeacherRecord
from .classes import Classes
from .manifest import Export


@dataclass
class People:
    users: dict[str, Row]  # every live user, by sourcedId
    teacher_orgs: dict[str, set[str]]  # teachers' sourcedIds → the orgs they belong to
    students: int


def enrollment_keeper(classes: Classes) -> Callable[[Row], bool]:
    """Teachers' enrollments in classes that are not another school's: students' are never
    kept, and the school's teachers are found through these."""

    def keep(row: Row) -> bool:
        return row.get("role").lower() == "teacher" and row.get("classSourcedId") not in (
            classes.others
        )

    return keep


def read_people(export: Export) -> People:
    """The users who may be the school's teachers. Students and other staff are counted or
    skipped as users.csv streams by; none of them is kept."""
    enrolled = {row.get("userSourcedId") for row in export.rows("enrollments.csv")}
    # A delta may change a stored teacher without repeating their role.
    enrolled |= export.known_teachers
    students = 0
    keep: Callable[[Row], bool]
    if export.version == "1.1":

        def keep_11(row: Row) -> bool:
            nonlocal students
            role = row.get("role").lower()
            if role == "teacher" or row.get("sourcedId") in enrolled:
                return True
            students += role == "student" and row.get("status").lower() != "tobedeleted"
            return False

        keep = keep_11
    else:
        export.load("roles.csv", keep=lambda row: row.get("role").lower() == "teacher")
        with_role = {row.get("userSourcedId") for row in export.rows("roles.csv")}

        def keep_12(row: Row) -> bool:
            return row.get("sourcedId") in with_role or row.get("sourcedId") in enrolled

        keep = keep_12
    export.load("users.csv", keep=keep)
    users = export.index("users.csv")
    if export.version == "1.1":
        teacher_orgs, kept_students = _roles_in_users(users)
        students += kept_students
    else:
        teacher_orgs = _roles_in_roles(export, users)
        students = _students_in_roles(export, teacher_orgs)
    if students:
        export.data.notes.append(f"skipped {_count(students, 'student user')}")
    return People(users, teacher_orgs, students)


def _roles_in_users(users: dict[str, Row]) -> tuple[dict[str, set[str]], int]:
    """OneRoster 1.1: each user has one role and a list of orgs."""
    teacher_orgs: dict[str, set[str]] = {}
    students = 0
    for sourced_id, row in users.items():
        role = row.get("role").lower()
        if role == "teacher":
            teacher_orgs[sourced_id] = set(cell_list(row.get("orgSourcedIds")))
        elif role == "student":
            students += 1
    return teacher_orgs, students


def _roles_in_roles(export: Export, users: dict[str, Row]) -> dict[str, set[str]]:
    """OneRoster 1.2: roles.csv gives each user a role in each org (teachers' rows are kept)."""
    teacher_orgs: dict[str, set[str]] = {}
    deleted = export.deleted("users.csv")
    for row in export.live_rows("roles.csv"):
        user = row.get("userSourcedId")
        if user in users:
            teacher_orgs.setdefault(user, set()).add(row.get("orgSourcedId"))
        elif user not in deleted and user not in export.known_teachers:
            export.warn(
                "roles.csv", row.line, "userSourcedId", f"unknown user “{user}”; row skipped"
            )
    return teacher_orgs


def _students_in_roles(export: Export, teachers: dict[str, set[str]]) -> int:
    """Student roles of users who are not teachers, counted in a second pass over roles.csv
    rather than by keeping every student's id."""
    counted = 0

    def count(row: Row) -> bool:
        nonlocal counted
        counted += (
            row.get("role").lower() == "student"
            and row.get("status").lower() != "tobedeleted"
            and row.get("userSourcedId") not in teachers
        )
        return False

    tables = dict(export.tables)
    export.load("roles.csv", keep=count)
    export.tables = tables
    return counted


def assign_teachers(export: Export, classes: Classes, people: People) -> None:
    """Give each of the school's classes its teachers, from enrollments.csv."""
    for row in export.live_rows("enrollments.csv"):
        if row.get("role").lower() != "teacher":
            continue
        class_id = row.get("classSourcedId")
        cls = classes.ours.get(class_id)
        if cls is None:
            if class_id not in classes.others:
                message = f"unknown class “{class_id}”; enrollment skipped"
                export.warn("enrollments.csv", row.line, "classSourcedId", message)
            continue
        teacher = _enrolled_teacher(export, row, people)
        if teacher and teacher not in cls.teachers:
            cls.teachers.append(teacher)


def _enrolled_teacher(export: Export, row: Row, people: People) -> str:
    user = row.get("userSourcedId")
    if user in people.teacher_orgs:
        return user
    if user in people.users:
        message = f"user “{user}” does not have the teacher role; enrollment skipped"
    elif user not in export.deleted("users.csv"):
        message = f"unknown user “{user}”; enrollment skipped"
    else:
        return ""
    export.warn("enrollments.csv", row.line, "userSourcedId", message)
    return ""


def store_teachers(export: Export, classes: Classes, people: People) -> None:
    """The teachers who teach one of the school's classes or belong to the school."""
    teaching = {teacher for cls in classes.ours.values() for teacher in cls.teachers}
    for sourced_id, row in people.users.items():
        orgs = people.teacher_orgs.get(sourced_id)
        if orgs is not None and (sourced_id in teaching or orgs & export.school_orgs):
            export.data.teachers[sourced_id] = teacher_record(sourced_id, row)


def teacher_record(sourced_id: str, row: Row) -> TeacherRecord:
    given, family = row.get("givenName"), row.get("familyName")
    return TeacherRecord(
        source_id=sourced_id,
        name=" ".join(filter(None, (given, family))) or row.get("username") or sourced_id,
        given_name=given,
        family_name=family,
        email=row.get("email"),
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
