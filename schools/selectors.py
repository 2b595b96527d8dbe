"""Reads of the master schedule: the grid of teachers × periods and one teacher's week.

Each read runs a fixed number of queries, however many teachers the school has.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from rosters.schedule_data import MeetingRecord, ScheduleData, SectionRecord, TeacherRecord

from .models import (
    AuditEntry,
    Day,
    Meeting,
    Membership,
    Person,
    Role,
    School,
    Slot,
    SourceId,
    Term,
    Unavailability,
)


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


def schedule_data_stored(school: School) -> ScheduleData | None:
    """The school's current term as a schedule reader would give it (days, periods, clock
    times, teachers by source id, sections with their roster ids, meetings), for a OneRoster
    delta export to be merged onto; None when no section is stored. Eight queries.

    Teachers are those with an id from an import who are active or still teach this term (a
    deactivated teacher with no lessons is nobody a delta changes)."""
    term = term_current(school)
    if term is None or not term.sections.exists():
        return None
    data = ScheduleData(
        source="stored",
        days=list(term.days.values_list("label", flat=True)),
        periods=list(term.periods.values_list("label", flat=True)),
        term_name=term.name,
    )
    slots = Slot.objects.filter(term=term, starts_at__isnull=False, ends_at__isnull=False)
    for slot in slots.select_related("day", "period"):
        if slot.starts_at is not None and slot.ends_at is not None:  # as filtered
            data.bell[(slot.day.label, slot.period.label)] = (slot.starts_at, slot.ends_at)
    meetings = list(
        Meeting.objects.filter(section__term=term).values_list(
            "teacher_id",
            "section__code",
            "section__course",
            "slot__day__label",
            "slot__period__label",
            "room",
        )
    )
    teaching = {meeting[0] for meeting in meetings}
    source_of = {}
    for source in SourceId.objects.filter(school=school).select_related("person"):
        person = source.person
        if person.is_active or person.pk in teaching:
            source_of[person.pk] = source.value
            data.teachers[source.value] = TeacherRecord(
                source_id=source.value,
                name=person.get_full_name(),
                given_name=person.first_name,
                family_name=person.last_name,
                email=person.email,
            )
    for section in term.sections.all():
        record = SectionRecord(
            section.code, section.course, section.subject, section.grade, section.source_id
        )
        data.sections[record.key] = record
    for teacher, code, course, day, period, room in meetings:
        if teacher in source_of:
            data.meetings.append(
                MeetingRecord(source_of[teacher], (code, course), day, period, room)
            )
    return data


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


@dataclass
class PersonRow:
    """One person on a school's People page: their roles here, what they teach this term and
    whether they can sign in."""

    person: Person
    roles: list[str]
    subjects: list[str]
    grades: list[str]
    has_sso: bool

    @property
    def can_sign_in(self) -> bool:
        return self.person.is_active and (self.person.has_usable_password() or self.has_sso)

    @property
    def email_settable(self) -> bool:
        """Whether the People page offers "Email": nobody holds the account yet (the service,
        `person_email_set`, checks again and says why not)."""
        person = self.person
        return (
            person.is_active
            and person.erased_at is None
            and person.last_login is None
            and not self.can_sign_in
        )

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles]


ROLE_ORDER = [role.value for role in Role]


def school_people(
    *, school: School, role: str = "", status: str = "", q: str = ""
) -> list[PersonRow]:
    """Everyone holding a role at the school, filtered by role, active/inactive and a name or
    email. Subjects and grades come from the master-schedule grid (`schedule_grid`), as on a
    cycle's People page; a fixed number of queries, however many people."""
    from allauth.socialaccount.models import SocialAccount

    people = Person.objects.filter(memberships__school=school)
    if role:
        people = people.filter(memberships__role=role)
    if status in ("active", "inactive"):
        people = people.filter(is_active=status == "active")
    for word in q.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(username__icontains=word)
        )
    people = (
        people.distinct()
        .annotate(has_sso=Exists(SocialAccount.objects.filter(user=OuterRef("pk"))))
        .order_by("last_name", "first_name", "pk")
    )
    roles: dict[int, set[str]] = {}
    for person_id, held in Membership.objects.filter(school=school).values_list(
        "person_id", "role"
    ):
        roles.setdefault(person_id, set()).add(held)
    grid = schedule_grid(school=school)
    taught = {
        row.teacher.pk: {m.section for cell in row.cells for m in cell.meetings}
        for row in grid.rows
    }
    rows = []
    for person in people:
        sections = taught.get(person.pk, set())
        rows.append(
            PersonRow(
                person=person,
                roles=sorted(roles.get(person.pk, set()), key=ROLE_ORDER.index),
                subjects=sorted({s.subject for s in sections if s.subject}),
                grades=sorted({g for s in sections for g in s.grades}, key=lambda g: (len(g), g)),
                has_sso=getattr(person, "has_sso", False),
            )
        )
    return rows


def audit_entries(*, district_id: int, school_id: int | None = None) -> QuerySet[AuditEntry]:
    """The district's audit log, newest first, optionally of one school."""
    entries = AuditEntry.objects.filter(district_id=district_id)
    if school_id is not None:
        entries = entries.filter(school_id=school_id)
    return entries.select_related("school", "actor", "subject").order_by("-at", "-pk")


def district_schools(*, district_id: int) -> QuerySet[School]:
    """The district's schools for its leaders' Schools page, archived ones last, each with
    `people` (how many people hold a role there): one query however many schools."""
    return (
        School.objects.filter(district_id=district_id)
        .annotate(people=Count("memberships__person", distinct=True))
        .order_by(F("archived_at").asc(nulls_first=True), "name")
    )
