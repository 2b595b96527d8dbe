"""Placing, changing and cancelling visits, and the people's calendar feeds."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from inquiry.models import Cycle
from inquiry.structures import Grouping
from opendoors import access
from opendoors.tasks import enqueue
from schools.models import Person

from .models import (
    CalendarFeed,
    Commitment,
    CommitmentRole,
    Visit,
    VisitClassroom,
    VisitObserver,
    VisitStatus,
    new_feed_token,
)
from .rules import VisitPlan, cover_candidates, visit_plan_problems


def _people_of(visit: Visit) -> set[int]:
    hosts = set(visit.classrooms.values_list("host_id", flat=True))
    seats = visit.observers.values_list("person_id", "covered_by_id")
    return hosts | {p for seat in seats for p in seat if p}


def _notify(visit: Visit, change: str, people: set[int]) -> None:
    enqueue("visits.tasks.visit_notify", visit.pk, change, sorted(people))


def _refuse_if_it_clashes(cycle: Cycle, plan: VisitPlan, exclude: Visit | None = None) -> None:
    covers = set(cover_candidates(cycle).values_list("pk", flat=True))
    problems = visit_plan_problems(
        plan, pair=cycle.grouping == Grouping.PAIR, exclude=exclude, allowed_covers=covers
    )
    if problems:
        raise ValidationError(problems)


def _commitments_hold(visit: Visit, plan: VisitPlan) -> None:
    """Write each person's commitment in the slot. The database refuses a second one, so a
    clashing visit placed at the same moment by someone else cannot slip past the check."""
    people = [(host, CommitmentRole.HOST) for host, _ in plan.classrooms]
    for seat in plan.observers:
        people.append((seat.person, CommitmentRole.OBSERVER))
        if seat.covered_by is not None:
            people.append((seat.covered_by, CommitmentRole.COVER))
    rows = [
        Commitment(visit=visit, person=person, date=plan.date, slot=plan.slot, role=role)
        for person, role in people
    ]
    # One order for every writer, so that two clashing placements wait, never deadlock.
    rows.sort(key=lambda row: row.person.pk)
    try:
        with transaction.atomic():
            Commitment.objects.bulk_create(rows)
    except IntegrityError:
        # The other visit is committed by now, so the check names the clash.
        _refuse_if_it_clashes(visit.cycle, plan, exclude=visit)
        raise ValidationError(
            "Someone in this visit was just given another commitment in that period. "
            "Check the visit and place it again."
        ) from None


@transaction.atomic
def visit_schedule(*, cycle: Cycle, plan: VisitPlan, notify: bool = True) -> Visit:
    """Place a visit in the master schedule, or refuse it with every clash named.
    `notify=False` is for loading data (the demo) that nobody should be emailed about."""
    _refuse_if_it_clashes(cycle, plan)
    visit = Visit.objects.create(cycle=cycle, date=plan.date, slot=plan.slot)
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
    _commitments_hold(visit, plan)
    if notify:
        _notify(visit, "scheduled", plan.people())
    return visit


def _classrooms_keep(visit: Visit, plan: VisitPlan) -> None:
    """Classrooms follow the plan without losing what was captured in them: a host who stays
    keeps their classroom (its evidence, reads and letter); a new host takes the first free
    letter; a host who leaves is removed, or kept aside when their classroom has evidence."""
    rooms = {room.host_id: room for room in VisitClassroom.including_removed.filter(visit=visit)}
    staying = {host.pk for host, _ in plan.classrooms}
    for host_id, room in rooms.items():
        if host_id in staying or room.removed_at is not None:
            continue
        if access.classroom_has_evidence(room) or room.reads.exists():
            room.removed_at = timezone.now()
            room.save(update_fields=["removed_at"])
        else:
            room.delete()
    taken = set(
        VisitClassroom.including_removed.filter(visit=visit).values_list("position", flat=True)
    )
    for host, section in plan.classrooms:
        kept = rooms.get(host.pk)
        if kept is not None:
            kept.section, kept.removed_at = section, None
            kept.save(update_fields=["section", "removed_at"])
            continue
        position = next(i for i in range(len(taken) + 1) if i not in taken)
        taken.add(position)
        VisitClassroom.objects.create(visit=visit, host=host, section=section, position=position)


def _observers_keep(visit: Visit, plan: VisitPlan) -> None:
    """Seats follow the plan. A removed observer's seat is kept aside, not deleted: entries
    may still be waiting on their phone, and they stay theirs to send."""
    seats = {seat.person_id: seat for seat in VisitObserver.including_removed.filter(visit=visit)}
    for o in plan.observers:
        seat = seats.pop(o.person.pk, None) or VisitObserver(visit=visit, person=o.person)
        seat.covered_by, seat.substitute, seat.removed_at = o.covered_by, o.substitute, None
        seat.save()
    VisitObserver.objects.filter(pk__in=[seat.pk for seat in seats.values()]).update(
        removed_at=timezone.now(), covered_by=None, substitute=False
    )


@transaction.atomic
def visit_change(
    *, visit: Visit, plan: VisitPlan, remove_hosts_with_evidence: bool = False
) -> Visit:
    """Move a visit or change its people; everyone before and after hears of it.

    Nothing captured is lost: classrooms that stay keep their evidence, and a host removed
    after capture stays reachable (to the group and that host) as a removed classroom. Removing
    such a host must be confirmed (`remove_hosts_with_evidence`)."""
    Visit.objects.select_for_update().filter(pk=visit.pk).first()
    _refuse_if_it_clashes(visit.cycle, plan, exclude=visit)
    staying = {host.pk for host, _ in plan.classrooms}
    leaving = {h: n for h, n in access.evidence_entries_per_host(visit).items() if h not in staying}
    if leaving and not remove_hosts_with_evidence:
        people = {p.pk: str(p) for p in Person.objects.filter(pk__in=leaving)}
        raise ValidationError(
            [
                f"{people[h]}'s classroom already has {n} captured "
                f"{'entry' if n == 1 else 'entries'}. They stay with the visit's group and "
                f"{people[h]}; confirm that {people[h]} leaves this visit."
                for h, n in sorted(leaving.items())
            ],
            code="confirm_removal",
        )
    before = _people_of(visit)
    visit.date, visit.slot = plan.date, plan.slot
    visit.sequence = F("sequence") + 1
    visit.save(update_fields=["date", "slot", "sequence", "updated_at"])
    visit.refresh_from_db()
    _classrooms_keep(visit, plan)
    _observers_keep(visit, plan)
    visit.commitments.all().delete()
    if visit.status == VisitStatus.SCHEDULED:
        _commitments_hold(visit, plan)
    _notify(visit, "moved", plan.people())
    # Those who had a part and have none now hear only that they are no longer needed.
    _notify(visit, "released", before - plan.people())
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit) -> None:
    """Cancel a visit: its people are free again in that slot, and what was captured stays."""
    cancelled = Visit.objects.filter(pk=visit.pk, status=VisitStatus.SCHEDULED).update(
        status=VisitStatus.CANCELLED, sequence=F("sequence") + 1
    )
    if not cancelled:
        return
    visit.commitments.all().delete()
    _notify(visit, "cancelled", _people_of(visit))


def calendar_feed_for(person: Person) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(person=person)[0]


def calendar_feed_reset(*, person: Person) -> CalendarFeed:
    """A new secret URL; the old one stops working at once."""
    feed = calendar_feed_for(person)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed
