"""Reads for cycle pages: the overview a participant sees, lists, the school's staff with
their subjects, grades and free periods, and the rows of the planning pages' in-place lists."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, F, OuterRef, QuerySet

from schools.models import Person, School, Slot
from schools.selectors import schedule_grid
from visits.models import Visit, VisitStatus

from .models import Cycle, LookFor, ParticipantRole
from .stages import visit_over
from .structures import EvidencePart

if TYPE_CHECKING:
    # Imported where used at run time: growth's models build on this app's.
    from growth.models import FollowUp, Goal


@dataclass
class Step:
    name: str
    done: bool
    required: bool
    url_name: str
    anchor: str = ""  # a section of the page at url_name


def cycles_for_school_page(visible: QuerySet[Cycle], school: School) -> QuerySet[Cycle]:
    return visible.filter(school=school).order_by("-created_at")


def school_staff(school: School) -> QuerySet[Person]:
    """The school's staff who can be chosen for a part: someone deactivated (they left) is
    not, though their part in past visits stays."""
    return (
        Person.objects.filter(memberships__school=school, is_active=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


def cycle_steps(
    cycle: Cycle, *, look_for_count: int, has_visits: bool, pre_briefs_written: bool
) -> list[Step]:
    """The facilitator's checklist; the pre-brief step only in cycles whose hosts write one."""
    people = {role for role in cycle.participants.values_list("role", flat=True)}
    steps = [
        Step(
            "Problem of practice",
            bool(cycle.problem_of_practice),
            cycle.needs_problem_of_practice,
            "inquiry:focus",
        ),
        Step(
            "Theory of action",
            bool(cycle.theory_of_action),
            cycle.needs_theory_of_action,
            "inquiry:focus",
        ),
        Step("Look-fors", look_for_count > 0, True, "inquiry:look_fors"),
        Step("Evidence tool", bool(cycle.evidence_tool), True, "inquiry:evidence_tool"),
        Step(
            "Participants and hosts",
            {ParticipantRole.OBSERVER, ParticipantRole.HOST} <= people,
            True,
            "inquiry:people",
        ),
        Step("Visits in the schedule", has_visits, True, "visits:plan"),
    ]
    if cycle.needs_pre_brief:
        steps.append(Step("Pre-briefs", pre_briefs_written, True, "inquiry:cycle", anchor="pb-h"))
    return steps


def earlier_follow_ups(*, cycle: Cycle, readable: QuerySet["FollowUp"]) -> list["FollowUp"]:
    """Answers from earlier cycles a viewer may read in full (`readable`: their own, and for
    the facilitators those their authors shared with this cycle), newest first.

    No counts over the cycle's participants: the facilitator chooses the participants, so
    two readings around adding one person would tell that person's private answer."""
    from growth.models import FollowUp

    shared_here = FollowUp.shared_with.through.objects.filter(followup=OuterRef("pk"), cycle=cycle)
    return list(
        readable.exclude(goal__cycle=cycle)
        .annotate(shared_here=Exists(shared_here))
        .select_related("goal__person", "goal__cycle")
        .order_by("-answered_at")[:50]
    )


def goals_of_cycle(*, cycle: Cycle, readable: QuerySet["Goal"]) -> list["Goal"]:
    """The goals a viewer may read, each marked with whether its answer is shared here."""
    from growth.models import FollowUp

    shared_here = FollowUp.shared_with.through.objects.filter(
        followup__goal=OuterRef("pk"), cycle=cycle
    )
    return list(
        readable.annotate(answer_shared=Exists(shared_here))
        .select_related("person", "follow_up")
        .order_by("created_at")
    )


def cycle_overview(*, cycle: Cycle, viewer: Person) -> dict[str, Any]:
    """What every participant sees: the focus, look-fors, pre-briefs and people."""
    participants = list(cycle.participants.select_related("person"))
    by_role: dict[str, list[Person]] = {role: [] for role in ParticipantRole.values}
    for participant in participants:
        by_role[participant.role].append(participant.person)
    look_fors = list(cycle.look_fors.filter(retired=False))
    pre_briefs = {p.host_id: p for p in cycle.pre_briefs.all()}
    hosts = [(host, pre_briefs.get(host.pk)) for host in by_role[ParticipantRole.HOST]]
    visits = list(
        cycle.visits.select_related("slot__day", "slot__period").prefetch_related(
            "classrooms__host",
            "classrooms__section",
            "observers__person",
            "observers__covered_by",
        )
    )
    return {
        "cycle": cycle,
        "look_fors": look_fors,
        "facilitators": by_role[ParticipantRole.FACILITATOR],
        "observers": by_role[ParticipantRole.OBSERVER],
        "hosts": hosts,
        # A cycle without pre-briefs shows those written before the facilitator turned them off.
        "show_pre_briefs": cycle.needs_pre_brief or bool(pre_briefs),
        "visits": visits,
        "steps": cycle_steps(
            cycle,
            look_for_count=len(look_fors),
            has_visits=bool(visits),
            pre_briefs_written=bool(hosts) and all(pre_brief for _, pre_brief in hosts),
        ),
        "viewer_hosts": viewer in by_role[ParticipantRole.HOST],
    }


@dataclass
class Row:
    """One row of an in-place list: an item, or the "Undo" line left where one was removed."""

    item: Any = None
    undo: Any = None


def look_for_rows(cycle: Cycle, *, removed: Any = None) -> tuple[list[Row], list[LookFor]]:
    """The look-fors in use, in order, with the "Undo" line where `removed` was (a
    services.Removed), and the retired ones (merged ones say into which)."""
    look_fors = list(cycle.look_fors.select_related("merged_into"))
    active = [lf for lf in look_fors if not lf.retired]
    retired = [
        lf for lf in look_fors if lf.retired and not (removed and removed.retired_id == lf.pk)
    ]
    rows = [Row(item=lf) for lf in active]
    if removed is not None:
        at = next((i for i, lf in enumerate(active) if lf.position >= removed.position), None)
        rows.insert(len(rows) if at is None else at, Row(undo=removed))
    return rows, retired


@dataclass
class ToolRow:
    index: int
    kind: str
    label: str
    part: dict[str, Any]

    @property
    def lines(self) -> str:
        """A tally's labels or a part's prompts, one per line, as the form edits them."""
        return "\n".join(self.part.get("labels") or self.part.get("prompts") or [])


def tool_rows(tool: list[dict[str, Any]]) -> tuple[list[ToolRow], list[tuple[str, str]]]:
    """The tool's parts in order, and the parts it could still take (each part once)."""
    labels = dict(EvidencePart.choices)
    rows = [
        ToolRow(index, part["kind"], labels.get(part["kind"], part["kind"]), part)
        for index, part in enumerate(tool)
    ]
    have = {row.kind for row in rows}
    return rows, [(kind, label) for kind, label in EvidencePart.choices if kind not in have]


@dataclass
class StaffMember:
    """One person on the People page: what they teach this term, their experience, when
    they are free, and their parts in the cycle."""

    person: Person
    subjects: list[str] = field(default_factory=list)
    grades: list[str] = field(default_factory=list)
    free: list[Slot] = field(default_factory=list)
    teaches: bool = False  # has lessons in the current term (else "free" means nothing)
    is_new: bool = False
    parts: set[str] = field(default_factory=set)


@dataclass
class StaffList:
    members: list[StaffMember]
    subjects: list[str]
    grades: list[str]
    slots: list[Slot]
    new_years: int  # School.new_teacher_years: this many years or fewer is "new"


def _matches(member: StaffMember, filters: dict[str, str], new_years: int) -> bool:
    name = filters.get("q", "").casefold()
    if name and name not in f"{member.person} {member.person.username}".casefold():
        return False
    if filters.get("subject") and filters["subject"] not in member.subjects:
        return False
    if filters.get("grade") and filters["grade"] not in member.grades:
        return False
    experience = filters.get("experience")
    years = member.person.years_of_experience
    if experience == "new" and not member.is_new:
        return False
    if experience == "experienced" and (years is None or years <= new_years):
        return False
    if filters.get("free") and not any(str(s.pk) == filters["free"] for s in member.free):
        return False
    part = filters.get("part")
    if part == "in" and not member.parts:
        return False
    return not part or part == "in" or part in member.parts


def staff_for_cycle(cycle: Cycle) -> StaffList:
    """The school's staff for the People page. Subjects, grades and free periods
    come from the master-schedule grid (`schools.selectors.schedule_grid`: free = no lesson
    and no duty in that period this week); a fixed number of queries, however many staff."""
    school = cycle.school
    grid = schedule_grid(school=school)
    parts: dict[int, set[str]] = {}
    for person_id, role in cycle.participants.values_list("person_id", "role"):
        parts.setdefault(person_id, set()).add(role)
    rows = {row.teacher.pk: row for row in grid.rows}
    members = []
    # Someone deactivated (they left) is no longer offered; their part in past visits stays.
    for person in school_staff(school).filter(is_active=True):
        member = StaffMember(person=person, parts=parts.get(person.pk, set()))
        years = person.years_of_experience
        member.is_new = years is not None and years <= school.new_teacher_years
        row = rows.get(person.pk)
        if row is not None:
            sections = {m.section for cell in row.cells for m in cell.meetings}
            member.teaches = bool(sections)
            member.subjects = sorted({s.subject for s in sections if s.subject})
            member.grades = sorted(
                {g for s in sections for g in s.grades}, key=lambda g: (len(g), g)
            )
            if member.teaches:
                member.free = [s for s, c in zip(grid.slots, row.cells, strict=True) if c.is_free]
        members.append(member)
    return StaffList(members, grid.subjects, grid.grades, grid.slots, school.new_teacher_years)


def staff_matching(staff: StaffList, filters: dict[str, str]) -> list[StaffMember]:
    """The staff that every filter chosen on the People page lets through."""
    return [m for m in staff.members if _matches(m, filters, staff.new_years)]


def visits_ahead_with_part(
    cycle: Cycle, people: set[int], role: str, now: datetime
) -> list[tuple[int, Visit]]:
    """(person id, visit) for each of these people who hosts (or observes, by `role`) a
    published visit of the cycle that is not over yet, soonest first: their part in the cycle
    stays while it does. Visits held keep their people as they were."""
    if not people or role not in {ParticipantRole.HOST, ParticipantRole.OBSERVER}:
        return []
    today = now.astimezone(ZoneInfo(cycle.school.time_zone)).date()
    visits = Visit.objects.filter(
        cycle=cycle, status=VisitStatus.SCHEDULED, date__gte=today
    ).select_related("cycle__school", "slot__day", "slot__period")
    # Across the relation the table is read directly: removed classrooms and seats are left out.
    if role == ParticipantRole.HOST:
        seats = visits.filter(classrooms__host__in=people, classrooms__removed_at__isnull=True)
        seats = seats.annotate(who=F("classrooms__host"))
    else:
        seats = visits.filter(observers__person__in=people, observers__removed_at__isnull=True)
        seats = seats.annotate(who=F("observers__person"))
    ahead = [(v.who, v) for v in seats if not visit_over(v, now)]
    return sorted(ahead, key=lambda row: (row[1].date, row[1].slot.period.position, row[0]))
