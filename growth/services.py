"""Writes for goals and follow-ups (a goal schedules its own check-in and reminder), for
celebrations: shout-outs, whose audience only the person celebrated chooses, and for the
hours ledger: entries accrued from what OpenDoors saw happen (rules in `ledger.py`), learning
a teacher reports and its review, credits and posting."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from inquiry.models import Cycle
from inquiry.structures import DebriefTiming
from insights.services import Place, ledger_months_mark, place_of
from opendoors.tasks import enqueue, enqueue_unless_waiting
from schools.models import CreditDesignation, District, Person, School
from teams.models import Team, TeamMeeting
from visits.models import Evidence, Visit

from . import ledger
from .ledger import Earned, entry_credits
from .models import Audience, EntryStatus, FollowUp, Goal, LedgerEntry, ShoutOut
from .selectors import celebrations_digest

logger = logging.getLogger(__name__)

FOLLOW_UP_AFTER = timedelta(weeks=2)
REMINDER_TIME = time(7, 30)


def follow_up_due(*, cycle: Cycle | None, visit: Visit | None, try_by: date) -> date:
    """Two weeks after the goal's date; a micro-observation's debrief is due within 24 hours
    of the visit, so its check-in comes the day after. A goal set at a team's meeting (no
    cycle) is checked on two weeks after its date."""
    if (
        cycle is not None
        and cycle.debrief_timing == DebriefTiming.WITHIN_24_HOURS
        and visit is not None
    ):
        return visit.date + timedelta(days=1)
    return try_by + FOLLOW_UP_AFTER


@transaction.atomic
def goal_set(
    *,
    person: Person,
    text: str,
    try_by: date,
    cycle: Cycle | None = None,
    meeting: TeamMeeting | None = None,
    visit: Visit | None = None,
    shared_with_facilitators: bool = False,
) -> Goal:
    """A goal set in a cycle (after a visit or its debrief), or at the end of a team's meeting.
    A meeting's goal is its author's alone: nobody on the team reads it, so it is never
    shared with facilitators."""
    if (cycle is None) == (meeting is None):
        raise ValueError("A goal is set in a cycle or at a meeting, not both or neither.")
    goal = Goal.objects.create(
        person=person,
        cycle=cycle,
        meeting=meeting,
        visit=visit if cycle is not None else None,
        text=text,
        try_by=try_by,
        shared_with_facilitators=shared_with_facilitators and cycle is not None,
    )
    due = follow_up_due(cycle=cycle, visit=goal.visit, try_by=try_by)
    follow_up = FollowUp.objects.create(goal=goal, due_on=due)
    # The check-in is always there to answer; the emailed reminder only in cycles that ask,
    # and always for a meeting's goal (a team has no such setting: the member chose to set it).
    if meeting is not None:
        zone = meeting.team.school.time_zone
    elif cycle is not None and cycle.needs_follow_up:
        zone = cycle.school.time_zone
    else:
        return goal
    remind_at = datetime.combine(due, REMINDER_TIME, tzinfo=ZoneInfo(zone))
    enqueue("growth.tasks.follow_up_remind", follow_up.pk, run_after=remind_at)
    return goal


@transaction.atomic
def follow_up_answer(
    *, follow_up: FollowUp, tried: bool, results: str, why: str, share: bool = False
) -> FollowUp:
    """Save the answer; `share` lets the goal's cycle's facilitators read it (or stops them).
    A meeting's goal has no cycle: its answer is never shared."""
    if follow_up.goal.cycle is not None:
        follow_up_share(follow_up=follow_up, cycle=follow_up.goal.cycle, share=share)
    follow_up.tried = tried
    follow_up.results_as_anticipated = results
    follow_up.why = why
    follow_up.answered_at = timezone.now()
    follow_up.save(update_fields=["tried", "results_as_anticipated", "why", "answered_at"])
    ledger_refresh_for_follow_up(follow_up=follow_up)
    return follow_up


def follow_up_share(*, follow_up: FollowUp, cycle: Cycle, share: bool) -> None:
    """The author lets a cycle's facilitators read this answer, or takes it back."""
    if share:
        follow_up.shared_with.add(cycle)
    else:
        follow_up.shared_with.remove(cycle)


class CelebrationRefused(Exception):
    """Nothing was saved; `reason` says why, in a sentence for the page."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def shout_out_give(
    *, school: School, author: Person, celebrated: Person, text: str, team: Team | None = None
) -> ShoutOut:
    """A shout-out to a colleague, private to them until they choose who sees it."""
    if celebrated.pk == author.pk:
        raise CelebrationRefused("A shout-out celebrates a colleague: choose someone else.")
    return ShoutOut.objects.create(
        school=school, author=author, celebrated=celebrated, text=text.strip(), team=team
    )


def shout_out_audience_set(
    *, shout_out: ShoutOut, audience: str, team: Team | None = None, goal: Goal | None = None
) -> ShoutOut:
    """The person celebrated chooses who sees it: only them, a team they are on, or the
    school; and may tie it to a goal of theirs that it met."""
    if audience == Audience.TEAM and team is None and shout_out.team is None:
        raise CelebrationRefused("Choose the team that may see it.")
    if team is not None:
        shout_out.team = team
    shout_out.audience = audience
    shout_out.goal = goal if goal is not None else shout_out.goal
    shout_out.audience_chosen_at = timezone.now()
    shout_out.save(update_fields=["team", "audience", "goal", "audience_chosen_at"])
    return shout_out


@transaction.atomic
def bright_moment_share(
    *, host: Person, moment: Evidence, school: School, audience: str, team: Team | None
) -> ShoutOut:
    """A host shares a bright moment from their classroom as a shout-out to themselves. The
    observer who wrote it is not named: they wrote it for the visit's group."""
    if audience == Audience.TEAM and team is None:
        raise CelebrationRefused("Choose the team that may see it.")
    shout_out, _ = ShoutOut.objects.get_or_create(
        bright_moment=moment,
        defaults={"school": school, "celebrated": host, "author": None, "text": moment.text},
    )
    return shout_out_audience_set(shout_out=shout_out, audience=audience, team=team)


# The hours ledger. What OpenDoors saw happen is read by `growth.ledger` as what each event
# earns; `ledger_reconcile` makes the ledger say the same, never touching a posted entry.


@dataclass(frozen=True)
class LedgerRefreshed:
    """What one refresh did: entries added, corrected and taken away, and posted entries that
    no longer match their event (kept as exported, and named here for the district)."""

    added: int = 0
    corrected: int = 0
    removed: int = 0
    posted_kept: tuple[str, ...] = ()


def _credit_rules(district_ids: set[int]) -> dict[int, tuple[District, list[CreditDesignation]]]:
    """Each district's credit rules and designations, in two queries."""
    districts = {d.pk: d for d in District.objects.filter(pk__in=district_ids)}
    designations: dict[int, list[CreditDesignation]] = {pk: [] for pk in districts}
    for designation in CreditDesignation.objects.filter(district_id__in=district_ids):
        designations[designation.district_id].append(designation)
    return {pk: (district, designations[pk]) for pk, district in districts.items()}


def _credit(entry: LedgerEntry, rules: dict[int, tuple[District, list[CreditDesignation]]]) -> bool:
    """Set the entry's credits by its district's rules; whether anything changed."""
    district, designations = rules[entry.district_id]
    credits = entry_credits(
        minutes=entry.minutes,
        activity=entry.activity,
        district=district,
        designations=designations,
    )
    before = (entry.credits, entry.credit_unit, entry.designations)
    entry.credits, entry.credit_unit = credits.credits, credits.unit
    entry.designations = credits.designations
    return before != (credits.credits, credits.unit, credits.designations)


EARNED_FIELDS = ("date", "activity", "minutes", "title", "district_id", "school_id", "cycle_id")


def _differs(entry: LedgerEntry, line: Earned) -> bool:
    return any(getattr(entry, f) != getattr(line, f) for f in EARNED_FIELDS)


def _posted_note(entry: LedgerEntry, now_says: str) -> str:
    return f"{entry.entry_id} ({entry.source}, posted {entry.posted_at:%Y-%m-%d}): {now_says}"


@transaction.atomic
def ledger_reconcile(*, earned: list[Earned], existing: QuerySet[LedgerEntry]) -> LedgerRefreshed:
    """Make the computed entries in `existing` (the scope the events were read in) say what
    `earned` says: add what is missing, correct what changed and take away what no longer
    counts, unless it was posted; posted entries are reported, never changed."""
    wanted = {line.key: line for line in earned}
    held = {(e.person_id, e.source): e for e in existing.exclude(source="")}
    missing = [key for key in wanted if key not in held]
    if missing:
        # An entry outside the scope may name the same event (a visit moved before `since`).
        people, sources = {k[0] for k in missing}, {k[1] for k in missing}
        for entry in LedgerEntry.objects.filter(person_id__in=people, source__in=sources):
            held.setdefault((entry.person_id, entry.source), entry)
    added: list[LedgerEntry] = []
    changed: list[LedgerEntry] = []
    stale: list[int] = []
    moved: list[Place] = []  # where changed and removed entries counted before
    notes: list[str] = []
    for key, line in wanted.items():
        found = held.get(key)
        if found is None:
            entry = LedgerEntry(person_id=line.person_id, source=line.source)
            added.append(entry)
        elif not _differs(found, line):
            continue
        elif found.posted_at is not None:
            notes.append(_posted_note(found, f"now {line.minutes} min on {line.date}"))
            continue
        else:
            entry = found
            changed.append(entry)
            moved.append(place_of(entry))
        entry.status = EntryStatus.VERIFIED
        for field in EARNED_FIELDS:
            setattr(entry, field, getattr(line, field))
    for key, entry in held.items():
        if key in wanted:
            continue
        if entry.posted_at is None:
            stale.append(entry.pk)
            moved.append(place_of(entry))
        else:
            notes.append(_posted_note(entry, "the event no longer counts"))
    if changed:
        changed = _still_unposted(changed, notes)
    if added or changed:
        rules = _credit_rules({e.district_id for e in [*added, *changed]})
        for entry in [*added, *changed]:
            _credit(entry, rules)
        # Two refreshes at once (a page opened during the nightly run) add the same entry
        # once: the database's constraint keeps one, the other is skipped.
        LedgerEntry.objects.bulk_create(added, ignore_conflicts=True)
        LedgerEntry.objects.bulk_update(
            changed, [*EARNED_FIELDS, "status", "credits", "credit_unit", "designations"]
        )
    if stale:
        LedgerEntry.objects.filter(pk__in=stale, posted_at__isnull=True).delete()
    ledger_months_mark(entries=[*added, *changed, *moved])
    for note in notes:
        logger.warning("Hours ledger: a posted entry no longer matches its event: %s", note)
    return LedgerRefreshed(len(added), len(changed), len(stale), tuple(notes))


def _still_unposted(changed: list[LedgerEntry], notes: list[str]) -> list[LedgerEntry]:
    """The entries to correct that no export posted since they were read (those are noted
    and kept as exported); their districts stay locked against posting until the
    correction commits."""
    for district_id in sorted({e.district_id for e in changed}):  # one order: no deadlock
        _posting_locked(district_id)
    posted = dict(
        LedgerEntry.objects.filter(
            pk__in=[e.pk for e in changed], posted_at__isnull=False
        ).values_list("pk", "posted_at")
    )
    for entry in changed:
        if entry.pk in posted:
            entry.posted_at = posted[entry.pk]
            notes.append(_posted_note(entry, f"now {entry.minutes} min on {entry.date}"))
    return [e for e in changed if e.pk not in posted]


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def ledger_refresh_for_visit(*, visit: Visit, now: datetime | None = None) -> LedgerRefreshed:
    """After a visit is cancelled, moved or its debrief's attendance saved."""
    earned = ledger.earned_in(ledger.scope_of_visit(visit), _now(now))
    existing = LedgerEntry.objects.filter(ledger.sources_of_visit(visit))
    return ledger_reconcile(earned=earned, existing=existing)


def ledger_refresh_for_meeting(
    *, meeting: TeamMeeting, now: datetime | None = None
) -> LedgerRefreshed:
    """After a meeting's attendance is marked, a run in it ends, or it is cancelled."""
    earned = ledger.earned_in(ledger.scope_of_meeting(meeting), _now(now))
    existing = LedgerEntry.objects.filter(ledger.sources_of_meeting(meeting))
    return ledger_reconcile(earned=earned, existing=existing)


def ledger_refresh_for_follow_up(*, follow_up: FollowUp) -> LedgerRefreshed:
    earned = ledger.earned_in(ledger.scope_of_follow_up(follow_up), timezone.now())
    existing = LedgerEntry.objects.filter(source=f"followup:{follow_up.pk}")
    return ledger_reconcile(earned=earned, existing=existing)


def ledger_refresh_for_person(*, person: Person, now: datetime | None = None) -> LedgerRefreshed:
    """Everything one person took part in, before their ledger is shown: a visit that simply
    passed its date counts from then on. Seven reads of events and one of the ledger when
    nothing changed."""
    earned = ledger.earned_in(ledger.scope_of_person(person.pk), _now(now))
    existing = LedgerEntry.objects.filter(person=person)
    return ledger_reconcile(earned=earned, existing=existing)


def ledger_refresh(
    *, district: District, since: date | None = None, now: datetime | None = None
) -> LedgerRefreshed:
    """Every event of the district on or after `since` (all of them without it): the nightly
    task and `opendoors hours-ledger --refresh`."""
    earned = ledger.earned_in(ledger.scope_of_district(district.pk, since), _now(now))
    existing = LedgerEntry.objects.filter(district=district)
    if since is not None:
        earned = [line for line in earned if line.date >= since]
        existing = existing.filter(date__gte=since)
    return ledger_reconcile(
        earned=[line for line in earned if line.district_id == district.pk], existing=existing
    )


RECREDIT_BATCH = 2000


@transaction.atomic
def ledger_recredit(*, district: District) -> int:
    """The district changed its credit rules or designations: every unposted entry's credits
    follow them; posted entries keep what was exported. How many entries changed."""
    _posting_locked(district.pk)
    rules = _credit_rules({district.pk})
    batch: list[LedgerEntry] = []
    changed = 0
    fields = ["credits", "credit_unit", "designations"]
    entries = LedgerEntry.objects.filter(district=district, posted_at__isnull=True).only(
        "pk", "district_id", "school_id", "date", "minutes", "activity", *fields
    )
    for entry in entries.iterator(chunk_size=RECREDIT_BATCH):
        if _credit(entry, rules):
            batch.append(entry)
        if len(batch) >= RECREDIT_BATCH:
            changed += _recredited(batch, fields)
            batch = []
    return changed + (_recredited(batch, fields) if batch else 0)


def _posting_locked(district_id: int) -> None:
    """Posting, re-crediting and correcting entries take the district's row first, each
    waiting for the other to commit: what a re-credit or a correction read is never written
    over entries an export posted meanwhile (growth/tests/test_ledger_concurrency.py)."""
    District.objects.select_for_update().get(pk=district_id)


def _recredited(batch: list[LedgerEntry], fields: list[str]) -> int:
    ledger_months_mark(entries=batch)
    return LedgerEntry.objects.bulk_update(batch, fields)


class LedgerRefused(Exception):
    """Nothing was saved; `reason` says why, in a sentence for the page."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Learning:
    """Learning a teacher reports: what, when, how long, and what they took from it."""

    date: date
    activity: str
    minutes: int
    title: str
    reflection: str


def _learning_set(entry: LedgerEntry, learning: Learning) -> None:
    if learning.activity not in ledger.REPORTED_ACTIVITIES:
        raise LedgerRefused("Choose one of the kinds of learning listed.")
    if not 1 <= learning.minutes <= 24 * 60:
        raise LedgerRefused("Minutes are between 1 and 1,440 (one day).")
    entry.date, entry.activity, entry.minutes = learning.date, learning.activity, learning.minutes
    entry.title, entry.reflection = learning.title.strip(), learning.reflection.strip()
    entry.status = EntryStatus.SELF_REPORTED
    _credit(entry, _credit_rules({entry.district_id}))


@transaction.atomic
def learning_report(*, person: Person, school: School, learning: Learning) -> LedgerEntry:
    """Other job-embedded learning, reported by the teacher. Where the district asks for
    approval it waits until a facilitator, coach or district leader approves it (or returns it
    with a comment); elsewhere it counts as self-reported at once (`ledger.counted`)."""
    entry = LedgerEntry(person=person, school=school, district_id=school.district_id)
    _learning_set(entry, learning)
    entry.save()
    ledger_months_mark(entries=[entry])
    return entry


@transaction.atomic
def learning_resubmit(*, entry: LedgerEntry, learning: Learning) -> LedgerEntry:
    """The teacher corrects learning they reported (returned, or not reviewed yet): it waits
    for review again. Posted or approved learning stays as it is."""
    if entry.source or entry.posted_at is not None or entry.status == EntryStatus.APPROVED:
        raise LedgerRefused("This entry was approved or posted to the district: it stays as it is.")
    before = place_of(entry)
    _learning_set(entry, learning)
    entry.reviewed_by, entry.reviewed_at = None, None
    entry.save()
    ledger_months_mark(entries=[before, entry])
    return entry


@transaction.atomic
def learning_review(
    *, entry: LedgerEntry, reviewer: Person, approve: bool, comment: str
) -> LedgerEntry:
    """Approve reported learning (an optional comment) or return it to its author with a
    comment they read, fix and send again. Nobody reviews their own."""
    comment = comment.strip()
    if entry.person_id == reviewer.pk:
        raise LedgerRefused("Someone else reviews the learning you reported.")
    if not entry.district.self_reported_needs_approval:
        raise LedgerRefused(
            "Your district counts reported learning without approval: nothing to review."
        )
    if not ledger.entry_waits(entry):
        raise LedgerRefused("This entry is not waiting for review any more.")
    if not approve and not comment:
        raise LedgerRefused("Say what to change, so that they can fix it and send it again.")
    entry.status = EntryStatus.APPROVED if approve else EntryStatus.RETURNED
    entry.review_comment = comment
    entry.reviewed_by, entry.reviewed_at = reviewer, timezone.now()
    entry.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    ledger_months_mark(entries=[entry])
    return entry


@transaction.atomic
def ledger_post(*, district: District, entries: QuerySet[LedgerEntry]) -> int:
    """Mark `entries` (an export's rows) as posted to the district's HR or licensing system:
    from now on their credits never change. Only the first export posts. (Posted learning
    counts whatever the approval setting says: `ledger.counted`.)"""
    _posting_locked(district.pk)
    unposted = entries.filter(district=district, posted_at__isnull=True)
    # Only what did not count yet may start to (the rest counts before and after).
    ledger_months_mark(query=unposted.exclude(ledger.counted()))
    return unposted.update(posted_at=timezone.now())


DIGEST_TASK = "growth.tasks.celebrations_digest_weekly"
DIGEST_EVERY = timedelta(weeks=1)
DIGEST_TIME = time(7, 0)


def next_digest_at(now: datetime) -> datetime:
    """Next Monday at 7:00 in the site's time zone (the digest reads the week just ended)."""
    local = timezone.localtime(now)
    monday = local.date() + timedelta(days=(7 - local.weekday()) % 7 or 7)
    return datetime.combine(monday, DIGEST_TIME, tzinfo=local.tzinfo)


def celebrations_digest_send(*, since: datetime, until: datetime) -> int:
    """Send each person the week's digest of shout-outs shared with them; how many emails."""
    sent = 0
    for person, items in celebrations_digest(since=since, until=until).items():
        send_mail(
            subject="Celebrations this week",
            message=render_to_string(
                "growth/email/celebrations_digest.txt",
                {
                    "person": person,
                    "items": items,
                    "link": settings.OPENDOORS_SITE_URL + reverse("growth:my_celebrations"),
                },
            ),
            from_email=None,
            recipient_list=[person.email],
        )
        sent += 1
    return sent


LEDGER_TASK = "growth.tasks.ledger_nightly"
# The nightly run re-reads this many days: a visit that passed its date, a debrief whose
# attendance was marked late. Older events were refreshed when they changed.
LEDGER_LOOKBACK = timedelta(days=60)
LEDGER_HOUR = 3  # after retention (02:00), when nobody is capturing


def ledger_next_run(*, now: datetime) -> datetime:
    """Tomorrow at 03:00 in the site's time zone."""
    local = timezone.localtime(now)
    return datetime.combine(local.date() + timedelta(days=1), time(LEDGER_HOUR), local.tzinfo)


def ledger_nightly_queue(*, run_after: datetime) -> bool:
    """Queue the nightly ledger refresh unless a run is already waiting; whether it queued."""
    return enqueue_unless_waiting(LEDGER_TASK, run_after=run_after)


def ledger_refresh_everywhere(*, now: datetime) -> LedgerRefreshed:
    """The recent events of every district (`LEDGER_LOOKBACK`), summed."""
    since = timezone.localtime(now).date() - LEDGER_LOOKBACK
    runs = [
        ledger_refresh(district=district, since=since, now=now)
        for district in District.objects.all()
    ]
    return LedgerRefreshed(
        added=sum(r.added for r in runs),
        corrected=sum(r.corrected for r in runs),
        removed=sum(r.removed for r in runs),
        posted_kept=tuple(note for r in runs for note in r.posted_kept),
    )
