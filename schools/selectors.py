"""Reads of the master schedule: the grid of teachers × periods and one teacher's week.

Each read runs a fixed number of queries, however many teachers the school has.
"""

from dataclasses import dataclass, field

from .models import Day, Meeting, Person, Role, School, Slot, Term, Unavailability


@dataclass
class Cell:
    meetings: list[Meeting] = field(default_factory=list)
    unavailable: str = ""

    @property
    def is_free(self) -> bool:
        return not self.meetings and not self.unavailable


@dataclass
class GridRow:
    teacher: Person
    cells: list[Cell]

    @property
    def free_count(self) -> int:
        return sum(cell.is_free for cell in self.cells)


@dataclass
class ScheduleGrid:
    term: Term | None
    days: list[Day]
    day: Day | None
    slots: list[Slot]
    rows: list[GridRow]
    subjects: list[str]
    grades: list[str]


def term_current(school: School) -> Term | None:
    """The school's schedule now: the term imported last."""
    return school.terms.order_by("-id").first()


def _cells_by_teacher(term: Term, slots: list[Slot]) -> dict[int, dict[int, Cell]]:
    wanted = {slot.pk for slot in slots}
    cells: dict[int, dict[int, Cell]] = {}
    meetings = Meeting.objects.filter(section__term=term).select_related("section")
    for meeting in meetings:
        if meeting.slot_id in wanted:
            cells.setdefault(meeting.teacher_id, {}).setdefault(
                meeting.slot_id, Cell()
            ).meetings.append(meeting)
    for duty in Unavailability.objects.filter(slot__term=term):
        if duty.slot_id in wanted:
            cells.setdefault(duty.person_id, {}).setdefault(
                duty.slot_id, Cell()
            ).unavailable = duty.reason
    return cells


def _matches(cells: dict[int, Cell], subject: str, grade: str) -> bool:
    sections = [m.section for cell in cells.values() for m in cell.meetings]
    return any(
        (not subject or s.subject == subject) and (not grade or grade in s.grades) for s in sections
    )


def schedule_grid(
    *, school: School, day_label: str = "", subject: str = "", grade: str = ""
) -> ScheduleGrid:
    """Teachers × slots for the week, or for one day; filtered to teachers of a subject/grade."""
    term = term_current(school)
    if term is None:
        return ScheduleGrid(None, [], None, [], [], [], [])
    days = list(term.days.all())
    day = next((d for d in days if d.label == day_label), None)
    slots = list(
        Slot.objects.filter(term=term, **({"day": day} if day else {}))
        .select_related("day", "period")
        .order_by("day__position", "period__position")
    )
    cells = _cells_by_teacher(term, slots)
    sections = list(term.sections.values_list("subject", "grade"))
    teachers = Person.objects.filter(
        memberships__school=school, memberships__role=Role.TEACHER
    ).distinct()
    rows = [
        GridRow(teacher, [cells.get(teacher.pk, {}).get(slot.pk, Cell()) for slot in slots])
        for teacher in teachers
        if (not subject and not grade) or _matches(cells.get(teacher.pk, {}), subject, grade)
    ]
    return ScheduleGrid(
        term=term,
        days=days,
        day=day,
        slots=slots,
        rows=rows,
        subjects=sorted({s for s, _ in sections if s}),
        grades=sorted(
            {g.strip() for _, gs in sections for g in gs.split(",") if g.strip()},
            key=lambda g: (len(g), g),
        ),
    )


@dataclass
class TeacherWeek:
    teacher: Person
    days: list[Day]
    # One row per period: its label, its clock times ("08:00–08:50" or ""), one cell per day.
    rows: list[tuple[str, str, list[Cell]]]

    @property
    def free_count(self) -> int:
        return sum(cell.is_free for _, _, cells in self.rows for cell in cells)


def teacher_week(*, school: School, teacher: Person) -> TeacherWeek | None:
    """One teacher's week: days across, periods down, free (planning) periods marked."""
    term = term_current(school)
    if term is None:
        return None
    days = list(term.days.all())
    periods = list(term.periods.all())
    slots = list(Slot.objects.filter(term=term).select_related("day", "period"))
    cells = {slot.pk: Cell() for slot in slots}
    meetings = Meeting.objects.filter(section__term=term, teacher=teacher).select_related("section")
    for meeting in meetings:
        cells[meeting.slot_id].meetings.append(meeting)
    for duty in Unavailability.objects.filter(slot__term=term, person=teacher):
        cells[duty.slot_id].unavailable = duty.reason
    by_position = {(s.period.position, s.day.position): s for s in slots}
    times = {s.period_id: f"{s.starts_at:%H:%M}–{s.ends_at:%H:%M}" for s in slots if s.starts_at}
    rows = [
        (
            p.label,
            times.get(p.pk, ""),
            [
                cells[by_position[(p.position, d.position)].pk]
                if (p.position, d.position) in by_position
                else Cell(unavailable="No lesson time")
                for d in days
            ],
        )
        for p in periods
    ]
    return TeacherWeek(teacher=teacher, days=days, rows=rows)
