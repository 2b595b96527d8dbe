"""The capture and sync API for observers' phones (same permissions as the pages).

Each entry names its author: the person the capture page was made for. A phone shared by
several observers may send one person's waiting entries while another is signed in; those are
answered "not_yours" one by one (never a refusal of the whole batch), stored nowhere, and kept
on the phone for their author."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Router, Schema

from inquiry.structures import classroom_label
from opendoors import access
from opendoors.http import AuthenticatedRequest

from .capture import Entry, OutcomeStatus, evidence_reads_log, evidence_record, not_yours
from .models import Evidence, EvidenceKind

router = Router(tags=["capture"])
MAX_BATCH = 200


class EntryIn(Schema):
    id: UUID = Field(description="Made on the device; sending the same entry again is harmless.")
    author: int = Field(
        description="The person who captured it (the capture page's person). An entry of "
        "someone other than the signed-in person is answered not_yours and stored nowhere."
    )
    classroom: int
    kind: Literal[tuple(EvidenceKind.values)]  # type: ignore[valid-type]  # the model's, read at run time
    recorded_at: datetime = Field(
        description="With a time zone; from the day before the visit until now (a phone's "
        "clock may run a little fast). Other times are refused with the reason."
    )
    look_for: int | None = Field(
        None,
        description="The look-for tapped (kind look_for), or what words are about (a note "
        "tagged with a look-for): one of the cycle's look-fors, not retired for words.",
    )
    label: str = Field("", description="At most 200 characters (longer entries are refused).")
    text: str = Field("", description="At most 5,000 characters (longer entries are refused).")
    teacher_talk_seconds: int | None = Field(None, ge=0, le=86_400)
    student_talk_seconds: int | None = Field(None, ge=0, le=86_400)
    silence_seconds: int | None = Field(None, ge=0, le=86_400)


class EntryOut(EntryIn):
    author_name: str
    received_at: datetime


class SyncIn(Schema):
    entries: list[EntryIn] = Field(max_length=MAX_BATCH)


class Outcome(Schema):
    id: UUID
    status: OutcomeStatus
    message: str = ""
    server: EntryOut | None = None


class SyncOut(Schema):
    results: list[Outcome]


class LookForOut(Schema):
    id: int
    text: str
    kind: str


class ClassroomOut(Schema):
    id: int
    label: str


class CaptureOut(Schema):
    visit: int
    cycle: str
    structure: str
    date: str
    period: str
    starts_at: str | None
    minutes: int
    classrooms: list[ClassroomOut]
    look_fors: list[LookForOut]
    tool: list[dict]


def entry_out(evidence: Evidence) -> EntryOut:
    return EntryOut(
        id=evidence.id,
        author=evidence.author_id,
        classroom=evidence.classroom_id,
        kind=evidence.kind,
        recorded_at=evidence.recorded_at,
        look_for=evidence.look_for_id,
        label=evidence.label,
        text=evidence.text,
        teacher_talk_seconds=evidence.teacher_talk_seconds,
        student_talk_seconds=evidence.student_talk_seconds,
        silence_seconds=evidence.silence_seconds,
        author_name=str(evidence.author),
        received_at=evidence.received_at,
    )


@router.get("/visits/{visit_id}/capture", response=CaptureOut)
def capture_setup(request: AuthenticatedRequest, visit_id: int):
    """What the capture page needs to work offline: classrooms, look-fors and the tool."""
    visit = access.visit_for_observer(request.user, visit_id)
    cycle = visit.cycle
    rooms = visit.classrooms.select_related("section")
    return CaptureOut(
        visit=visit.pk,
        cycle=cycle.title,
        structure=cycle.structure,
        date=visit.date.isoformat(),
        period=visit.slot.period.label,
        starts_at=visit.slot.starts_at.isoformat() if visit.slot.starts_at else None,
        minutes=cycle.visit_minutes,
        classrooms=[ClassroomOut(id=room.pk, label=classroom_label(room, cycle)) for room in rooms],
        look_fors=[
            LookForOut(id=lf.pk, text=lf.text, kind=lf.kind)
            for lf in cycle.look_fors.filter(retired=False)
        ],
        tool=cycle.evidence_tool,
    )


@router.post("/visits/{visit_id}/evidence", response=SyncOut)
def evidence_sync(request: AuthenticatedRequest, visit_id: int, payload: SyncIn):
    """Store entries captured on a phone; each gets stored, duplicate, conflict, refused or
    not_yours (captured by someone other than the signed-in person: kept on the phone)."""
    entries = [Entry(**item.dict()) for item in payload.entries]
    outcomes = [not_yours(entry) for entry in entries]
    own = [n for n, entry in enumerate(entries) if entry.author == request.user.pk]
    # Only the signed-in person's own entries need the visit: another person's waiting
    # entries get their answer even from someone who may not capture in this visit.
    if own or not entries:
        visit = access.visit_for_author(request.user, visit_id)
        recorded = evidence_record(
            visit=visit, author=request.user, entries=[entries[n] for n in own]
        )
        for n, outcome in zip(own, recorded, strict=True):
            outcomes[n] = outcome
    return SyncOut(
        results=[
            Outcome(
                id=o.id,
                status=o.status,
                message=o.message,
                server=entry_out(o.server) if o.status == "conflict" and o.server else None,
            )
            for o in outcomes
        ]
    )


@router.get("/visits/{visit_id}/evidence", response=list[EntryOut])
def evidence_list(request: AuthenticatedRequest, visit_id: int):
    """The entries a person may read: the group reads the visit's, a host their classroom's."""
    visit = access.visit_for_participant(request.user, visit_id)
    rooms = list(access.classrooms_with_evidence_for(request.user, visit))
    evidence_reads_log(reader=request.user, classrooms=rooms, where="api")
    entries = access.evidence_visible_to(request.user, visit).select_related("author")
    return [entry_out(e) for e in entries]
