"""A delta export merged onto the schedule stored before: rows marked `active` add or change,
rows marked `tobedeleted` remove (a class: its section and meetings; a teacher's enrollment:
their meetings of that class; a teacher: all their meetings). The result is the whole
schedule, so that the preview compares it with what is stored like any other import, and a
delta that removes much must still be confirmed. Rows naming something unknown are warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import product

from ..csvfiles import Row
from ..ordering import natural_order
from ..schedule_data import MeetingRecord, ScheduleData, SectionRecord, TeacherRecord
from .classes import Class, Classes
from .manifest import Export
from .people import People, teacher_record

SectionKey = tuple[str, str]
# A stored section's lessons: (day, period, room), whoever teaches them.
Slots = list[tuple[str, str, str]]


@dataclass
class Counts:
    classes_changed: int = 0
    classes_removed: int = 0
    teachers_changed: int = 0
    teachers_removed: int = 0
    enrollments_added: int = 0
    enrollments_removed: int = 0


@dataclass
class Schedule:
    """The stored schedule taken apart by section, to be changed row by row."""

    teachers: dict[str, TeacherRecord]
    sections: dict[SectionKey, SectionRecord]
    meetings: dict[SectionKey, list[MeetingRecord]]
    by_source: dict[str, SectionKey] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)

    @classmethod
    def of(cls, base: ScheduleData) -> Schedule:
        meetings: dict[SectionKey, list[MeetingRecord]] = {key: [] for key in base.sections}
        for meeting in base.meetings:
            meetings.setdefault(meeting.section, []).append(meeting)
        by_source = {s.source_id: key for key, s in base.sections.items() if s.source_id}
        return cls(dict(base.teachers), dict(base.sections), meetings, by_source)

    def section_remove(self, key: SectionKey) -> list[MeetingRecord]:
        section = self.sections.pop(key)
        self.by_source.pop(section.source_id, None)
        return self.meetings.pop(key, [])

    def teacher_drop(self, teacher: str, key: SectionKey | None = None) -> int:
        """Remove a teacher's meetings (of one section, or all); how many went."""
        dropped = 0
        for section, meetings in self.meetings.items():
            if key is None or section == key:
                kept = [m for m in meetings if m.teacher != teacher]
                dropped += len(meetings) - len(kept)
                self.meetings[section] = kept
        return dropped


def merge_delta(export: Export, base: ScheduleData, classes: Classes, people: People) -> None:
    """Leave in export.data the stored schedule `base` with the delta's rows applied."""
    schedule = Schedule.of(base)
    _users_apply(export, schedule, people)
    slots = _classes_apply(export, schedule, classes)
    _enrollments_apply(export, schedule, classes, people, slots)
    for cls in classes.ours.values():
        key = cls.section.key
        lessons = slots.get(key)
        if lessons is None:
            lessons = [
                (day, period, cls.room) for day, period in product(export.data.days, cls.periods)
            ]
        schedule.meetings[key] = [
            MeetingRecord(teacher, key, day, period, room, line=cls.line)
            for teacher in cls.teachers
            for day, period, room in lessons
        ]
    _store(export.data, base, schedule)


def _users_apply(export: Export, schedule: Schedule, people: People) -> None:
    """Stored teachers changed; new teachers of the school added; teachers marked
    tobedeleted lose their meetings (the person stays: they may come back). Other users
    marked tobedeleted are nobody the school stores (students among them): skipped quietly."""
    for sourced_id, row in people.users.items():
        orgs = people.teacher_orgs.get(sourced_id)
        stored = schedule.teachers.get(sourced_id)
        if stored is None and (orgs is None or not orgs & export.school_orgs):
            continue  # a teacher elsewhere, added below if they teach one of our classes
        record = teacher_record(sourced_id, row)
        if stored is not None and stored.name == record.name:
            continue
        schedule.teachers[sourced_id] = record
        schedule.counts.teachers_changed += 1
    for sourced_id in export.deleted("users.csv") & schedule.teachers.keys():
        del schedule.teachers[sourced_id]
        schedule.teacher_drop(sourced_id)
        schedule.counts.teachers_removed += 1


def _classes_apply(export: Export, schedule: Schedule, classes: Classes) -> dict[SectionKey, Slots]:
    """Classes marked tobedeleted removed; the delta's other classes replace what is stored of
    them, keeping their teachers. The lessons of a changed class whose export has no
    `periods` column stay as stored (returned by section)."""
    kept_slots: dict[SectionKey, Slots] = {}
    for row in export.rows("classes.csv"):
        if row.get("status").lower() != "tobedeleted":
            continue
        key = schedule.by_source.get(row.get("sourcedId"))
        if key is None:
            message = f"unknown class “{row.get('sourcedId')}”; nothing to remove"
            export.warn("classes.csv", row.line, "sourcedId", message)
            continue
        schedule.section_remove(key)
        schedule.counts.classes_removed += 1
    table = export.tables.get("classes.csv")
    has_periods = table is not None and "periods" in table.columns
    for sourced_id, cls in classes.ours.items():
        key = schedule.by_source.get(sourced_id)
        if key is not None:
            stored = schedule.section_remove(key)
            cls.teachers = list(dict.fromkeys(m.teacher for m in stored))
            if not has_periods:
                kept_slots[key] = _slots_of(stored)
        cls.section = _unclashed(export, schedule, cls)
        if key is not None and key != cls.section.key and key in kept_slots:
            kept_slots[cls.section.key] = kept_slots.pop(key)
        schedule.sections[cls.section.key] = cls.section
        schedule.by_source[sourced_id] = cls.section.key
        schedule.counts.classes_changed += 1
    return kept_slots


def _slots_of(meetings: list[MeetingRecord]) -> Slots:
    return list(dict.fromkeys((m.day, m.period, m.room) for m in meetings))


def _unclashed(export: Export, schedule: Schedule, cls: Class) -> SectionRecord:
    """The class's section, renamed like a bulk import renames it when another stored
    section already has its code and course."""
    section = cls.section
    if section.key not in schedule.sections:
        return section
    renamed = replace(section, code=f"{section.code} ({section.source_id})")
    message = (
        f"another class is also “{section.code}” in course “{section.course}”; "
        f"this one is called “{renamed.code}”"
    )
    export.warn("classes.csv", cls.line, "sourcedId", message)
    return renamed


def _enrollments_apply(
    export: Export,
    schedule: Schedule,
    classes: Classes,
    people: People,
    slots: dict[SectionKey, Slots],
) -> None:
    for row in export.rows("enrollments.csv"):
        class_id = row.get("classSourcedId")
        cls = classes.ours.get(class_id)
        key = cls.section.key if cls else schedule.by_source.get(class_id)
        if key is None:
            if class_id not in classes.others:
                message = f"unknown class “{class_id}”; enrollment skipped"
                export.warn("enrollments.csv", row.line, "classSourcedId", message)
            continue
        if row.get("status").lower() == "tobedeleted":
            _enrollment_remove(export, schedule, row, cls, key)
        elif _teacher_known(export, schedule, people, row):
            _enrollment_add(export, schedule, row, cls, key, slots)


def _enrollment_remove(
    export: Export, schedule: Schedule, row: Row, cls: Class | None, key: SectionKey
) -> None:
    user = row.get("userSourcedId")
    if cls is not None:
        removed = user in cls.teachers
        if removed:
            cls.teachers.remove(user)
    else:
        removed = schedule.teacher_drop(user, key) > 0
    if removed:
        schedule.counts.enrollments_removed += 1
    elif user not in export.deleted("users.csv"):  # else the teacher went as a whole
        message = f"“{user}” does not teach class “{row.get('classSourcedId')}”; nothing to remove"
        export.warn("enrollments.csv", row.line, "userSourcedId", message)


def _teacher_known(export: Export, schedule: Schedule, people: People, row: Row) -> bool:
    """Whether the enrolled user is a teacher (a stored one, or one the delta brings)."""
    user = row.get("userSourcedId")
    if user in schedule.teachers:
        return True
    if user in people.teacher_orgs and user in people.users:
        schedule.teachers[user] = teacher_record(user, people.users[user])
        return True
    if user in people.users:
        message = f"user “{user}” does not have the teacher role; enrollment skipped"
    elif user not in export.deleted("users.csv"):
        message = f"unknown user “{user}”; enrollment skipped"
    else:
        return False
    export.warn("enrollments.csv", row.line, "userSourcedId", message)
    return False


def _enrollment_add(
    export: Export,
    schedule: Schedule,
    row: Row,
    cls: Class | None,
    key: SectionKey,
    slots: dict[SectionKey, Slots],
) -> None:
    user = row.get("userSourcedId")
    if cls is not None:
        if user not in cls.teachers:
            cls.teachers.append(user)
            schedule.counts.enrollments_added += 1
        return
    meetings = schedule.meetings.setdefault(key, [])
    if any(m.teacher == user for m in meetings):
        return
    lessons = slots.get(key) or _slots_of(meetings)
    if not lessons:
        message = (
            f"class “{row.get('classSourcedId')}” has no periods stored; the teacher gets its "
            "lessons when an export gives its periods"
        )
        export.warn("enrollments.csv", row.line, "classSourcedId", message)
    meetings.extend(
        MeetingRecord(user, key, day, period, room, line=row.line) for day, period, room in lessons
    )
    schedule.counts.enrollments_added += 1


def _store(data: ScheduleData, base: ScheduleData, schedule: Schedule) -> None:
    data.delta = True
    data.bell = dict(base.bell)
    data.teachers = schedule.teachers
    data.sections = schedule.sections
    data.meetings = [m for meetings in schedule.meetings.values() for m in meetings]
    used = [m.period for m in data.meetings if m.period not in base.periods]
    data.periods = base.periods + natural_order(list(dict.fromkeys(used)))
    c = schedule.counts
    data.notes.insert(
        0,
        "a delta export, applied onto the schedule stored now: "
        f"{c.classes_changed} classes added or changed, {c.classes_removed} removed; "
        f"{c.enrollments_added} teacher enrollments added, {c.enrollments_removed} removed; "
        f"{c.teachers_changed} teachers added or changed, {c.teachers_removed} removed",
    )
