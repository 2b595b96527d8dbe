"""Recording evidence sent from observers' phones, exactly once.

An entry's id is made on the device. Sending the same entry again stores
nothing new ("duplicate"); the same id with different content is a "conflict",
answered with the stored version so that the phone can keep both. Each entry is
judged on its own: one bad entry does not lose the others.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import IntegrityError, transaction

from inquiry.models import LookFor
from schools.models import Person

from .models import Evidence, EvidenceKind, EvidenceRead, Visit, VisitClassroom

NEEDS_TEXT = {
    EvidenceKind.WHAT,
    EvidenceKind.SO_WHAT,
    EvidenceKind.NOW_WHAT,
    EvidenceKind.NOTE,
    EvidenceKind.STUDENT_PROMPT,
}
TALK_FIELDS = ("teacher_talk_seconds", "student_talk_seconds", "silence_seconds")
MAX_LENGTH = {"label": 200, "text": 5000}


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


@dataclass
class Outcome:
    id: UUID
    status: str  # "stored", "duplicate", "conflict" or "refused"
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


def entry_problem(entry: Entry, rooms: dict[int, VisitClassroom], look_fors: set[int]) -> str:
    """Why this entry cannot be stored, in words for the observer; "" when it can."""
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
    if entry.look_for is not None and entry.look_for not in look_fors:
        return f"look-for {entry.look_for} is not one of this cycle's"
    if entry.kind == EvidenceKind.TALLY and not entry.label.strip():
        return "a tally needs the label that was tapped"
    if entry.kind in NEEDS_TEXT and not entry.text.strip():
        return "this entry has no text"
    if entry.kind == EvidenceKind.TALK_TIME and any(
        getattr(entry, name) is None for name in TALK_FIELDS
    ):
        return "talk time needs teacher, student and silence seconds"
    return ""


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


def evidence_record(*, visit: Visit, author: Person, entries: list[Entry]) -> list[Outcome]:
    """Store what an observer captured; each entry gets its own outcome."""
    rooms = {room.pk: room for room in visit.classrooms.all()}
    look_fors = set(LookFor.objects.filter(cycle=visit.cycle).values_list("pk", flat=True))
    outcomes = []
    for entry in entries:
        problem = entry_problem(entry, rooms, look_fors)
        if problem:
            outcomes.append(Outcome(entry.id, "refused", problem))
        else:
            outcomes.append(_store(entry, author, rooms[entry.classroom]))
    return outcomes


def evidence_reads_log(*, reader: Person, classrooms, where: str) -> None:
    """Note each read of a classroom's evidence by someone other than its host. (Authors read
    their own entries: entries are listed per classroom, so a read of a classroom with anyone
    else's entries is logged.)"""
    rooms = [room for room in classrooms if room.host_id != reader.pk]
    read = set(
        Evidence.objects.filter(classroom__in=rooms)
        .exclude(author=reader)
        .values_list("classroom_id", flat=True)
    )
    EvidenceRead.objects.bulk_create(
        EvidenceRead(classroom=room, reader=reader, where=where)
        for room in rooms
        if room.pk in read
    )
