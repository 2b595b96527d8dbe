"""The numbers of the school and district dashboards: participation, the time audit,
coverage and Guskey's levels, as cells of a fixed grid (a school × a calendar month).

Why a grid. Every number must draw on at least k different teachers and no two numbers
may be subtracted to isolate fewer than k. So each number is a *cell*: one measure at one
school in one calendar month, computed the same way whatever the reader asked for. A date
range only chooses which months are shown (it is widened to whole months); it never changes
what a cell counts, so two ranges never subtract to a few days of one teacher. A cell is
shown when it draws on no teacher at all (a zero) or on at least k; a share of the school's
teachers also needs at least k on the other side (k hosts of 4 teachers would point at the one
who did not). Every total (a range, a district) is the sum of the *shown* cells only: a
total never holds what its suppressed parts would reveal. Distinct-teacher counts (who
hosted) are never totalled over months, since the same teacher counts in several.

Everything is aggregated in the database, one query per source (ledger, visits, debriefs,
follow-ups, goals, artifacts, coverage, cycles), grouped by school and month: the query count
is the same for one school or thirty, one visit or a million evidence entries. The ledger is
read as kept by month (insights.HoursRollup, DesignationRollup; recounted exactly when behind:
see insights.services), not entry by entry. No evidence is read:
participation and time come from the hours ledger and the visits' people, never from what
was captured. Hosts, observers and covers are counted, never named.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from growth.models import Artifact, FollowUp, Goal
from inquiry.models import Cycle
from scheduler.common_time import common_time
from schools.models import (
    District,
    ImprovementGoal,
    Meeting,
    Membership,
    Role,
    School,
    Term,
    Unavailability,
)
from teams.models import TeamMember
from visits.models import Debrief, VisitClassroom, VisitObserver, VisitStatus

from .models import TIME_KINDS, DesignationRollup, HoursRollup
from .services import ledger_months_fresh

# A dashboard shows at most two school years of months: enough for "this year against last".
MAX_MONTHS = 24
Key = tuple[int, date]  # (school id, first day of the month)
Number = int | Decimal


@dataclass(frozen=True)
class Measure:
    """One row of the grid. `share`: the value is a share of the school's teachers (a
    percentage), and needs k on both sides. `per_teacher`: divided by the school's teachers.
    `additive`: its cells may be summed over months (counts and minutes, not distinct
    teachers)."""

    key: str
    label: str
    unit: str
    section: str
    share: bool = False
    per_teacher: bool = False
    additive: bool = True


MEASURES = (
    Measure("hosted", "Teachers who hosted a visit", "%", "participation", share=True),
    Measure("observed", "Teachers who observed a visit", "%", "participation", share=True),
    Measure("team", "Teachers who met with their team", "%", "participation", share=True),
    Measure("visits", "Visits held", "visits", "participation"),
    Measure("debriefs", "Debriefs held", "debriefs", "participation"),
    Measure("debriefs_soon", "Debriefs within a day of the visit", "debriefs", "participation"),
    Measure("follow_ups_due", "Follow-ups due", "follow-ups", "participation"),
    Measure("follow_ups_answered", "Follow-ups answered", "follow-ups", "participation"),
    Measure("minutes_visits", "Visits and pre-briefs", "min", "time", per_teacher=True),
    Measure("minutes_debriefs", "Debriefs", "min", "time", per_teacher=True),
    Measure("minutes_plc", "Team (PLC) meetings", "min", "time", per_teacher=True),
    Measure("minutes_follow_ups", "Follow-ups", "min", "time", per_teacher=True),
    Measure("colleague_periods", "Periods covered by colleagues", "periods", "coverage"),
    Measure("substitute_periods", "Periods covered by substitutes", "periods", "coverage"),
    Measure("with_takeaways", "Debriefs with takeaways captured", "debriefs", "reactions"),
    Measure("goals", "Goals set: what I will try", "goals", "learning"),
    Measure("artifacts", "Artifacts added (student work, plans, photos)", "artifacts", "learning"),
    Measure("follow_ups_tried", "Follow-ups: tried it", "follow-ups", "use"),
    Measure("follow_ups_as_anticipated", "Follow-ups: results as anticipated", "follow-ups", "use"),
)
BY_KEY = {m.key: m for m in MEASURES}
TIME_MEASURES = [m for m in MEASURES if m.section == "time"]


class Cell(NamedTuple):
    """One measure at one school in one month. `teachers` is how many different teachers it
    draws on; it stays on the server (pages say "fewer than k", never how many fewer). A
    named tuple, not a dataclass: a district's grid holds thousands, and a tuple is made four
    times faster."""

    school_id: int
    month: date
    measure: str
    value: Number
    teachers: int
    shown: bool
    # Why a cell is not shown, when a filter hid it for what it would reveal
    # (insights.dashboard_filters); blank: the page's usual note.
    why: str = ""


@dataclass
class Row:
    """A measure over the months shown (a chart): its cells and the sum of the shown ones."""

    measure: Measure
    cells: list[Cell]

    @property
    def total(self) -> Number | None:
        if not self.measure.additive or self.measure.share:
            return None
        return sum((c.value for c in self.cells if c.shown), start=0)

    @property
    def hidden(self) -> int:
        return sum(1 for c in self.cells if not c.shown)

    @property
    def peak(self) -> Number:
        return max([c.value for c in self.cells if c.shown] or [0])

    def heat(self, cell: Cell) -> int:
        """A heat map's shade, 0 to 4 (a share: of 100%; else of the row's peak)."""
        top = 100 if self.measure.share else self.peak
        if not cell.shown or not top:
            return 0
        return min(4, 1 + int(4 * cell.value / top)) if cell.value else 0

    @property
    def dots(self) -> list[tuple[str, str]]:
        """The shown months as points of a 100 × 40 box (a month alone is a dot)."""
        top = 100 if self.measure.share else (self.peak or 1)
        step = 100 / max(len(self.cells) - 1, 1)
        return [
            (f"{i * step:.1f}", f"{40 - 38 * c.value / top:.1f}")
            for i, c in enumerate(self.cells)
            if c.shown
        ]

    @property
    def line(self) -> str:
        """The SVG polyline's points through the shown months; a hidden month breaks nothing:
        the line joins the months either side."""
        return " ".join(f"{x},{y}" for x, y in self.dots)


@dataclass(frozen=True)
class Span:
    """The months a dashboard shows: from the first of `start`'s month to the last day of
    `end`'s month."""

    start: date
    end: date

    @classmethod
    def widened(cls, start: date, end: date) -> "Span":
        last = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return cls(start.replace(day=1), last)

    @property
    def months(self) -> list[date]:
        months, month = [], self.start
        while month <= self.end:
            months.append(month)
            month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        return months


def shown(*, teachers: int, k: int, population: int | None = None) -> bool:
    """Whether a cell may be shown: it draws on no teacher or on at least k, and a share of
    the school's teachers leaves at least k on the other side as well."""
    if population is not None and population - teachers < k:
        return False
    return teachers == 0 or teachers >= k


# The queries: each returns (school id, month) -> name -> number, for the whole span and every
# school asked for at once.


def _month_rows(rows: Iterable[Mapping]) -> dict[Key, dict[str, int]]:
    by_key: dict[Key, dict[str, int]] = defaultdict(dict)
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        by_key[(row["school"], month)] = {
            name: value or 0 for name, value in row.items() if name not in ("school", "month")
        }
    return by_key


def _teachers_of(schools: list[int]) -> dict[int, int]:
    rows = (
        Membership.objects.filter(school_id__in=schools, role=Role.TEACHER)
        .values("school")
        .annotate(n=Count("person", distinct=True))
    )
    return {row["school"]: row["n"] for row in rows}


def _ledger(schools: Sequence[School], span: Span, *, fresh: bool) -> dict[Key, dict[str, int]]:
    """Who took part and for how long, from the hours ledger as kept by month (HoursRollup,
    one row per person): teachers of the school only, chosen now, so a change of roles needs
    no recount. `fresh`: the caller has just made these months fresh."""
    if not fresh:
        ledger_months_fresh(months=span.months, schools=schools)
    teacher = Membership.objects.filter(
        person=OuterRef("person"), school=OuterRef("school"), role=Role.TEACHER
    )
    aggregates: dict = {
        "hosted": Count("pk", filter=Q(hosted=True)),
        "observed": Count("pk", filter=Q(observed=True)),
        "team": Count("pk", filter=Q(team=True)),
    }
    for kind in TIME_KINDS:
        # Named apart from the columns they add up ("minutes_visits"), renamed below.
        aggregates[f"total_{kind}"] = Sum(f"minutes_{kind}")
        aggregates[f"minutes_{kind}_teachers"] = Count("pk", filter=Q(**{f"minutes_{kind}__gt": 0}))
    rows = (
        HoursRollup.objects.filter(
            Exists(teacher),
            school_id__in=[s.pk for s in schools],
            month__range=(span.start, span.end),
        )
        .values("school", "month")
        .annotate(**aggregates)
        .order_by()
    )
    by_key = _month_rows(rows)
    for numbers in by_key.values():
        for kind in TIME_KINDS:
            numbers[f"minutes_{kind}"] = numbers.pop(f"total_{kind}")
    return by_key


def _held(prefix: str, span: Span, today: date) -> Q:
    """Visits that happened (not cancelled, not ahead) within the span."""
    return Q(
        **{
            f"{prefix}status": VisitStatus.SCHEDULED,
            f"{prefix}date__range": (span.start, min(span.end, today)),
        }
    )


def _visits(schools: list[int], span: Span, today: date) -> dict[Key, dict[str, int]]:
    rows = (
        VisitClassroom.objects.filter(
            _held("visit__", span, today), visit__cycle__school_id__in=schools
        )
        .annotate(school=F("visit__cycle__school_id"), month=TruncMonth("visit__date"))
        .values("school", "month")
        .annotate(
            visits=Count("visit", distinct=True), visits_teachers=Count("host", distinct=True)
        )
        .order_by()
    )
    return _month_rows(rows)


def _debriefs(schools: list[int], span: Span, today: date) -> dict[Key, dict[str, int]]:
    """Debriefs held (a facilitator marked who came), those within a day of the visit, and
    those with takeaways; each drawing on the hosts of the visits debriefed."""
    held = Q(attendance_marked_at__isnull=False)
    soon = held & Q(marked_on__lte=F("visit__date") + timedelta(days=1))
    takeaways = ~Q(takeaways="")
    rows = (
        Debrief.objects.filter(_held("visit__", span, today), visit__cycle__school_id__in=schools)
        .annotate(
            school=F("visit__cycle__school_id"),
            month=TruncMonth("visit__date"),
            marked_on=TruncDate("attendance_marked_at"),
        )
        .values("school", "month")
        .annotate(
            debriefs=Count("pk", distinct=True, filter=held),
            debriefs_teachers=Count("visit__classrooms__host", distinct=True, filter=held),
            debriefs_soon=Count("pk", distinct=True, filter=soon),
            debriefs_soon_teachers=Count("visit__classrooms__host", distinct=True, filter=soon),
            with_takeaways=Count("pk", distinct=True, filter=takeaways),
            with_takeaways_teachers=Count(
                "visit__classrooms__host", distinct=True, filter=takeaways
            ),
        )
        .order_by()
    )
    return _month_rows(rows)


def _follow_ups(schools: list[int], span: Span, today: date) -> dict[Key, dict[str, int]]:
    """Follow-ups due in the month (a cycle's or a team meeting's goal), by the people asked."""
    answered = Q(answered_at__isnull=False)
    tried = Q(tried=True)
    anticipated = Q(results_as_anticipated=FollowUp.Result.YES)
    rows = (
        FollowUp.objects.annotate(
            school=Coalesce("goal__cycle__school_id", "goal__meeting__team__school_id"),
            month=TruncMonth("due_on"),
        )
        .filter(school__in=schools, due_on__range=(span.start, min(span.end, today)))
        .values("school", "month")
        .annotate(
            follow_ups_due=Count("pk"),
            follow_ups_due_teachers=Count("goal__person", distinct=True),
            follow_ups_answered=Count("pk", filter=answered),
            follow_ups_answered_teachers=Count("goal__person", distinct=True, filter=answered),
            follow_ups_tried=Count("pk", filter=tried),
            follow_ups_tried_teachers=Count("goal__person", distinct=True, filter=tried),
            follow_ups_as_anticipated=Count("pk", filter=anticipated),
            follow_ups_as_anticipated_teachers=Count(
                "goal__person", distinct=True, filter=anticipated
            ),
        )
        .order_by()
    )
    return _month_rows(rows)


def _goals(schools: list[int], span: Span) -> dict[Key, dict[str, int]]:
    rows = (
        Goal.objects.annotate(
            school=Coalesce("cycle__school_id", "meeting__team__school_id"),
            month=TruncMonth("created_at"),
        )
        .filter(school__in=schools, created_at__date__range=(span.start, span.end))
        .values("school", "month")
        .annotate(goals=Count("pk"), goals_teachers=Count("person", distinct=True))
        .order_by()
    )
    return _month_rows(rows)


ARTIFACT_SCHOOL = Coalesce(
    "goal__cycle__school_id",
    "goal__meeting__team__school_id",
    "follow_up__goal__cycle__school_id",
    "follow_up__goal__meeting__team__school_id",
    "pre_brief__cycle__school_id",
    "ledger_entry__school_id",
)


def _artifacts(schools: list[int], span: Span) -> dict[Key, dict[str, int]]:
    """Artifacts added in the month (Guskey's "learning"), at the school of what each is
    attached to, drawing on their owners. Counted, never listed: an artifact is its owner's
    until shared. A loose artifact of the portfolio belongs to no school's numbers."""
    rows = (
        Artifact.objects.annotate(school=ARTIFACT_SCHOOL, month=TruncMonth("created_at"))
        .filter(school__in=schools, created_at__date__range=(span.start, span.end))
        .values("school", "month")
        .annotate(artifacts=Count("pk"), artifacts_teachers=Count("owner", distinct=True))
        .order_by()
    )
    return _month_rows(rows)


def _coverage(schools: list[int], span: Span, today: date) -> dict[Key, dict[str, int]]:
    """Periods covered by colleagues (drawing on the colleagues who covered) and by
    substitutes (drawing on the observers whose class they took)."""
    colleague = Q(covered_by__isnull=False)
    substitute = Q(substitute=True)
    rows = (
        VisitObserver.objects.filter(
            _held("visit__", span, today), visit__cycle__school_id__in=schools
        )
        .annotate(school=F("visit__cycle__school_id"), month=TruncMonth("visit__date"))
        .values("school", "month")
        .annotate(
            colleague_periods=Count("pk", filter=colleague),
            colleague_periods_teachers=Count("covered_by", distinct=True, filter=colleague),
            substitute_periods=Count("pk", filter=substitute),
            substitute_periods_teachers=Count("person", distinct=True, filter=substitute),
        )
        .order_by()
    )
    return _month_rows(rows)


def _cycles(schools: list[int], span: Span) -> dict[int, dict[str, int]]:
    """Cycles begun in the span, and those that link student data (Guskey's fifth level).
    A cycle's plan is its school leaders' to see (DESIGN, "Who sees what"): no k here."""
    with_data = ~Q(informed_by="") | ~Q(data_file="")
    rows = (
        Cycle.objects.filter(school_id__in=schools, created_at__date__range=(span.start, span.end))
        .values("school")
        .annotate(cycles=Count("pk"), with_data=Count("pk", filter=with_data))
        .order_by()
    )
    return {row["school"]: row for row in rows}


# The grid.


@dataclass
class SchoolNumbers:
    """One school's rows over the span, and what it sets for the charts to compare with."""

    school: School
    teachers: int
    rows: dict[str, Row]
    cycles: int = 0
    cycles_with_data: int = 0

    def section(self, name: str) -> list[Row]:
        return [row for row in self.rows.values() if row.measure.section == name]

    @property
    def minutes_per_teacher(self) -> list[tuple[date, Number, bool]]:
        """Each month's learning minutes per teacher: the sum of its shown kinds, and whether
        it met the school's target."""
        target = self.school.learning_minutes_target_per_month
        months = [c.month for c in self.rows[TIME_MEASURES[0].key].cells]
        result = []
        for i, month in enumerate(months):
            cells = [self.rows[m.key].cells[i] for m in TIME_MEASURES]
            minutes = sum((c.value for c in cells if c.shown), start=0)
            result.append((month, minutes, minutes >= target))
        return result

    @property
    def substitute_cost(self) -> Decimal:
        total = self.rows["substitute_periods"].total or 0
        return Decimal(total) * self.school.substitute_period_cost


def _cells(
    school: School, teachers: int, months: list[date], data: Mapping[Key, Mapping[str, int]], k: int
) -> dict[str, Row]:
    # The district's grid is thousands of cells: what is the same for a whole row (the keys,
    # the divisor) is worked out once per row, each month's numbers once per school.
    school_id = school.pk
    by_month = [(month, data.get((school_id, month), {})) for month in months]
    rows = {}
    for measure in MEASURES:
        key = measure.key
        cells = []
        if measure.share:
            for month, numbers in by_month:
                drawn = numbers.get(key, 0)
                value: Number = round(100 * drawn / teachers) if teachers else 0
                ok = shown(teachers=drawn, k=k, population=teachers)
                cells.append(Cell(school_id, month, key, value, drawn, ok))
        else:
            drawn_key = f"{key}_teachers"
            divide = measure.per_teacher and teachers
            for month, numbers in by_month:
                drawn = numbers.get(drawn_key, 0)
                raw = numbers.get(key, 0)
                value = round(raw / teachers) if divide else raw
                cells.append(Cell(school_id, month, key, value, drawn, shown(teachers=drawn, k=k)))
        rows[key] = Row(measure, cells)
    return rows


def numbers_for(
    schools: Sequence[School],
    span: Span,
    *,
    k: int,
    today: date | None = None,
    teachers: Mapping[int, int] | None = None,
    ledger_fresh: bool = False,
) -> list[SchoolNumbers]:
    """Every school's rows over the span: ten queries, however many schools and months; one
    fewer when the caller knows each school's `teachers` (school id -> how many), one fewer
    when it has just made the ledger's months fresh (`ledger_fresh`)."""
    today = today or timezone.localdate()
    ids = [s.pk for s in schools]
    if teachers is None:
        teachers = _teachers_of(ids)
    data: dict[Key, dict[str, int]] = defaultdict(dict)
    for part in (
        _ledger(schools, span, fresh=ledger_fresh),
        _visits(ids, span, today),
        _debriefs(ids, span, today),
        _follow_ups(ids, span, today),
        _goals(ids, span),
        _artifacts(ids, span),
        _coverage(ids, span, today),
    ):
        for key, numbers in part.items():
            data[key].update(numbers)
    cycles = _cycles(ids, span)
    months = span.months
    return [
        SchoolNumbers(
            school,
            teachers.get(school.pk, 0),
            _cells(school, teachers.get(school.pk, 0), months, data, k),
            cycles.get(school.pk, {}).get("cycles", 0),
            cycles.get(school.pk, {}).get("with_data", 0),
        )
        for school in schools
    ]


# Time the master schedule already offers.


@dataclass(frozen=True)
class TeamTime:
    team: str
    periods: int  # slots a week in which every member is free


def common_time_offered(school: School, *, k: int) -> tuple[list[TeamTime], int]:
    """Each team's common free periods a week in the school's current schedule ("time as a
    design choice"), for teams of at least k members (a smaller team's free time would be
    a few colleagues' timetables), and how many smaller teams are left out. Three queries:
    the current term's week, the teams' members, and their lessons and other commitments."""
    # The current term as schools.selectors.term_current chooses it (the one imported last),
    # read with its week: no row, no term; a row without a slot, a term with an empty week.
    term = Subquery(Term.objects.filter(school=school).order_by("-id").values("id")[:1])
    week = list(
        Term.objects.filter(pk=term)
        .order_by("slots__day__position", "slots__period__position")
        .values_list("slots__id", "slots__day__label", "slots__period__label")
    )
    if not week:
        return [], 0
    by_pk = {pk: (day, period) for pk, day, period in week if pk is not None}
    in_teams = TeamMember.objects.filter(team__school=school, team__archived_at__isnull=True)
    members: dict[tuple[int, str], list[int]] = defaultdict(list)
    for team_id, name, person_id in in_teams.values_list("team_id", "team__name", "person_id"):
        members[(team_id, name)].append(person_id)
    # A subquery, not a list of ids: an empty list would skip the query, and the page's query
    # count must not depend on whether the school has teams. Lessons and other commitments
    # (which no move frees) in one query.
    people = in_teams.values("person_id")
    busy = (
        Meeting.objects.filter(section__term=term, teacher_id__in=people)
        .values_list("teacher_id", "slot_id", Value(True))
        .union(
            Unavailability.objects.filter(slot__term=term, person_id__in=people).values_list(
                "person_id", "slot_id", Value(False)
            ),
            all=True,
        )
    )
    lessons: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    unavailable: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for person, slot_id, lesson in busy:
        if slot_id not in by_pk:
            continue
        if lesson:
            lessons[str(person)][by_pk[slot_id]] = ""
        else:
            unavailable[str(person)].add(by_pk[slot_id])
    shown_teams, smaller = [], 0
    for (_, name), ids in sorted(members.items(), key=lambda item: item[0][1]):
        if len(set(ids)) < max(k, 2):
            smaller += 1
            continue
        found = common_time([str(i) for i in ids], list(by_pk.values()), lessons, unavailable)
        shown_teams.append(TeamTime(name, len(found.all_free)))
    return shown_teams, smaller


# The district: sums of the schools' shown cells, and what is the district's own.


@dataclass
class DistrictRow:
    """A measure across the district by month: each month the sum of the schools' shown
    cells (a share: of the shown schools' teachers)."""

    measure: Measure
    months: list[date]
    values: list[Number | None]
    # Months where some school's number is shown and another's is not: the sum is partial
    # (a bare "0" there would read as "none happened").
    partial: list[bool]

    @property
    def total(self) -> Number | None:
        if self.measure.share or not self.measure.additive:
            return None
        return sum((v for v in self.values if v is not None), start=0)


def district_rows(schools: list[SchoolNumbers], months: list[date]) -> list[DistrictRow]:
    rows = []
    for measure in MEASURES:
        values: list[Number | None] = []
        partial: list[bool] = []
        # Each school's teachers and cells of this measure, looked up once, not once a month.
        columns = [(s.teachers, s.rows[measure.key].cells) for s in schools]
        for i in range(len(months)):
            shown_cells = [(teachers, cells[i]) for teachers, cells in columns if cells[i].shown]
            partial.append(0 < len(shown_cells) < len(schools))
            if not shown_cells:
                values.append(None)
            elif measure.share:
                drawn = sum(c.teachers for _, c in shown_cells)
                population = sum(teachers for teachers, _ in shown_cells)
                values.append(round(100 * drawn / population) if population else 0)
            elif measure.per_teacher:
                # Minutes per teacher: the shown schools' minutes over their teachers.
                minutes = sum(c.value * teachers for teachers, c in shown_cells)
                population = sum(teachers for teachers, _ in shown_cells)
                values.append(round(minutes / population) if population else 0)
            else:
                values.append(sum(c.value for _, c in shown_cells))
        rows.append(DistrictRow(measure, months, values, partial))
    return rows


@dataclass(frozen=True)
class DesignationHours:
    name: str
    minutes: int
    credits: Decimal


def hours_by_designation(
    district: District, span: Span, *, fresh: bool = False
) -> list[DesignationHours]:
    """The district's hours and credits in the span, in all and by designation. District
    leaders see each person's hours to post credits (DESIGN, "Who sees what"), so these
    totals need no k. One query (after `ledger_months_fresh`'s, unless the caller has just
    made the months `fresh`): the kept months grouped by their list of designations."""
    if not fresh:
        ledger_months_fresh(months=span.months, district=district)
    rows = (
        DesignationRollup.objects.filter(district=district, month__range=(span.start, span.end))
        .values("designations")
        .annotate(minutes_sum=Sum("minutes"), credits_sum=Sum("credits"))
        .order_by()
    )
    minutes: dict[str, int] = defaultdict(int)
    credits: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        for name in ["", *(row["designations"] or [])]:
            minutes[name] += row["minutes_sum"] or 0
            credits[name] += row["credits_sum"] or Decimal(0)
    names = ["", *sorted(n for n in minutes if n)]
    return [
        # Each entry's credits have two decimals; SQLite sums them as floats.
        DesignationHours(
            name or "All learning", minutes[name], credits[name].quantize(Decimal("0.01"))
        )
        for name in names
        if name in minutes
    ]


@dataclass(frozen=True)
class GoalCycles:
    school: str
    goal: str
    cycles: int


def goals_and_cycles(district: District) -> list[GoalCycles]:
    """Each school's improvement goals and how many cycles serve each: one query."""
    rows = (
        ImprovementGoal.objects.filter(school__district=district, archived_at__isnull=True)
        .annotate(serving=Count("cycles"))
        .values_list("school__name", "title", "serving")
        .order_by("school__name", "position", "pk")
    )
    return [GoalCycles(*row) for row in rows]


@dataclass
class DistrictNumbers:
    district: District
    schools: list[SchoolNumbers]
    rows: list[DistrictRow]
    hours: list[DesignationHours] = field(default_factory=list)
    goals: list[GoalCycles] = field(default_factory=list)


def district_numbers(
    district: District, span: Span, *, today: date | None = None
) -> DistrictNumbers:
    # Each school's teachers come with the schools, and the schools' months of the ledger and
    # the district's are made fresh at once: two queries fewer than asking each apart.
    schools = list(
        School.objects.filter(district=district, archived_at__isnull=True)
        .annotate(
            teacher_count=Count(
                "memberships__person", filter=Q(memberships__role=Role.TEACHER), distinct=True
            )
        )
        .order_by("name")
    )
    teachers = {school.pk: school.teacher_count for school in schools}
    ledger_months_fresh(months=span.months, schools=schools, district=district)
    k = district.min_classrooms_for_aggregates
    numbers = numbers_for(schools, span, k=k, today=today, teachers=teachers, ledger_fresh=True)
    return DistrictNumbers(
        district,
        numbers,
        district_rows(numbers, span.months),
        hours_by_designation(district, span, fresh=True),
        goals_and_cycles(district),
    )
