"""The school dashboard under a filter: one cycle's activity, or the teachers of one grade or
one subject, with the k rule made safe against differencing (issue 13).

What a filter counts. A cycle keeps only the activity of that cycle (its visits, debriefs,
covers, goals, follow-ups, artifacts and ledger entries); a grade or a subject keeps only the
activity of the teachers in it. Each teacher belongs to exactly one grade and one subject: the
ones they teach most periods of in the school's current master schedule (ties: the first in
order), or none when the schedule gives none. So every dimension is a partition, and its parts
add up to the school. A visit or a debrief with several host classrooms counts once for each
host, so that each classroom counts under its own host's grade and subject and the parts add up.
The share of teachers who took part is not counted by cycle: a teacher who hosted in two
cycles would count in both, and the parts would not add up.

Why only one filter at a time. Together, two filters are a table of smaller groups (grade 7
*and* math), and a table's margins subtract to its cells; one at a time, each page shows the
school and one dimension's parts.

The rule (`blocks_shown`). Cut each cell (a measure in a month) into *atoms*: one cycle (or no
cycle) × one grade group × one subject group. Every number a viewer can get for that cell, on
any page, with any filter, is the sum of some atoms: the school's (all of them) and each shown
part of each dimension. Any sum and difference of those numbers gives every atom the value
`a[cycle part] + b[grade part] + c[subject part] + t`, where a part's coefficient is 0 when it
is not shown (and `t` is 0 when the school's own number is hidden). So atoms with the same
shown parts (the same *signature*) always come out together: whatever a viewer subtracts, they
get whole classes of atoms, never part of one. The rule: every class a viewer could reach
draws on no teacher or on at least k (a share: none or at least k who did, and at least k
who did not). A part is hidden when it fails itself ("fewer than k teachers"); then, while
some class fails, the smallest part that sets it apart (one it shows, or one that tells a
neighbouring class from it) is hidden as well ("would reveal fewer than k teachers"), which
merges that class into a larger one. Every reachable number is then a
union of passing classes, and a union of passing classes passes. The decision depends only on
the data, never on the filter asked for, so the same part is shown or hidden on every page,
in every download and in `opendoors report`.

This is stricter than it needs to be when groups cross in a full grid (a grid protects its own
cells), and exact for a single dimension: there it is the complementary suppression of a
partition ("total − grade 6 − grade 7 = everyone else", so everyone else must pass too).
Months do not interact: each cell is decided on its own, and totals add shown cells only.
The school's own visits and debriefs count each visit once, its parts each classroom: the
school's number is taken as the sum of the parts all the same, which can only hide more.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from growth.ledger import counted
from growth.models import Artifact, FollowUp, Goal, LedgerEntry
from inquiry.models import Cycle
from schools.models import LearningActivity, Meeting, Membership, Role, School, Term
from visits.models import Debrief, VisitClassroom, VisitObserver

from .dashboard import (
    MEASURES,
    TIME_KINDS,
    Cell,
    Measure,
    Row,
    SchoolNumbers,
    Span,
    _held,
    numbers_for,
)

CYCLE, GRADE, SUBJECT = "cycle", "grade", "subject"
DIMENSIONS = (CYCLE, GRADE, SUBJECT)
NONE = ""  # no cycle, no grade, no subject set


@dataclass(frozen=True)
class Filter:
    """One filter: a dimension and a value (a cycle's id as text, a grade, a subject)."""

    dimension: str
    value: str
    label: str

    @property
    def query(self) -> str:
        return f"{self.dimension}={self.value}"


@dataclass(frozen=True)
class Choices:
    """A school's filter values: its cycles, and the grades and subjects taught by at least k
    of its teachers (a smaller group is never a filter: it is still a part, always hidden)."""

    cycles: list[tuple[str, str]]
    grades: list[tuple[str, str]]
    subjects: list[tuple[str, str]]


def _current_term(school: School) -> Subquery:
    return Subquery(Term.objects.filter(school=school).order_by("-id").values("id")[:1])


def _most(counts: dict[str, int]) -> str:
    if not counts:
        return NONE
    return sorted(counts.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0][0]


def teacher_groups(school: School) -> dict[int, tuple[str, str]]:
    """Each teacher of the school: (grade, subject), those they teach most periods of this
    term. One query: the school's teachers, and the term's lessons with their grade and
    subject."""
    teachers: set[int] = set()
    grades: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    subjects: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Membership.objects.filter(school=school, role=Role.TEACHER)
        .values_list("person_id", Value(""), Value(""), Value(True))
        .union(
            Meeting.objects.filter(section__term=_current_term(school)).values_list(
                "teacher_id", "section__grade", "section__subject", Value(False)
            ),
            all=True,
        )
    )
    for person, grade, subject, teacher in rows:
        if teacher:
            teachers.add(person)
            continue
        for one in {g.strip() for g in grade.split(",") if g.strip()}:
            grades[person][one] += 1
        if subject.strip():
            subjects[person][subject.strip()] += 1
    return {t: (_most(grades.get(t, {})), _most(subjects.get(t, {}))) for t in teachers}


def _grade_order(grade: str) -> tuple[int, str]:
    return (len(grade), grade)


def filter_choices(school: School, groups: dict[int, tuple[str, str]], *, k: int) -> Choices:
    """The values a principal may choose: one query (the cycles)."""
    cycles = [
        (str(pk), title)
        for pk, title in Cycle.objects.filter(school=school)
        .order_by("-created_at", "-pk")
        .values_list("pk", "title")
    ]
    by_grade: dict[str, int] = defaultdict(int)
    by_subject: dict[str, int] = defaultdict(int)
    for grade, subject in groups.values():
        by_grade[grade] += 1
        by_subject[subject] += 1
    grades = sorted((g for g, n in by_grade.items() if g and n >= k), key=_grade_order)
    subjects = sorted(s for s, n in by_subject.items() if s and n >= k)
    return Choices(cycles, [(g, f"Grade {g}") for g in grades], [(s, s) for s in subjects])


# The numbers by teacher and cycle: (month, measure) -> [(person, cycle id or None, value)].

Contribution = tuple[int, int | None, int]
ByCell = dict[tuple[date, str], list[Contribution]]


def _add(by_cell: ByCell, rows: Iterable[dict], person: str, names: dict[str, str]) -> None:
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        for column, measure in names.items():
            if row[column] and row[person] is not None:
                by_cell[(month, measure)].append((row[person], row["part"], row[column]))


def _grouped(query: QuerySet, month: str, person: str, cycle: str, **aggregates: object) -> list:
    return list(
        query.annotate(month=TruncMonth(month), who=F(person), part=F(cycle))
        .values("month", "who", "part")
        .annotate(**aggregates)
        .order_by()
    )


def contributions(school: School, span: Span, today: date) -> ByCell:
    """Every measure's numbers by month, teacher and cycle: eight queries."""
    ids = [school.pk]
    by_cell: ByCell = defaultdict(list)
    teacher = Membership.objects.filter(
        person=OuterRef("person"), school=OuterRef("school"), role=Role.TEACHER
    )
    ledger = LedgerEntry.objects.filter(
        Exists(teacher), counted(), school=school, date__range=(span.start, span.end)
    )
    did = {
        "hosted": (LearningActivity.HOSTED,),
        "observed": (LearningActivity.OBSERVED,),
        "team": (LearningActivity.PLC_MEETING,),
    }
    aggregates: dict[str, object] = {
        key: Count("pk", filter=Q(activity__in=acts)) for key, acts in did.items()
    }
    for kind, activities in TIME_KINDS.items():
        aggregates[f"minutes_{kind}"] = Sum("minutes", filter=Q(activity__in=activities))
    rows = _grouped(ledger, "date", "person", "cycle_id", **aggregates)
    # A teacher who took part counts once, whatever how often.
    for row in rows:
        for key in did:
            row[key] = 1 if row[key] else 0
    _add(by_cell, rows, "who", {name: name for name in aggregates})

    classrooms = VisitClassroom.objects.filter(
        _held("visit__", span, today), visit__cycle__school_id__in=ids
    )
    rows = _grouped(classrooms, "visit__date", "host", "visit__cycle_id", visits=Count("pk"))
    _add(by_cell, rows, "who", {"visits": "visits"})

    held = Q(attendance_marked_at__isnull=False)
    soon = held & Q(marked_on__lte=F("visit__date") + timedelta(days=1))
    debriefs = Debrief.objects.filter(
        _held("visit__", span, today), visit__cycle__school_id__in=ids
    ).annotate(marked_on=TruncDate("attendance_marked_at"))
    rows = _grouped(
        debriefs,
        "visit__date",
        "visit__classrooms__host",
        "visit__cycle_id",
        debriefs=Count("pk", distinct=True, filter=held),
        debriefs_soon=Count("pk", distinct=True, filter=soon),
        with_takeaways=Count("pk", distinct=True, filter=~Q(takeaways="")),
    )
    _add(by_cell, rows, "who", {m: m for m in ("debriefs", "debriefs_soon", "with_takeaways")})

    follow_ups = FollowUp.objects.annotate(
        school=Coalesce("goal__cycle__school_id", "goal__meeting__team__school_id")
    ).filter(school__in=ids, due_on__range=(span.start, min(span.end, today)))
    rows = _grouped(
        follow_ups,
        "due_on",
        "goal__person",
        "goal__cycle_id",
        follow_ups_due=Count("pk"),
        follow_ups_answered=Count("pk", filter=Q(answered_at__isnull=False)),
        follow_ups_tried=Count("pk", filter=Q(tried=True)),
        follow_ups_as_anticipated=Count("pk", filter=Q(results_as_anticipated=FollowUp.Result.YES)),
    )
    names = ("follow_ups_due", "follow_ups_answered", "follow_ups_tried")
    _add(by_cell, rows, "who", {m: m for m in (*names, "follow_ups_as_anticipated")})

    goals = Goal.objects.annotate(
        school=Coalesce("cycle__school_id", "meeting__team__school_id")
    ).filter(school__in=ids, created_at__date__range=(span.start, span.end))
    rows = _grouped(goals, "created_at", "person", "cycle_id", goals=Count("pk"))
    _add(by_cell, rows, "who", {"goals": "goals"})

    from .dashboard import ARTIFACT_SCHOOL

    artifacts = Artifact.objects.annotate(
        school=ARTIFACT_SCHOOL,
        of_cycle=Coalesce(
            "goal__cycle_id",
            "follow_up__goal__cycle_id",
            "pre_brief__cycle_id",
            "ledger_entry__cycle_id",
        ),
    ).filter(school__in=ids, created_at__date__range=(span.start, span.end))
    rows = _grouped(artifacts, "created_at", "owner", "of_cycle", artifacts=Count("pk"))
    _add(by_cell, rows, "who", {"artifacts": "artifacts"})

    # Covers: a colleague's period draws on the colleague, a substitute's on the observer.
    covers = VisitObserver.objects.filter(
        _held("visit__", span, today), visit__cycle__school_id__in=ids
    )
    colleague = covers.filter(covered_by__isnull=False)
    rows = _grouped(colleague, "visit__date", "covered_by", "visit__cycle_id", n=Count("pk"))
    _add(by_cell, rows, "who", {"n": "colleague_periods"})
    rows = _grouped(
        covers.filter(substitute=True), "visit__date", "person", "visit__cycle_id", n=Count("pk")
    )
    _add(by_cell, rows, "who", {"n": "substitute_periods"})
    return by_cell


# The rule.


@dataclass
class Atom:
    """One cycle part × grade part × subject part of a cell: its value, who it draws on, and
    the teachers it is about (for a zero, and for a share's "did not")."""

    parts: tuple[str, str, str]
    value: int = 0
    drawn: set[int] = field(default_factory=set)
    people: frozenset[int] = frozenset()


def passes(atoms: Iterable[Atom], *, share: bool, k: int) -> bool:
    """Whether a sum of atoms may be known: it draws on no teacher or on at least k (the
    page's rule for a month); a share, on none or at least k who did and at least k who did
    not."""
    drawn: set[int] = set()
    people: set[int] = set()
    for atom in atoms:
        drawn |= atom.drawn
        people |= atom.people
    if share:
        return (not drawn or len(drawn) >= k) and len(people - drawn) >= k
    return not drawn or len(drawn) >= k


FEWER, REVEAL = "fewer", "reveal"


def blocks_shown(
    atoms: list[Atom],
    offered: set[tuple[int, str]],
    *,
    share: bool,
    k: int,
    school_shown: bool,
) -> dict[tuple[int, str], str]:
    """Each offered part of a cell (dimension index, value) -> "" when shown, else why not
    (FEWER: it draws on fewer than k teachers itself; REVEAL: with what else is shown it would
    reveal fewer than k). See the module's docstring for why this is sound."""
    status: dict[tuple[int, str], str] = {}
    for block in offered:
        inside = [a for a in atoms if a.parts[block[0]] == block[1]]
        status[block] = "" if passes(inside, share=share, k=k) else FEWER
    while True:
        showing = {b for b, why in status.items() if not why}
        classes: dict[tuple, list[Atom]] = defaultdict(list)
        for atom in atoms:
            signature = tuple(
                part if (d, part) in showing else None for d, part in enumerate(atom.parts)
            )
            classes[signature].append(atom)
        failing = [
            (signature, members)
            for signature, members in classes.items()
            # The class no part shows is known only as the school's number less the parts.
            if (school_shown or any(p is not None for p in signature))
            and not passes(members, share=share, k=k)
        ]
        if not failing:
            return status
        # Merge the most specific failing class (in a fixed order) into another: hide one of
        # its shown parts, or the part that sets a neighbouring class apart from it (the
        # school's number less math's is the one ELA teacher: hide math). Of those, the part
        # that draws on the fewest teachers; when there is none, the smallest part shown.
        signature, _ = min(
            failing, key=lambda item: (sum(p is None for p in item[0]), [str(p) for p in item[0]])
        )
        candidates = {(d, p) for d, p in enumerate(signature) if p is not None}
        for other in classes:
            apart = [d for d, p in enumerate(signature) if other[d] != p]
            if len(apart) == 1 and signature[apart[0]] is None:
                candidates.add((apart[0], other[apart[0]]))
        candidates = candidates or showing
        if not candidates:
            # Only the school's own number is left, and it fails: the page hides it too.
            return status

        def drawn_by(block: tuple[int, str]) -> tuple[int, int, str]:
            teachers = set().union(*(a.drawn for a in atoms if a.parts[block[0]] == block[1]))
            return (len(teachers), block[0], block[1])

        status[min(candidates, key=drawn_by)] = REVEAL


# The page's numbers under a filter.


def _atoms(
    contributions_: list[Contribution],
    groups: dict[int, tuple[str, str]],
    population: dict[tuple[str, str], frozenset[int]],
    *,
    by_cycle: bool,
) -> list[Atom]:
    """A cell's atoms: those it draws on, and for a share (not by cycle) every population
    group of the school, since a share's "did not" is about the teachers who did nothing. A
    count's atom that draws on no one passes and changes no class, so it is left out."""
    atoms: dict[tuple[str, str, str], Atom] = {}
    if not by_cycle:
        atoms = {
            (NONE, g, s): Atom((NONE, g, s), people=people) for (g, s), people in population.items()
        }
    for person, cycle, value in contributions_:
        g, s = groups.get(person, (NONE, NONE))
        c = str(cycle) if by_cycle and cycle is not None else NONE
        atom = atoms.setdefault((c, g, s), Atom((c, g, s)))
        atom.value += value
        atom.drawn.add(person)
    return list(atoms.values())


def filtered_numbers(
    school: School,
    span: Span,
    chosen: Filter,
    *,
    k: int,
    groups: dict[int, tuple[str, str]],
    choices: Choices,
    today: date | None = None,
) -> SchoolNumbers:
    """The school's rows under one filter: every cell the sum of its atoms in the filter's
    part, shown as `blocks_shown` decides. Seventeen queries: the school's own numbers (nine),
    and eight sources by teacher and cycle."""
    today = today or timezone.localdate()
    # The school's own numbers, as its page shows them: whether each is shown decides whether
    # the class no part shows can be had by subtraction.
    (whole,) = numbers_for([school], span, k=k, today=today, teachers={school.pk: len(groups)})
    by_cell = contributions(school, span, today)
    population: dict[tuple[str, str], set[int]] = defaultdict(set)
    for person, group in groups.items():
        population[group].add(person)
    frozen = {group: frozenset(people) for group, people in population.items()}
    offered_values = {
        CYCLE: {pk for pk, _ in choices.cycles},
        GRADE: {g for g, _ in choices.grades},
        SUBJECT: {s for s, _ in choices.subjects},
    }
    dimension = DIMENSIONS.index(chosen.dimension)
    group_people = (
        set(groups)
        if chosen.dimension == CYCLE
        else {p for p, g in groups.items() if g[dimension - 1] == chosen.value}
    )
    size = len(group_people)
    rows: dict[str, Row] = {}
    for measure in MEASURES:
        by_cycle = not measure.share
        offered = {
            (d, value)
            for d, name in enumerate(DIMENSIONS)
            if by_cycle or name != CYCLE
            for value in offered_values[name]
        }
        cells = []
        for i, month in enumerate(span.months):
            atoms = _atoms(by_cell.get((month, measure.key), []), groups, frozen, by_cycle=by_cycle)
            school_shown = whole.rows[measure.key].cells[i].shown
            cells.append(
                _cell(school, month, measure, atoms, offered, chosen, k, size, school_shown)
            )
        rows[measure.key] = Row(measure, cells)
    return SchoolNumbers(school, size, rows, whole.cycles, whole.cycles_with_data)


NOT_BY_CYCLE = "not counted by cycle: a teacher may take part in several"


def _cell(
    school: School,
    month: date,
    measure: Measure,
    atoms: list[Atom],
    offered: set[tuple[int, str]],
    chosen: Filter,
    k: int,
    size: int,
    school_shown: bool,
) -> Cell:
    dimension = DIMENSIONS.index(chosen.dimension)
    block = (dimension, chosen.value)
    inside = [a for a in atoms if a.parts[dimension] == chosen.value]
    drawn = len(set().union(*(a.drawn for a in inside)))
    raw = sum(a.value for a in inside)
    if measure.share:
        value = round(100 * drawn / size) if size else 0
    else:
        value = round(raw / size) if measure.per_teacher and size else raw
    if block not in offered:
        return Cell(school.pk, month, measure.key, 0, 0, False, NOT_BY_CYCLE)
    why = blocks_shown(atoms, offered, share=measure.share, k=k, school_shown=school_shown)[block]
    return Cell(school.pk, month, measure.key, value, drawn, not why, why)


def school_numbers(
    school: School,
    span: Span,
    chosen: Filter | None,
    *,
    k: int,
    groups: dict[int, tuple[str, str]],
    choices: Choices,
    today: date,
) -> SchoolNumbers:
    """The school's rows, under the filter chosen or none: what the page, its downloads and
    `opendoors report` show. `groups` holds every teacher of the school: their number is
    the school's teachers."""
    if chosen is None:
        (numbers,) = numbers_for(
            [school], span, k=k, today=today, teachers={school.pk: len(groups)}
        )
        return numbers
    return filtered_numbers(school, span, chosen, k=k, groups=groups, choices=choices, today=today)
