"""What importing a schedule would change: people and sections added, changed, removed.

The same comparison produces the preview a coach reviews and the plan that
`schools.services.schedule_apply` carries out, so what is shown is what is done.
"""

from dataclasses import asdict, dataclass, field

from django.apps import apps
from django.db.models import QuerySet

from rosters.schedule_data import ScheduleData

from .models import (
    Day,
    Meeting,
    Membership,
    Period,
    Person,
    Role,
    School,
    Section,
    Slot,
    SourceId,
    Term,
)

SectionKey = tuple[str, str]
# An import that removes more than this share of the meetings or sections stored must be
# confirmed: a file cut short (a truncated download, an export that stopped half-way) reads
# as a valid schedule that happens to drop most of the school.
REMOVAL_SHARE = 0.10
# (teacher source id, section key, day label, period label) -> room
MeetingMap = dict[tuple[str, SectionKey, str, str], str]


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


@dataclass
class SchedulePreview:
    """The import summary shown before and after applying a schedule."""

    source: str
    found: str
    teachers: Changes
    sections: Changes
    meetings_added: int
    meetings_removed: int
    meetings_unchanged: int
    days_removed: list[str]
    periods_removed: list[str]
    notes: list[str]
    warnings: list[str]
    # What is stored now, so that "removes much" can be judged; and the visits that use a
    # section or period the file removes (a visit keeps its classroom: these block the import).
    meetings_stored: int = 0
    sections_stored: int = 0
    blocking_visits: list[str] = field(default_factory=list)
    # Teachers of the stored schedule a full export no longer lists: deactivated by applying
    # it, or kept (with why) when they hold another role here or belong to another school.
    # And teachers the export lists whose accounts are deactivated: never reactivated silently.
    teachers_deactivated: list[str] = field(default_factory=list)
    teachers_kept: list[str] = field(default_factory=list)
    teachers_inactive: list[str] = field(default_factory=list)
    # New people with an email address who get an invitation once it is applied (0 when the
    # coach chose not to send them): schools.services.schedule_preview counts them.
    invitations: int = 0

    @property
    def removes_much(self) -> bool:
        """More than REMOVAL_SHARE of the stored meetings or sections would go."""
        return (
            self.meetings_removed > REMOVAL_SHARE * self.meetings_stored
            or len(self.sections.removed) > REMOVAL_SHARE * self.sections_stored
        )

    def removal_reason(self) -> str:
        """One line saying how much would go, for the confirmation and the command line."""
        return (
            f"this import removes {self.meetings_removed} of {self.meetings_stored} meetings "
            f"and {len(self.sections.removed)} of {self.sections_stored} sections, more than "
            f"{REMOVAL_SHARE:.0%}; a file cut short looks like this. Check the file, then "
            "confirm the removals"
        )

    def blocking_reason(self) -> str:
        """One line naming the visits that stop this import."""
        return (
            f"{len(self.blocking_visits)} visit(s) use a section or period this schedule "
            f"removes: {'; '.join(self.blocking_visits)}. Keep them in the file, or cancel "
            "those visits and move their evidence, then import again"
        )

    @property
    def changes_nothing(self) -> bool:
        return not (
            self.teachers.added
            or self.teachers.changed
            or self.teachers.removed
            or self.sections.added
            or self.sections.changed
            or self.sections.removed
            or self.meetings_added
            or self.meetings_removed
            or self.days_removed
            or self.periods_removed
        )

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "SchedulePreview":
        return cls(
            **{
                **data,
                "teachers": Changes(**data["teachers"]),
                "sections": Changes(**data["sections"]),
            }
        )

    def one_line(self) -> str:
        return (
            f"teachers +{len(self.teachers.added)} ~{len(self.teachers.changed)} "
            f"={self.teachers.unchanged} -{len(self.teachers.removed)}; "
            f"sections +{len(self.sections.added)} ~{len(self.sections.changed)} "
            f"={self.sections.unchanged} -{len(self.sections.removed)}; "
            f"meetings +{self.meetings_added} -{self.meetings_removed} "
            f"={self.meetings_unchanged}"
        )


def stored_meetings(term: Term | None) -> MeetingMap:
    if term is None:
        return {}
    rows = Meeting.objects.filter(section__term=term).values_list(
        "teacher_id",
        "section__code",
        "section__course",
        "slot__day__label",
        "slot__period__label",
        "room",
    )
    source_of = dict(SourceId.objects.filter(school=term.school).values_list("person_id", "value"))
    return {
        (source_of.get(teacher, f"#{teacher}"), (code, course), day, period): room
        for teacher, code, course, day, period, room in rows
    }


def wanted_meetings(data: ScheduleData) -> MeetingMap:
    return {(m.teacher, m.section, m.day, m.period): m.room for m in data.meetings}


def schedule_compare(
    *, school: School | None, term: Term | None, data: ScheduleData
) -> SchedulePreview:
    """Compare a schedule read from files with what the school's current term holds (a school
    that does not exist yet holds nothing)."""
    have, want = stored_meetings(term), wanted_meetings(data)
    added = want.keys() - have.keys()
    removed = have.keys() - want.keys()
    moved = {k for k in want.keys() & have.keys() if want[k] != have[k]}
    touched_teachers = {k[0] for k in added | removed | moved}
    touched_sections = {k[1] for k in added | removed | moved}
    leaving = teachers_leaving(school, data)
    return SchedulePreview(
        source=data.source,
        found=data.summary(),
        teachers=_teacher_changes(school, data, touched_teachers),
        sections=_section_changes(term, data, touched_sections),
        meetings_added=len(added),
        meetings_removed=len(removed),
        meetings_unchanged=len(want.keys() & have.keys()) - len(moved),
        days_removed=_labels_removed(Day, term, data.days),
        periods_removed=_labels_removed(Period, term, data.periods),
        notes=list(data.notes),
        warnings=[str(w) for w in data.warnings],
        meetings_stored=len(have),
        sections_stored=Section.objects.filter(term=term).count() if term else 0,
        blocking_visits=_blocking_visits(term, data),
        teachers_deactivated=[str(p) for p in leaving.deactivate],
        teachers_kept=[f"{p} (kept: {why})" for p, why in leaving.kept],
        teachers_inactive=[str(p) for p in leaving.inactive],
    )


def _blocking_visits(term: Term | None, data: ScheduleData) -> list[str]:
    """Visits (any status: evidence is never lost) in a slot or section the import removes.

    Named by cycle, date, slot and section only: the people in a visit are not shown to
    everyone who may import the schedule."""
    if term is None:
        return []
    wanted_slots = set(data.slots())
    gone_slots = [
        slot.pk
        for slot in Slot.objects.filter(term=term).select_related("day", "period")
        if (slot.day.label, slot.period.label) not in wanted_slots
    ]
    gone_sections = [
        section.pk
        for section in Section.objects.filter(term=term)
        if (section.code, section.course) not in data.sections
    ]
    if not gone_slots and not gone_sections:
        return []
    # Visits depend on schools, not the other way round: look the models up by name.
    visit_model = apps.get_model("visits", "Visit")
    classroom_model = apps.get_model("visits", "VisitClassroom")
    gone: dict[object, list[str]] = {}
    visits = visit_model.objects.filter(slot_id__in=gone_slots).select_related(
        "cycle", "slot__day", "slot__period"
    )
    for visit in visits:
        gone.setdefault(visit, []).append(f"{visit.slot.day} period {visit.slot.period}")
    # Including classrooms whose host was removed after capture: their evidence still needs
    # the section.
    classrooms = classroom_model.including_removed.filter(
        section_id__in=gone_sections
    ).select_related("section", "visit__cycle", "visit__slot__day", "visit__slot__period")
    for classroom in classrooms:
        gone.setdefault(classroom.visit, []).append(f"section {classroom.section}")
    return sorted(
        f"{_visit_label(visit)}: {' and '.join(dict.fromkeys(what))} would go"
        for visit, what in gone.items()
    )


def _visit_label(visit) -> str:
    return (
        f"“{visit.cycle.title}” on {visit.date:%a %Y-%m-%d} "
        f"({visit.slot.day} period {visit.slot.period})"
    )


def _teacher_changes(school: School | None, data: ScheduleData, touched: set[str]) -> Changes:
    if school is None:
        return Changes(added=[record.name for record in data.teachers.values()])
    stored = {
        s.value: s.person for s in SourceId.objects.filter(school=school).select_related("person")
    }
    changes = Changes()
    for source_id, record in data.teachers.items():
        person = stored.get(source_id)
        if person is None:
            changes.added.append(record.name)
        elif source_id in touched or person.get_full_name() != record.name:
            changes.changed.append(record.name)
        else:
            changes.unchanged += 1
    teaching = set(_teaching(school).values_list("value", flat=True))
    changes.removed = sorted(str(stored[value]) for value in teaching - data.teachers.keys())
    return changes


@dataclass
class TeachersLeaving:
    """What a re-import does to accounts (`teachers_leaving`): what is shown is what is done."""

    deactivate: list[Person] = field(default_factory=list)
    # Each with why they stay: "also a coach at Lincoln School".
    kept: list[tuple[Person, str]] = field(default_factory=list)
    # In the export, but deactivated on the People page: applying leaves them deactivated.
    inactive: list[Person] = field(default_factory=list)


def _teaching(school: School) -> QuerySet[SourceId]:
    """The source ids of the people with lessons in the school's stored schedule."""
    return SourceId.objects.filter(
        school=school, person__meetings__section__term__school=school
    ).distinct()


def teachers_leaving(school: School | None, data: ScheduleData) -> TeachersLeaving:
    """A teacher of the stored schedule missing from a full export left: their account is
    deactivated, never deleted (what they authored stays theirs), unless they hold another
    role at this school or belong to another school (not archived): then they only lose their
    meetings. A delta export lists only changes, so whoever it leaves out stays as they are."""
    leaving = TeachersLeaving()
    if school is None:
        return leaving
    # Filtered here rather than in SQL: an export lists hundreds of ids.
    stored = {
        s.value: s.person for s in SourceId.objects.filter(school=school).select_related("person")
    }
    leaving.inactive = sorted(
        (stored[v] for v in data.teachers if v in stored and not stored[v].is_active), key=str
    )
    if getattr(data, "delta", False):
        return leaving
    teaching = set(_teaching(school).values_list("value", flat=True))
    # Someone deactivated already stays so.
    missing = [stored[v] for v in teaching - data.teachers.keys() if stored[v].is_active]
    ties: dict[int, dict[School, list[str]]] = {}
    memberships = (
        Membership.objects.filter(person__in=missing, school__archived_at__isnull=True)
        .exclude(school=school, role=Role.TEACHER)
        .select_related("school")
        .order_by("school__name", "role")
    )
    for membership in memberships:
        roles = ties.setdefault(membership.person_id, {}).setdefault(membership.school, [])
        roles.append(membership.get_role_display().lower())
    for person in sorted(missing, key=str):
        if person.pk in ties:
            why = " and ".join(
                f"a {' and '.join(roles)} at {at}" for at, roles in ties[person.pk].items()
            )
            leaving.kept.append((person, f"also {why}"))
        else:
            leaving.deactivate.append(person)
    return leaving


def _section_changes(term: Term | None, data: ScheduleData, touched: set[SectionKey]) -> Changes:
    stored = {(s.code, s.course): s for s in Section.objects.filter(term=term)} if term else {}
    changes = Changes()
    for key, record in data.sections.items():
        section = stored.get(key)
        if section is None:
            changes.added.append(str(_label(key)))
        elif key in touched or (section.subject, section.grade) != (record.subject, record.grade):
            changes.changed.append(_label(key))
        else:
            changes.unchanged += 1
    changes.removed = sorted(_label(key) for key in stored.keys() - data.sections.keys())
    return changes


def _label(key: SectionKey) -> str:
    code, course = key
    return f"{code} ({course})" if course and course != code else code


def _labels_removed(model: type[Day] | type[Period], term: Term | None, labels: list[str]):
    if term is None:
        return []
    return sorted(
        model.objects.filter(term=term).exclude(label__in=labels).values_list("label", flat=True)
    )
