"""Placing, changing and cancelling visits, and the people's calendar feeds."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from inquiry.models import Cycle
from inquiry.structures import Grouping
from schools.models import Person

from .models import CalendarFeed, Visit, VisitClassroom, VisitObserver, VisitStatus, new_feed_token
from .rules import VisitPlan, visit_plan_problems


def _people_of(visit: Visit) -> set[int]:
    hosts = set(visit.classrooms.values_list("host_id", flat=True))
    seats = visit.observers.values_list("person_id", "covered_by_id")
    return hosts | {p for seat in seats for p in seat if p}


def _notify(visit: Visit, change: str, people: set[int]) -> None:
    from .tasks import visit_notify

    transaction.on_commit(lambda: visit_notify.enqueue(visit.pk, change, sorted(people)))


def _fill(visit: Visit, plan: VisitPlan) -> None:
    VisitClassroom.objects.bulk_create(
        VisitClassroom(visit=visit, host=host, section=section, position=i)
        for i, (host, section) in enumerate(plan.classrooms)
    )
    VisitObserver.objects.bulk_create(
        VisitObserver(
            visit=visit, person=o.person, covered_by=o.covered_by, substitute=o.substitute
        )
        for o in plan.observers
    )


def _refuse_if_it_clashes(cycle: Cycle, plan: VisitPlan, exclude: Visit | None = None) -> None:
    problems = visit_plan_problems(plan, pair=cycle.grouping == Grouping.PAIR, exclude=exclude)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def visit_schedule(*, cycle: Cycle, plan: VisitPlan, notify: bool = True) -> Visit:
    """Place a visit in the master schedule, or refuse it with every clash named.
    `notify=False` is for loading data (the demo) that nobody should be emailed about."""
    _refuse_if_it_clashes(cycle, plan)
    visit = Visit.objects.create(cycle=cycle, date=plan.date, slot=plan.slot)
    _fill(visit, plan)
    if notify:
        _notify(visit, "scheduled", plan.people())
    return visit


@transaction.atomic
def visit_change(*, visit: Visit, plan: VisitPlan) -> Visit:
    """Move a visit or change its people; everyone before and after hears of it."""
    Visit.objects.select_for_update().filter(pk=visit.pk).first()
    _refuse_if_it_clashes(visit.cycle, plan, exclude=visit)
    before = _people_of(visit)
    visit.classrooms.all().delete()
    visit.observers.all().delete()
    visit.date, visit.slot = plan.date, plan.slot
    visit.sequence = F("sequence") + 1
    visit.save(update_fields=["date", "slot", "sequence", "updated_at"])
    visit.refresh_from_db()
    _fill(visit, plan)
    _notify(visit, "moved", before | plan.people())
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit) -> None:
    if visit.status == VisitStatus.CANCELLED:
        return
    Visit.objects.filter(pk=visit.pk).update(
        status=VisitStatus.CANCELLED, sequence=F("sequence") + 1
    )
    _notify(visit, "cancelled", _people_of(visit))


def calendar_feed_for(person: Person) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(person=person)[0]


def calendar_feed_reset(*, person: Person) -> CalendarFeed:
    """A new secret URL; the old one stops working at once."""
    feed = calendar_feed_for(person)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed
