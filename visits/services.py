"""Placing, changing and cancelling visits, who attended a debrief, and the people's calendar
feeds."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateformat import format as date_format

from growth.services import ledger_refresh_for_visit
from inquiry.models import Cycle
from inquiry.structures import Grouping
from opendoors import access
from opendoors.tasks import enqueue
from schools.models import Person
from teams.models import Protocol, ProtocolRun, StepNote
from teams.runner import note_save, run_begin

from .calendar import cover_lesson, when_words
from .models import (
    CalendarFeed,
    Commitment,
    CommitmentRole,
    Debrief,
    DebriefAttendance,
    Visit,
    VisitClassroom,
    VisitObserver,
    VisitStatus,
    new_feed_token,
)
from .rules import VisitPlan, cover_candidates, visit_plan_problems

# When a host is reminded of a pre-brief not yet written: two days before, early morning.
PRE_BRIEF_REMINDER = (timedelta(days=2), time(7, 30))


def _people_of(visit: Visit) -> set[int]:
    hosts = set(visit.classrooms.values_list("host_id", flat=True))
    seats = visit.observers.values_list("person_id", "covered_by_id")
    return hosts | {p for seat in seats for p in seat if p}


def _notify(visit: Visit, change: str, people: set[int], *, was: str = "") -> None:
    if people:
        enqueue("visits.tasks.visit_notify", visit.pk, change, sorted(people), was)


def facilitators_notify(*, cycle: Cycle, change: str, visits: list[Visit]) -> None:
    """One email to the cycle's facilitators about these visits (all placed at once, or one
    moved or cancelled)."""
    if visits:
        enqueue("visits.tasks.facilitators_notify", cycle.pk, change, [v.pk for v in visits])


def substitute_bookings(visit: Visit) -> list[dict[str, str]]:
    """What the school's office needs to book each substitute the visit needs now: the class,
    its room, the time and the teacher covered; nothing of the visit. Empty when the school
    names nobody to tell (there is nobody to email)."""
    if not visit.cycle.school.office_contact_email:
        return []
    seats = (
        VisitObserver.objects.filter(visit=visit, substitute=True)
        .select_related("person")
        .prefetch_related("person__meetings__section")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    slot = visit.slot
    bookings = []
    for seat in seats:
        lesson = cover_lesson(visit, seat)
        bookings.append(
            {
                "teacher": str(seat.person),
                "section": lesson.section,
                "room": lesson.room,
                "day": date_format(visit.date, "l F j"),
                "period": slot.period.label,
                "starts": f"{slot.starts_at:%H:%M}" if slot.starts_at else "",
                "ends": f"{slot.ends_at:%H:%M}" if slot.ends_at else "",
            }
        )
    return bookings


def _tell_office(visit: Visit, before: list[dict[str, str]]) -> None:
    """The office contact hears what changed in the substitutes to book, if anything did."""
    after = substitute_bookings(visit) if visit.status == VisitStatus.SCHEDULED else []
    if before != after:
        enqueue("visits.tasks.substitutes_notify", visit.cycle.school_id, before, after)


def _ask_for_pre_briefs(visit: Visit, hosts: set[int], *, ask: set[int]) -> None:
    """Where the cycle asks for pre-briefs: ask the hosts in `ask` now, and remind every host
    two days before (each email checks again when it is due whether it still applies)."""
    if not visit.cycle.needs_pre_brief or visit.status != VisitStatus.SCHEDULED:
        return
    for host in sorted(ask):
        enqueue("visits.tasks.pre_brief_request", visit.pk, host)
    before, at = PRE_BRIEF_REMINDER
    zone = ZoneInfo(visit.cycle.school.time_zone)
    remind_at = datetime.combine(visit.date - before, at, tzinfo=zone)
    # A visit sooner than that: the request just sent is the reminder.
    if remind_at <= timezone.now():
        return
    for host in sorted(hosts):
        enqueue(
            "visits.tasks.pre_brief_remind", visit.pk, host, visit.sequence, run_after=remind_at
        )


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
def visit_schedule(
    *, cycle: Cycle, plan: VisitPlan, notify: bool = True, tell_facilitators: bool = True
) -> Visit:
    """Place a visit in the master schedule, or refuse it with every clash named.
    `notify=False` is for loading data (the demo) that nobody should be emailed about;
    `tell_facilitators=False` when the caller tells them once about many visits."""
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
        _tell_office(visit, before=[])
        hosts = {host.pk for host, _ in plan.classrooms}
        _ask_for_pre_briefs(visit, hosts, ask=hosts)
        if tell_facilitators:
            facilitators_notify(cycle=cycle, change="scheduled", visits=[visit])
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
    was = when_words(visit.date, visit.slot)
    hosts_before = set(visit.classrooms.values_list("host_id", flat=True))
    covers_before = set(
        visit.observers.exclude(covered_by=None).values_list("covered_by_id", flat=True)
    )
    bookings_before = substitute_bookings(visit) if visit.status == VisitStatus.SCHEDULED else []
    visit.date, visit.slot = plan.date, plan.slot
    visit.sequence = F("sequence") + 1
    visit.save(update_fields=["date", "slot", "sequence", "updated_at"])
    visit.refresh_from_db()
    _classrooms_keep(visit, plan)
    _observers_keep(visit, plan)
    visit.commitments.all().delete()
    if visit.status == VisitStatus.SCHEDULED:
        _commitments_hold(visit, plan)
    now = plan.people()
    # Someone new to the visit is asked, not told of a change to what they never heard of.
    _notify(visit, "moved", now & before)
    _notify(visit, "scheduled", now - before)
    # Those who had a part and have none now hear only that they are no longer needed.
    _notify(visit, "released", before - now - covers_before, was=was)
    _notify(visit, "cover_released", (before - now) & covers_before, was=was)
    _tell_office(visit, before=bookings_before)
    hosts = {host.pk for host, _ in plan.classrooms}
    _ask_for_pre_briefs(visit, hosts, ask=hosts - hosts_before)
    facilitators_notify(cycle=visit.cycle, change="moved", visits=[visit])
    ledger_refresh_for_visit(visit=visit)  # moved ahead, or its people changed
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit) -> None:
    """Cancel a visit: its people are free again in that slot, and what was captured stays."""
    cancelled = Visit.objects.filter(pk=visit.pk, status=VisitStatus.SCHEDULED).update(
        status=VisitStatus.CANCELLED, sequence=F("sequence") + 1
    )
    if not cancelled:
        return
    bookings = substitute_bookings(visit)
    visit.refresh_from_db(fields=["status", "sequence"])
    visit.commitments.all().delete()
    _notify(visit, "cancelled", _people_of(visit))
    _tell_office(visit, before=bookings)
    facilitators_notify(cycle=visit.cycle, change="cancelled", visits=[visit])
    ledger_refresh_for_visit(visit=visit)  # a cancelled visit earns nobody hours


def calendar_feed_for(person: Person) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(person=person)[0]


def calendar_feed_reset(*, person: Person) -> CalendarFeed:
    """A new secret URL; the old one stops working at once."""
    feed = calendar_feed_for(person)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def debrief_attendance_save(
    *, visit: Visit, group: list[Person], attended: set[int], minutes: int | None
) -> Debrief:
    """A facilitator marks who of the visit's group attended its debrief, and how long it took
    if they wish (else the structure's protocol says): the hours ledger counts it from now."""
    debrief, _ = Debrief.objects.get_or_create(visit=visit)
    ids = {person.pk for person in group}
    DebriefAttendance.objects.filter(debrief=debrief).exclude(person_id__in=ids).delete()
    for person_id in ids:
        DebriefAttendance.objects.update_or_create(
            debrief=debrief, person_id=person_id, defaults={"attended": person_id in attended}
        )
    debrief.minutes = minutes
    debrief.attendance_marked_at = timezone.now()
    debrief.save(update_fields=["minutes", "attendance_marked_at", "updated_at"])
    ledger_refresh_for_visit(visit=visit)
    return debrief


@transaction.atomic
def debrief_run_start(*, visit: Visit, by: Person) -> ProtocolRun:
    """A facilitator starts the debrief's protocol: the library protocol its structure names
    (`cycle.preset.debrief_protocol.key`), run with the teams' runner so the group's screens
    follow it; `by` records. A debrief runs it once: pressed again, the run under way stays."""
    debrief, _ = Debrief.objects.select_for_update().get_or_create(visit=visit)
    if debrief.run_id is not None:
        assert debrief.run is not None
        return debrief.run
    key = visit.cycle.preset.debrief_protocol.key
    protocol = Protocol.objects.filter(library_key=key).first()
    if protocol is None:  # the library is loaded by teams' migrations: this is a broken install
        raise ValidationError(
            "This debrief's protocol is missing from the protocol library; ask whoever runs "
            "OpenDoors to bring the database up to date (manage.py migrate)."
        )
    run = run_begin(protocol=protocol, by=by, recorder=by)
    debrief.run = run
    debrief.save(update_fields=["run", "updated_at"])
    return run


@transaction.atomic
def debrief_save(
    *, visit: Visit, by: Person, takeaways: str, team_next_step: str, notes: list[str]
) -> Debrief:
    """The group's takeaways and next step, and its notes for each step of the protocol run
    (StepNote rows of the debrief's run, as a team meeting's); only the notes that changed
    are written, so each keeps who last wrote it."""
    debrief, _ = Debrief.objects.select_for_update().get_or_create(visit=visit)
    debrief.takeaways = takeaways
    debrief.team_next_step = team_next_step
    debrief.save(update_fields=["takeaways", "team_next_step", "updated_at"])
    run = debrief.run
    if run is not None:
        held = dict(StepNote.objects.filter(run=run).values_list("step", "text"))
        for step, text in enumerate(notes[: len(run.steps)]):
            if text != held.get(step, ""):
                note_save(run=run, step=step, text=text, by=by)
    return debrief
