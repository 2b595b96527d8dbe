"""What every schedule reader produces: the school's week, its teachers and their meetings.

Readers never touch the database; `schools.services.schedule_import` compares a
`ScheduleData` with what is stored and applies it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time

# Called as on_progress(done, total) while a reader works through a file.
ProgressCallback = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """The default progress callback: nobody is watching."""


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input file, located so that a person can fix it."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "column": self.column, "text": str(self)}


class ScheduleFileError(Exception):
    """The file cannot be imported; nothing was changed. `problems` says why and where."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class TeacherRecord:
    source_id: str
    name: str
    given_name: str = ""
    family_name: str = ""
    email: str = ""


@dataclass(frozen=True)
class SectionRecord:
    code: str
    course: str = ""
    subject: str = ""
    grade: str = ""
    # The class's id in its roster (OneRoster `sourcedId`), so that a later delta export can
    # name the section it changes or removes; "" for schedule CSVs.
    source_id: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.course)


@dataclass(frozen=True)
class MeetingRecord:
    teacher: str  # TeacherRecord.source_id
    section: tuple[str, str]  # SectionRecord.key
    day: str
    period: str
    room: str = ""
    line: int | None = None


@dataclass
class ScheduleData:
    """A whole master schedule as read from files, in the order the files give it."""

    source: str
    days: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    bell: dict[tuple[str, str], tuple[time, time]] = field(default_factory=dict)
    teachers: dict[str, TeacherRecord] = field(default_factory=dict)
    sections: dict[tuple[str, str], SectionRecord] = field(default_factory=dict)
    meetings: list[MeetingRecord] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Notes for the import summary: "3 combined classes (a teacher in two sections at once)".
    notes: list[str] = field(default_factory=list)
    term_name: str = ""
    # Read from a OneRoster delta export and merged onto the schedule stored before: the
    # data still holds the whole schedule, so the preview compares it as any other import.
    delta: bool = False

    def slots(self) -> list[tuple[str, str]]:
        """The (day, period) pairs of the week: the bell schedule's and those with lessons
        (a lesson outside the bell schedule still needs its slot)."""
        used = set(self.bell) | {(m.day, m.period) for m in self.meetings}
        return [(d, p) for d in self.days for p in self.periods if (d, p) in used]

    def combined_classes(self) -> int:
        """Slots in which one teacher has more than one meeting."""
        seen: dict[tuple[str, str, str], int] = {}
        for m in self.meetings:
            key = (m.teacher, m.day, m.period)
            seen[key] = seen.get(key, 0) + 1
        return sum(1 for count in seen.values() if count > 1)

    def summary(self) -> str:
        parts = [
            f"{len(self.teachers)} teachers",
            f"{len(self.sections)} sections",
            f"{len(self.meetings)} meetings",
            f"{len(self.slots())} periods a week over {len(self.days)} days",
        ]
        combined = self.combined_classes()
        if combined:
            parts.append(f"{combined} combined classes (a teacher in two sections at once)")
        return ", ".join(parts)
