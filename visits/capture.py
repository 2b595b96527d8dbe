"""Recording evidence sent from observers' phones, exactly once.

An entry's id is made on the device. Sending the same entry again stores
nothing new ("duplicate"); the same id with different content is a "conflict",
answered with the stored version so that the phone can keep both. Each entry is
judged on its own: one bad entry does not lose the others.

An entry belongs to the person who captured it, whoever is signed in when it is sent: an
entry of someone else is "not_yours", stored nowhere, and waits on the phone for its author.
A time outside the visit's window (a phone's clock set to year 9999 or year 1) is refused
with a reason, before it reaches a database that would store it and then fail every read.
Words may be about a look-for (a note tagged on the phone): one of the cycle's current ones,
else refused with what to do.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils import timezone

from inquiry.models import LookFor
from insights.services import rollups_bump
from schools.models import Person

from .models import (
    Evidence,
    EvidenceKind,
    EvidenceRead,
    Visit,
    VisitClassroom,
    VisitObserver,
)

NEEDS_TEXT = {
    EvidenceKind.WHAT,
    EvidenceKind.SO_WHAT,
    EvidenceKind.NOW_WHAT,
    EvidenceKind.NOTE,
    EvidenceKind.STUDENT_PROMPT,
}
TALK_FIELDS = ("teacher_talk_seconds", "student_talk_seconds", "silence_seconds")
MAX_LENGTH = {"label": 200, "text": 5000}
# A phone's clock set by hand can run minutes fast, or an hour after a daylight-saving change.
CLOCK_SKEW = timedelta(hours=1)
# A phone's clock may run a little fast; entries after an observer left are refused beyond this.
LEFT_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Entry:
    """An entry as the phone sends it."""

    id: UUID
    classroom: int
    kind: str
    recorded_at: datetime
    look_for: int | None = None
    label: str = ""
    text: str = ""
    teacher_talk_seconds: int | None = None
    student_talk_seconds: int | None = None
    silence_seconds: int | None = None
    # Who captured it, as the phone says; None for entries recorded on the server (the demo).
    author: int | None = None

    def fingerprint(self) -> str:
        content = {
            "classroom": self.classroom,
            "kind": self.kind,
            "look_for": self.look_for,
            "label": self.label,
            "text": self.text,
            "talk": [getattr(self, name) for name in TALK_FIELDS],
            "recorded_at": self.recorded_at.isoformat(),
        }
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


OutcomeStatus = Literal["stored", "duplicate", "conflict", "refused", "not_yours"]


@dataclass
class Outcome:
    id: UUID
    status: OutcomeStatus
    message: str = ""
    server: Evidence | None = None


def storable_text(value: str) -> str | None:
    """Why a string cannot be stored as it is, or None. Databases refuse NUL characters and
    unpaired surrogates; everything else is kept exactly."""
    if "\x00" in value:
        return "contains a NUL character, which cannot be stored"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains characters that are not valid Unicode"
    return None


def recorded_window(*, visit: Visit, now: datetime) -> tuple[datetime, datetime]:
    """When an entry of this visit can have been recorded: from the day before the visit (or
    before it was planned, for a visit moved to a later day) until now, give or take a clock
    that runs a little fast."""
    day_before = datetime.combine(visit.date - timedelta(days=1), time.min, tzinfo=UTC)
    return min(day_before, visit.created_at - timedelta(days=1)), now + CLOCK_SKEW


def time_problem(recorded_at: datetime, window: tuple[datetime, datetime]) -> str:
    """Why this time cannot be an entry's, or "". Compared as given, never converted: a time
    near year 1 or 9999 has no UTC equivalent."""
    if recorded_at.utcoffset() is None:
        return "the time it was recorded has no time zone (send it like 2025-03-03T09:05:00Z)"
    shown = recorded_at.isoformat(timespec="minutes")
    earliest, latest = window
    if recorded_at < earliest:
        return f"recorded at {shown}, before this visit: check this phone's date and time"
    if recorded_at > latest:
        return f"recorded at {shown}, later than now: check this phone's date and time"
    return ""


def about_problem(look_for: int, look_fors: dict[int, LookFor]) -> str:
    """Why words (a note, a bright moment…) cannot be about this look-for, or "". A note tagged
    on a page opened before the coach retired or merged the look-for is refused with what to do:
    the phone offers to send it without the look-for."""
    found = look_fors.get(look_for)
    if found is None:
        return "the look-for this is about is not one of this cycle's: send it without the look-for"
    if not found.retired:
        return ""
    if found.merged_into_id and found.merged_into_id in look_fors:
        merged_into = look_fors[found.merged_into_id].text
        return (
            f"the look-for “{found.text}” was merged into “{merged_into}”: send it without "
            "the look-for, or write it again about the merged one"
        )
    return f"the look-for “{found.text}” was retired from this cycle: send it without the look-for"


def entry_problem(
    entry: Entry,
    rooms: dict[int, VisitClassroom],
    look_fors: dict[int, LookFor],
    window: tuple[datetime, datetime],
) -> str:
    """Why this entry cannot be stored, in words for the observer; "" when it can. A look-for
    tap may name a retired look-for (tapped before it was retired: the debrief keeps its row);
    words tagged with a look-for must name a current one of this cycle."""
    if entry.classroom not in rooms:
        return f"classroom {entry.classroom} is not part of this visit"
    if entry.kind not in EvidenceKind.values:
        return f"“{entry.kind}” is not a kind of evidence"
    for field, limit in MAX_LENGTH.items():
        value = getattr(entry, field)
        problem = storable_text(value)
        if problem:
            return f"{field} {problem}"
        if len(value) > limit:
            return f"{field} is {len(value)} characters long; the limit is {limit}"
    if entry.kind == EvidenceKind.LOOK_FOR and entry.look_for not in look_fors:
        return "a look-for tap needs one of this cycle's look-fors"
    if entry.kind != EvidenceKind.LOOK_FOR and entry.look_for is not None:
        problem = about_problem(entry.look_for, look_fors)
        if problem:
            return problem
    if entry.kind == EvidenceKind.TALLY and not entry.label.strip():
        return "a tally needs the label that was tapped"
    if entry.kind in NEEDS_TEXT and not entry.text.strip():
        return "this entry has no text"
    if entry.kind == EvidenceKind.TALK_TIME and any(
        getattr(entry, name) is None for name in TALK_FIELDS
    ):
        return "talk time needs teacher, student and silence seconds"
    return time_problem(entry.recorded_at, window)


def _judge_existing(entry: Entry, author: Person, fingerprint: str) -> Outcome:
    stored = Evidence.objects.get(pk=entry.id)
    if stored.author_id != author.pk:
        return Outcome(entry.id, "refused", "this id is already used: make a new one")
    if stored.fingerprint == fingerprint:
        return Outcome(entry.id, "duplicate", server=stored)
    return Outcome(entry.id, "conflict", "stored with different content", server=stored)


def _store(entry: Entry, author: Person, room: VisitClassroom) -> Outcome:
    fingerprint = entry.fingerprint()
    if Evidence.objects.filter(pk=entry.id).exists():
        return _judge_existing(entry, author, fingerprint)
    try:
        with transaction.atomic():
            stored = Evidence.objects.create(
                id=entry.id,
                classroom=room,
                author=author,
                kind=entry.kind,
                look_for_id=entry.look_for,
                label=entry.label,
                text=entry.text,
                teacher_talk_seconds=entry.teacher_talk_seconds,
                student_talk_seconds=entry.student_talk_seconds,
                silence_seconds=entry.silence_seconds,
                recorded_at=entry.recorded_at,
                fingerprint=fingerprint,
            )
    except IntegrityError:
        # The same entry arrived twice at once: the other request stored it first.
        return _judge_existing(entry, author, fingerprint)
    return Outcome(entry.id, "stored", server=stored)


def not_yours(entry: Entry) -> Outcome:
    """An entry captured by someone other than the person signed in now: stored nowhere, so
    that it stays on the phone until its author signs in again."""
    return Outcome(
        entry.id,
        "not_yours",
        "captured by someone else on this phone: it waits for them to sign in again",
    )


def evidence_record(*, visit: Visit, author: Person, entries: list[Entry]) -> list[Outcome]:
    """Store what an observer captured; each entry gets its own outcome."""
    # A removed host's classroom still takes entries that were waiting on a phone.
    rooms = {room.pk: room for room in VisitClassroom.including_removed.filter(visit=visit)}
    look_fors = {
        lf.pk: lf
        for lf in LookFor.objects.filter(cycle=visit.cycle).only(
            "pk", "text", "retired", "merged_into"
        )
    }
    window = recorded_window(visit=visit, now=timezone.now())
    # An observer taken off the visit may still send what they captured before, nothing after.
    left_at = (
        VisitObserver.including_removed.filter(visit=visit, person=author)
        .values_list("removed_at", flat=True)
        .first()
    )
    outcomes = []
    for entry in entries:
        if entry.author is not None and entry.author != author.pk:
            outcomes.append(not_yours(entry))
            continue
        problem = entry_problem(entry, rooms, look_fors, window)
        if not problem and left_at is not None and entry.recorded_at > left_at + LEFT_SKEW:
            problem = (
                "recorded after you were taken off this visit: only what you captured "
                "before is kept"
            )
        if problem:
            outcomes.append(Outcome(entry.id, "refused", problem))
        else:
            outcomes.append(_store(entry, author, rooms[entry.classroom]))
    # The patterns page recounts these classrooms at its next read (insights.ClassroomRollup).
    stored = {o.server.classroom_id for o in outcomes if o.status == "stored" and o.server}
    rollups_bump(classrooms=[(room, visit.cycle_id) for room in stored])
    return outcomes


def evidence_reads_log(*, reader: Person, classrooms, where: str) -> None:
    """Note each read of a classroom's evidence by someone other than its host. (Authors read
    their own entries: entries are listed per classroom, so a read of a classroom with anyone
    else's entries is logged.)"""
    rooms = [room for room in classrooms if room.host_id != reader.pk]
    # Whether each classroom holds someone else's entry, not which: one row found is enough,
    # however many thousands the classroom holds.
    others = Evidence.objects.filter(classroom=OuterRef("pk")).exclude(author=reader)
    read = set(
        VisitClassroom.including_removed.filter(pk__in=[room.pk for room in rooms])
        .filter(Exists(others))
        .values_list("pk", flat=True)
    )
    EvidenceRead.objects.bulk_create(
        EvidenceRead(classroom=room, reader=reader, where=where)
        for room in rooms
        if room.pk in read
    )


# Retention (schools.retention) replaces the authors of old entries by placeholders. It writes
# evidence, so it does so here, beside the only other code that writes it.


def evidence_authors_in(*, visit_ids: list[int]) -> set[int]:
    """Everyone who authored an entry in these visits (removed classrooms included)."""
    return set(
        Evidence.objects.filter(classroom__visit_id__in=visit_ids)
        .values_list("author_id", flat=True)
        .distinct()
    )


def evidence_authors_replace(*, visit_ids: list[int], people: dict[int, int]) -> int:
    """Give the entries of these visits the authors `people` maps their authors to, in one
    update; how many entries changed."""
    if not people:
        return 0
    return Evidence.objects.filter(
        classroom__visit_id__in=visit_ids, author_id__in=people.keys()
    ).update(author_id=Case(*(When(author_id=old, then=Value(new)) for old, new in people.items())))
