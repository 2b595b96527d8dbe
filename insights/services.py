"""Writes of the insights app: marking kept counts as behind once entries arrive, and counting
them again. Two kinds are kept: each visited classroom's evidence (ClassroomRollup), and the
hours ledger by school, month and person, and by district, month and designations
(HoursRollup, DesignationRollup, behind or not by HoursMonth).

The hours ledger's counts are exact, never "eventually": every write of ledger entries calls
`ledger_months_mark` in its transaction, naming the entries (before and after a change), and
a read calls `ledger_months_fresh`, which recounts what is behind before the dashboards read
the kept counts. The task worker recounts soon after each write (`ledger_months_count`), so
that a read rarely has to.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import Protocol

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from growth.ledger import counted
from growth.models import LedgerEntry
from opendoors.tasks import enqueue_unless_waiting
from schools.models import District, LearningActivity, School

from .models import TIME_KINDS, ClassroomRollup, DesignationRollup, HoursMonth, HoursRollup

COUNT_TASK = "insights.tasks.ledger_months_count"


def rollups_bump(*, classrooms: Iterable[tuple[int, int]]) -> None:
    """After entries were stored in these (classroom id, cycle id): their counts are behind,
    and the next read of the patterns recounts them. Called once the entries are committed
    or in their transaction, never before, so a recount that saw the bump sees the entries."""
    rooms = dict(classrooms)
    if not rooms:
        return
    ClassroomRollup.objects.bulk_create(
        [ClassroomRollup(classroom_id=room, cycle_id=cycle) for room, cycle in rooms.items()],
        ignore_conflicts=True,
    )
    ClassroomRollup.objects.filter(classroom_id__in=rooms).update(version=F("version") + 1)


# The hours ledger by month.


class Placed(Protocol):
    """Where an entry counts: a LedgerEntry, an `Earned` line, or a `Place`."""

    @property
    def district_id(self) -> int: ...
    @property
    def school_id(self) -> int | None: ...
    @property
    def date(self) -> date: ...


@dataclass(frozen=True)
class Place:
    """Where an entry counted before it changed (its district, school and date)."""

    district_id: int
    school_id: int | None
    date: date


def place_of(entry: Placed) -> Place:
    return Place(entry.district_id, entry.school_id, entry.date)


# (district id, school id or None for the district's month, first day of the month)
MonthKey = tuple[int, int | None, date]


def _order(key: MonthKey) -> tuple[int, int, date]:
    return (key[0], key[1] or 0, key[2])


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _keys_where(keys: Iterable[MonthKey]) -> Q:
    """The HoursMonth rows of `keys`: one condition per month, however many schools."""
    schools: dict[date, set[int]] = defaultdict(set)
    districts: dict[date, set[int]] = defaultdict(set)
    for district, school, month in keys:
        if school is None:
            districts[month].add(district)
        else:
            schools[month].add(school)
    # Months that name the same schools (a dashboard's) make one condition.
    school_months: dict[tuple[int, ...], list[date]] = defaultdict(list)
    for m, ids in schools.items():
        school_months[tuple(sorted(ids))].append(m)
    district_months: dict[tuple[int, ...], list[date]] = defaultdict(list)
    for m, ids in districts.items():
        district_months[tuple(sorted(ids))].append(m)
    parts = [Q(month__in=ms, school_id__in=ids) for ids, ms in school_months.items()]
    parts += [
        Q(month__in=ms, school__isnull=True, district_id__in=ids)
        for ids, ms in district_months.items()
    ]
    return reduce(or_, parts, Q(pk__in=[]))


def ledger_months_mark(
    *,
    entries: Iterable[Placed] = (),
    query: QuerySet[LedgerEntry] | None = None,
    districts: Iterable[int] = (),
) -> None:
    """The one place that says the hours ledger changed: call it in the transaction that
    writes entries (`entries`: where the written entries count, before and after a change;
    `query`: entries about to be changed in bulk), or with `districts` whose every month
    changes (the district's approval of self-reported learning, which `counted` reads). The
    months named are recounted before they are read again, and the task worker is asked to
    recount them once this transaction commits."""
    places = {(e.district_id, e.school_id, e.date.replace(day=1)) for e in entries}
    if query is not None:
        places |= {
            (district, school, month if isinstance(month, date) else month.date())
            for district, school, month in query.annotate(month=TruncMonth("date"))
            .order_by()
            .values_list("district_id", "school_id", "month")
            .distinct()
        }
    keys: set[MonthKey] = set()
    for district, school, month in places:
        keys.add((district, None, month))  # the district's month holds every entry
        if school is not None:
            keys.add((district, school, month))
    districts = sorted(set(districts))
    if not keys and not districts:
        return  # nothing written: not even a savepoint (a page's refresh often finds nothing)
    with transaction.atomic():
        _months_marked(keys, districts)


def _months_marked(keys: set[MonthKey], districts: list[int]) -> None:
    if keys:
        HoursMonth.objects.bulk_create(
            [
                HoursMonth(district_id=d, school_id=s, month=m)
                for d, s, m in sorted(keys, key=_order)
            ],
            ignore_conflicts=True,
        )
    where = _keys_where(keys) | Q(district_id__in=districts)
    # Locked in one order, so that two writers (or a writer and a recount) never deadlock.
    locked = list(
        HoursMonth.objects.select_for_update().filter(where).order_by("pk").values_list("pk")
    )
    HoursMonth.objects.filter(pk__in=[pk for (pk,) in locked]).update(version=F("version") + 1)
    # After the commit, so that the worker reads the entries; unless a run is waiting (it has
    # not started yet, so it will see this transaction's entries).
    transaction.on_commit(lambda: enqueue_unless_waiting(COUNT_TASK, run_after=timezone.now()))


def _months_of(keys: list[tuple[int, date]], field: str) -> tuple[Q, Q]:
    """(place, month) keys as two tests: on the rollups' rows (`field` and `month`) and on
    the ledger's entries (`field` and a date in the month)."""
    by_month: dict[date, list[int]] = defaultdict(list)
    for place, month in keys:
        by_month[month].append(place)
    rollups = [Q(month=m, **{f"{field}__in": ids}) for m, ids in by_month.items()]
    entries = [
        Q(date__range=(m, _month_end(m)), **{f"{field}__in": ids}) for m, ids in by_month.items()
    ]
    return reduce(or_, rollups), reduce(or_, entries)


def _count_schools(keys: list[tuple[int, date]]) -> None:
    """Each person's counted learning at these (school, month): deleted and counted again."""
    rollups, entries = _months_of(keys, "school_id")
    HoursRollup.objects.filter(rollups).delete()

    def did(*activities: str) -> Q:
        return Q(activity__in=activities)

    aggregates: dict = {
        f"minutes_{kind}": Sum("minutes", filter=did(*activities))
        for kind, activities in TIME_KINDS.items()
    }
    aggregates |= {
        "hosted": Count("pk", filter=did(LearningActivity.HOSTED)),
        "observed": Count("pk", filter=did(LearningActivity.OBSERVED)),
        "team": Count("pk", filter=did(LearningActivity.PLC_MEETING)),
    }
    rows = (
        LedgerEntry.objects.filter(counted(), entries)
        .annotate(month=TruncMonth("date"))
        .values("school_id", "month", "person_id")
        .annotate(**aggregates)
        .order_by()
    )
    HoursRollup.objects.bulk_create(
        (
            HoursRollup(
                school_id=row["school_id"],
                month=row["month"],
                person_id=row["person_id"],
                **{f"minutes_{kind}": row[f"minutes_{kind}"] or 0 for kind in TIME_KINDS},
                hosted=row["hosted"] > 0,
                observed=row["observed"] > 0,
                team=row["team"] > 0,
            )
            for row in rows.iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )


def _count_districts(keys: list[tuple[int, date]]) -> None:
    """The districts' counted minutes and credits by list of designations in these months."""
    rollups, entries = _months_of(keys, "district_id")
    DesignationRollup.objects.filter(rollups).delete()
    rows = (
        LedgerEntry.objects.filter(counted(), entries)
        .annotate(month=TruncMonth("date"))
        .values("district_id", "month", "designations")
        .annotate(minutes_sum=Sum("minutes"), credits_sum=Sum("credits"))
        .order_by()
    )
    DesignationRollup.objects.bulk_create(
        DesignationRollup(
            district_id=row["district_id"],
            month=row["month"],
            designations=row["designations"] or [],
            minutes=row["minutes_sum"] or 0,
            credits=row["credits_sum"] or 0,
        )
        for row in rows
    )


@transaction.atomic
def _recount(keys: Sequence[MonthKey]) -> int:
    """Count again the months of `keys` that are behind (or were never counted), under the
    lock of their HoursMonth rows: a writer waits for the count, or the count for its commit.
    How many months were counted."""
    HoursMonth.objects.bulk_create(
        # A month never counted starts behind (version 1), whatever wrote its entries.
        [HoursMonth(district_id=d, school_id=s, month=m, version=1) for d, s, m in keys],
        ignore_conflicts=True,
    )
    behind = list(
        HoursMonth.objects.select_for_update()
        .filter(_keys_where(keys), version__gt=F("counted_version"))
        .order_by("pk")
    )
    schools = [(m.school_id, m.month) for m in behind if m.school_id is not None]
    districts = [(m.district_id, m.month) for m in behind if m.school_id is None]
    if schools:
        _count_schools(schools)
    if districts:
        _count_districts(districts)
    for month in behind:
        month.counted_version = month.version
    HoursMonth.objects.bulk_update(behind, ["counted_version"])
    return len(behind)


def ledger_months_fresh(
    *, months: list[date], schools: Sequence[School] = (), district: District | None = None
) -> None:
    """Before the kept counts of these schools' months (and the district's) are read: one
    query when none is behind, else their recount."""
    keys: set[MonthKey] = {(s.district_id, s.pk, m) for s in schools for m in months}
    if district is not None:
        keys |= {(district.pk, None, m) for m in months}
    if not keys:
        return
    counted = {
        (d, s, m)
        for d, s, m in HoursMonth.objects.filter(
            _keys_where(keys), version__lte=F("counted_version")
        ).values_list("district_id", "school_id", "month")
    }
    if keys - counted:
        _recount(sorted(keys - counted, key=_order))


COUNT_BATCH = 200  # months at a time: a few thousand people's rows


def ledger_months_count() -> int:
    """Every month behind, everywhere: the task worker's run after writes, and what a bulk
    load runs after it. How many months were counted."""
    done = 0
    while True:
        keys = list(
            HoursMonth.objects.filter(version__gt=F("counted_version"))
            .order_by("pk")
            .values_list("district_id", "school_id", "month")[:COUNT_BATCH]
        )
        if not keys:
            return done
        done += _recount(keys)
