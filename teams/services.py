"""Forming teams, placing their PLC meetings in the master schedule, and their agendas.

A meeting is refused, naming each clash, when a member teaches or has a duty in its period,
or already has a team meeting or a visit (observing, hosting, covering) in that period on
that date: every member and every date are checked in one pass. The database holds "a team
meets once in a period" too (`team_meets_once_per_period`), so two facilitators placing the
same meeting at once get one.

An agenda protects the important: the protocol block comes first and keeps its minutes;
announcements go to the written digest (emailed the day before) or to a short end slot;
whatever does not fit goes to the parking lot.
"""

from collections.abc import Iterable
from datetime import date as Date
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from inquiry.models import Cycle
from opendoors.tasks import enqueue
from rosters.ordering import weekday_of
from schools.models import Meeting, Person, School, Slot, Term, Unavailability
from visits.models import Commitment, CommitmentRole, VisitStatus

from .models import (
    STEP_MINUTES_MAX,
    AgendaItem,
    AgendaKind,
    MeetingStatus,
    ParkingLotItem,
    Protocol,
    Team,
    TeamMeeting,
)
from .selectors import period_minutes, slot_words

END_SLOT_MAX = 15  # minutes for announcements at the end, at most
MOST_MEETINGS = 60  # one series: more is a typo in a date, not a plan
DEFAULT_WEEKS = 6  # a series' length when the term has no end date
# When the digest is emailed: the afternoon before the meeting, in the school's time zone.
DIGEST_AT = (timedelta(days=1), time(15, 0))
DOING: dict[str, str] = {
    CommitmentRole.HOST: "hosting a visit",
    CommitmentRole.OBSERVER: "observing in a visit",
    CommitmentRole.COVER: "covering a class for a visit",
}


class Repeat:
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    DATES = "dates"
    CHOICES = [
        (WEEKLY, "Every week"),
        (FORTNIGHTLY, "Every other week"),
        (DATES, "On the dates I choose"),
    ]


# Teams ------------------------------------------------------------------------------------


@transaction.atomic
def team_save(
    *,
    school: School,
    name: str,
    kind: str,
    members: Iterable[Person],
    facilitators: Iterable[Person],
    by: Person,
    by_manager: bool,
    team: Team | None = None,
) -> Team:
    """Form a team, or change one: its name, kind, members and facilitators (who are members
    too). A teacher leader who is no principal or coach stays a facilitator of a team they
    form or change, so that they keep the authority to lead it."""
    people = {p.pk: p for p in members}
    leads = {p.pk for p in facilitators}
    people |= {p.pk: p for p in facilitators}
    if not by_manager:
        people[by.pk] = by
        leads.add(by.pk)
    if not people:
        raise ValidationError("A team needs at least one member: tick the people on it.")
    name = " ".join(name.split())
    clash = Team.objects.filter(school=school, name__iexact=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise ValidationError(
            f"The school already has a team called “{name}”: choose another name."
        )
    if team is None:
        team = Team.objects.create(school=school, name=name, kind=kind, created_by=by)
    else:
        team.name, team.kind = name, kind
        team.save(update_fields=["name", "kind"])
    team.members.exclude(person_id__in=people).delete()
    have = {m.person_id: m for m in team.members.all()}
    for pk in people:
        if pk in have:
            if have[pk].is_facilitator != (pk in leads):
                have[pk].is_facilitator = pk in leads
                have[pk].save(update_fields=["is_facilitator"])
        else:
            team.members.create(person_id=pk, is_facilitator=pk in leads)
    return team


# Meetings ---------------------------------------------------------------------------------


def series_end(term: Term | None, starts_on: Date) -> Date:
    """Where a series stops unless told: the term's end, else six weeks on."""
    if term is not None and term.ends_on is not None:
        return term.ends_on
    return starts_on + timedelta(weeks=DEFAULT_WEEKS)


def meeting_dates(
    *, slot: Slot, starts_on: Date, ends_on: Date, repeat: str, chosen: Iterable[Date] = ()
) -> list[Date]:
    """The dates of a series in this slot: every week or every other week from the first
    date on the slot's weekday (from `starts_on` itself when the day is no weekday, as with
    A/B days), up to `ends_on`; or the dates chosen."""
    if repeat == Repeat.DATES:
        return sorted(set(chosen))
    weekday = weekday_of(slot.day.label)
    first = starts_on
    if weekday is not None:
        first += timedelta(days=(weekday - starts_on.weekday()) % 7)
    step = timedelta(weeks=2 if repeat == Repeat.FORTNIGHTLY else 1)
    dates: list[Date] = []
    on = first
    while on <= ends_on and len(dates) <= MOST_MEETINGS:
        dates.append(on)
        on += step
    return dates


def _when(slot: Slot, on: Date) -> str:
    return f"{on:%a %b} {on.day}, {slot_words(slot)}"


def _date_problems(slot: Slot, dates: list[Date], term: Term) -> list[str]:
    problems = []
    if not dates:
        problems.append("No date falls between the start and the end: choose a later end date.")
    if len(dates) > MOST_MEETINGS:
        problems.append(f"That makes more than {MOST_MEETINGS} meetings: choose an earlier end.")
    weekday = weekday_of(slot.day.label)
    for on in dates:
        if weekday is not None and on.weekday() != weekday:
            problems.append(f"{on:%A %b} {on.day} is not a {slot.day.label}.")
        if (term.starts_on and on < term.starts_on) or (term.ends_on and on > term.ends_on):
            problems.append(f"{on:%a %b} {on.day} is outside the term ({term.name}).")
    return problems


def meeting_problems(*, team: Team, slot: Slot, dates: list[Date]) -> list[str]:
    """Everything wrong with meeting in this slot on these dates, each clash named; empty
    when it fits. A fixed number of queries, however many members and dates."""
    people = {m.person_id: m.person for m in team.members.select_related("person")}
    if not people:
        return ["The team has no members yet: add its members first."]
    problems = _date_problems(slot, dates, slot.term)
    for lesson in Meeting.objects.filter(slot=slot, teacher_id__in=people).select_related(
        "section"
    ):
        problems.append(
            f"{people[lesson.teacher_id]} teaches {lesson.section} in {slot_words(slot)}: "
            "choose a period in which every member is free."
        )
    for duty in Unavailability.objects.filter(slot=slot, person_id__in=people):
        problems.append(
            f"{people[duty.person_id]} has {duty.reason.lower()} in {slot_words(slot)}."
        )
    others = TeamMeeting.objects.filter(
        slot=slot,
        date__in=dates,
        status=MeetingStatus.SCHEDULED,
        team__members__person_id__in=people,
    )
    seen: set[tuple[int, Date]] = set()
    for other in others.annotate(who=F("team__members__person_id")).select_related("team"):
        if (other.who, other.date) in seen:
            continue
        seen.add((other.who, other.date))
        if other.team_id == team.pk:
            problems.append(f"The team already meets on {_when(slot, other.date)}.")
            seen |= {(p, other.date) for p in people}
        else:
            problems.append(
                f"{people[other.who]} is already in a meeting of “{other.team}” on "
                f"{_when(slot, other.date)}."
            )
    for commitment in Commitment.objects.filter(
        slot=slot,
        date__in=dates,
        person_id__in=people,
        visit__status=VisitStatus.SCHEDULED,
    ).order_by("date", "person_id"):
        problems.append(
            f"{people[commitment.person_id]} is already {DOING[commitment.role]} on "
            f"{_when(slot, commitment.date)}."
        )
    return problems


@transaction.atomic
def meetings_schedule(
    *, team: Team, slot: Slot, dates: list[Date], by: Person
) -> list[TeamMeeting]:
    """Place the team's meetings in this slot on these dates, as one series; refused whole,
    naming every clash, when any date does not fit."""
    problems = meeting_problems(team=team, slot=slot, dates=dates)
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            meetings = [
                TeamMeeting.objects.create(team=team, slot=slot, date=on, created_by=by)
                for on in dates
            ]
    except IntegrityError:
        # Someone placed the same meeting a moment ago: theirs stands.
        raise ValidationError(
            f"The team already meets in {slot_words(slot)} on one of these dates: someone "
            "placed it a moment ago. Reload the page to see it."
        ) from None
    series = meetings[0].pk
    TeamMeeting.objects.filter(pk__in=[m.pk for m in meetings]).update(series=series)
    for meeting in meetings:
        meeting.series = series
    return meetings


@transaction.atomic
def meeting_cancel(*, meeting: TeamMeeting, rest_of_series: bool = False) -> int:
    """Cancel one meeting, or it and the rest of its series; returns how many. Cancelled
    meetings stay (calendars learn they are off), their agendas too."""
    meetings = TeamMeeting.objects.filter(pk=meeting.pk)
    if rest_of_series and meeting.series is not None:
        meetings = TeamMeeting.objects.filter(
            team=meeting.team_id, series=meeting.series, date__gte=meeting.date
        )
    return meetings.filter(status=MeetingStatus.SCHEDULED).update(status=MeetingStatus.CANCELLED)


# Agendas ----------------------------------------------------------------------------------


def _fits(meeting: TeamMeeting, minutes: int, end_slot: int) -> None:
    """The agenda and the end slot must fit the period, when its length is known."""
    length = period_minutes(meeting.slot)
    if length is not None and minutes + end_slot > length:
        raise ValidationError(
            f"The agenda would take {minutes + end_slot} minutes and the period lasts {length}: "
            "shorten a block or the end slot, or put a block in the parking lot."
        )


def _agenda_minutes(meeting: TeamMeeting) -> int:
    return sum(meeting.agenda.values_list("minutes", flat=True))


@transaction.atomic
def agenda_item_add(
    *,
    meeting: TeamMeeting,
    kind: str,
    minutes: int | None = None,
    title: str = "",
    protocol: Protocol | None = None,
    cycle: Cycle | None = None,
) -> AgendaItem:
    """Add a block. A protocol block goes first and takes the protocol's own minutes (one a
    meeting); a pre-brief or debrief of an observation cycle goes after it."""
    TeamMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if kind == AgendaKind.PROTOCOL:
        if protocol is None:
            raise ValidationError("Choose the protocol the team runs.")
        if meeting.agenda.filter(kind=AgendaKind.PROTOCOL).exists():
            raise ValidationError(
                "The meeting already has its protocol: remove it first to choose another."
            )
        minutes = min(protocol.total_minutes, STEP_MINUTES_MAX) or minutes or 1
        title = title or protocol.title
        cycle = None
    elif kind in (AgendaKind.PRE_BRIEF, AgendaKind.DEBRIEF):
        if cycle is None:
            raise ValidationError("Choose the observation cycle to pre-brief or debrief.")
        title = title or f"{AgendaKind(kind).label.split(' of ')[0]}: {cycle.title}"
        protocol = None
    else:
        raise ValidationError(
            "Announcements go to the digest or the end slot, not to a block of their own."
        )
    if minutes is None:
        raise ValidationError("Say how many minutes the block takes.")
    _fits(meeting, _agenda_minutes(meeting) + minutes, meeting.end_slot_minutes)
    if kind == AgendaKind.PROTOCOL:
        meeting.agenda.update(position=F("position") + 1)
        position = 0
    else:
        position = (meeting.agenda.aggregate(last=Max("position"))["last"] or 0) + 1
    return AgendaItem.objects.create(
        meeting=meeting,
        kind=kind,
        position=position,
        title=title[:200],
        minutes=minutes,
        protocol=protocol,
        cycle=cycle,
    )


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool) -> None:
    """Move a block up or down one place. The protocol block stays first: it is not moved
    down, and nothing moves above it."""
    items = list(item.meeting.agenda.order_by("position", "pk"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    if AgendaKind.PROTOCOL in (items[index].kind, items[other].kind):
        raise ValidationError("The protocol block comes first: it is what the team's time is for.")
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, park: bool, by: Person) -> ParkingLotItem | None:
    """Remove a block; with `park`, keep it in the team's parking lot for a later meeting."""
    parked = None
    if park:
        parked = ParkingLotItem.objects.create(
            team=item.meeting.team, text=str(item)[:500], raised_at=item.meeting, created_by=by
        )
    item.delete()
    return parked


def digest_send_at(meeting: TeamMeeting) -> datetime:
    before, at = DIGEST_AT
    zone = ZoneInfo(meeting.team.school.time_zone)
    return datetime.combine(meeting.date - before, at, tzinfo=zone)


@transaction.atomic
def meeting_announcements_set(*, meeting: TeamMeeting, digest: str, end_slot_minutes: int) -> None:
    """The written digest (emailed to members the afternoon before; at once when that is
    past) and the end slot's minutes (at most 15), which must fit the period with the
    agenda."""
    if not 0 <= end_slot_minutes <= END_SLOT_MAX:
        raise ValidationError(f"The end slot lasts at most {END_SLOT_MAX} minutes.")
    _fits(meeting, _agenda_minutes(meeting), end_slot_minutes)
    changed = digest.strip() != meeting.digest.strip()
    meeting.digest = digest.strip()
    meeting.end_slot_minutes = end_slot_minutes
    meeting.save(update_fields=["digest", "end_slot_minutes"])
    if changed and meeting.digest and meeting.digest_sent_at is None:
        send_at = digest_send_at(meeting)
        enqueue(
            "teams.tasks.meeting_digest_send",
            meeting.pk,
            run_after=send_at if send_at > timezone.now() else None,
        )


# Parking lot ------------------------------------------------------------------------------


def parking_lot_add(
    *, team: Team, text: str, by: Person, meeting: TeamMeeting | None = None
) -> ParkingLotItem:
    text = " ".join(text.split())
    if not text:
        raise ValidationError("Write what the team should come back to.")
    return ParkingLotItem.objects.create(
        team=team, text=text[:500], raised_at=meeting, created_by=by
    )


def parking_lot_done(*, item: ParkingLotItem) -> None:
    if item.done_at is None:
        item.done_at = timezone.now()
        item.save(update_fields=["done_at"])
