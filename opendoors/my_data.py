"""My data: what OpenDoors holds about the signed-in person, on one page and as one ZIP.

The ZIP holds `profile.json`, one CSV per kind of data (`SECTIONS`), the files the person
uploaded, and a README.txt that describes each file. A later kind of data (hours, artifacts)
joins both the page and the ZIP by adding one `Section` to `SECTIONS`: a file name, words
for the page and the README, its columns, and a function person -> rows.

Everything is the person's own: each section reads rows by the person's id, and evidence only
through `opendoors.access` (entries they wrote; entries captured in their own classroom,
which the host reads anyway). Nobody else's goals, follow-ups or classrooms are in it.
"""

import csv
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from growth.models import (
    Artifact,
    Credential,
    FollowUp,
    Goal,
    LedgerEntry,
    PortfolioShare,
    ShoutOut,
)
from inquiry.models import Cycle, Participant, ParticipantRole, PreBrief
from inquiry.structures import classroom_label
from rosters.csvfiles import spreadsheet_safe
from schools.models import AuditEntry, Meeting, Membership, Person, ScheduleImport, SourceId
from visits.models import (
    CalendarFeed,
    Evidence,
    EvidenceRead,
    Visit,
    VisitClassroom,
    VisitObserver,
)

from . import access
from .http import AuthenticatedRequest
from .security import private_no_store

Row = dict[str, object]

# Reading an uploaded file into the ZIP a piece at a time keeps the worker's memory flat.
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class Section:
    """One CSV file of the ZIP and one line of the page."""

    filename: str
    title: str
    # What the file holds (the page and README.txt).
    holds: str
    # Where OpenDoors shows it and who can see it (DESIGN.md, "Who sees what").
    shown: str
    columns: tuple[str, ...]
    rows: Callable[[Person], list[Row]]
    # How the page counts the rows, in words ("3 goals").
    counted: Callable[[list[Row]], str]


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def when(value: datetime | date | None) -> str:
    """ISO 8601: a spreadsheet sorts it, and times carry their offset (UTC)."""
    return value.isoformat() if value is not None else ""


def person_name(person: Person | None) -> str:
    return str(person) if person is not None else ""


# The sections. Each reads the person's own rows in a fixed number of queries.


def visit_rows(person: Person) -> list[Row]:
    """Visits the person hosts, observes, covers or facilitates, including visits they were
    taken off (what was captured there stays) and cancelled ones. A cover sees only the class,
    the room and the time (README: covers), so a covering row names no cycle."""
    rows: list[Row] = []
    hosted = (
        VisitClassroom.including_removed.filter(host=person)
        .select_related("visit__cycle__school", "visit__slot__period", "section")
        .order_by("visit__date", "pk")
    )
    for room in hosted:
        visit = room.visit
        rows.append(
            {
                "date": when(visit.date),
                "period": visit.slot.period.label,
                "school": visit.cycle.school.name,
                "cycle": visit.cycle.title,
                "structure": visit.cycle.get_structure_display(),
                "part": "hosting",
                "class": str(room.section),
                "status": visit.get_status_display(),
                "taken_off_at": when(room.removed_at),
            }
        )
    lesson = Meeting.objects.filter(teacher=OuterRef("person"), slot=OuterRef("visit__slot"))
    seats = (
        VisitObserver.including_removed.filter(Q(person=person) | Q(covered_by=person))
        .select_related("visit__cycle__school", "visit__slot__period")
        .annotate(
            lesson_code=Subquery(lesson.values("section__code")[:1]),
            lesson_room=Subquery(lesson.values("room")[:1]),
        )
        .order_by("visit__date", "pk")
    )
    for seat in seats:
        visit = seat.visit
        observing = seat.person_id == person.pk
        where = f", room {seat.lesson_room}" if seat.lesson_room else ""
        rows.append(
            {
                "date": when(visit.date),
                "period": visit.slot.period.label,
                "school": visit.cycle.school.name,
                "cycle": visit.cycle.title if observing else "",
                "structure": visit.cycle.get_structure_display() if observing else "",
                "part": "observing" if observing else "covering",
                "class": "" if observing else f"{seat.lesson_code or 'a class'}{where}",
                "status": visit.get_status_display(),
                "taken_off_at": when(seat.removed_at),
            }
        )
    # A cycle's facilitators lead its visits (and their debriefs) without a seat in them.
    seen = {room.visit_id for room in hosted} | {seat.visit_id for seat in seats}
    led = (
        Visit.objects.filter(
            cycle__participants__person=person,
            cycle__participants__role=ParticipantRole.FACILITATOR,
        )
        .exclude(pk__in=seen)
        .select_related("cycle__school", "slot__period")
        .distinct()
    )
    for visit in led:
        rows.append(
            {
                "date": when(visit.date),
                "period": visit.slot.period.label,
                "school": visit.cycle.school.name,
                "cycle": visit.cycle.title,
                "structure": visit.cycle.get_structure_display(),
                "part": "facilitating",
                "status": visit.get_status_display(),
            }
        )
    rows.sort(key=lambda row: (str(row["date"]), str(row["period"])))
    return rows


def parts_in_words(rows: list[Row]) -> str:
    parts = Counter(str(row["part"]) for row in rows)
    if not parts:
        return "none"
    return ", ".join(
        f"{parts[part]} {part}"
        for part in ("hosting", "observing", "covering", "facilitating")
        if parts[part]
    )


def cycle_rows(person: Person) -> list[Row]:
    """Cycles the person takes part in or started, with their parts in each."""
    cycles = (
        Cycle.objects.filter(Q(participants__person=person) | Q(created_by=person))
        .distinct()
        .select_related("school")
        .order_by("created_at", "pk")
    )
    parts: dict[int, list[str]] = {}
    for cycle_id, role in Participant.objects.filter(person=person).values_list("cycle_id", "role"):
        parts.setdefault(cycle_id, []).append(role)
    return [
        {
            "cycle": cycle.title,
            "school": cycle.school.name,
            "structure": cycle.get_structure_display(),
            "my_parts": "; ".join(sorted(parts.get(cycle.pk, []))),
            "started_by_me": "yes" if cycle.created_by_id == person.pk else "no",
            "started_at": when(cycle.created_at),
        }
        for cycle in cycles
    ]


EVIDENCE_COLUMNS = (
    "entry_id",
    "visit_date",
    "period",
    "cycle",
    "classroom",
    "kind",
    "look_for",
    "label",
    "text",
    "teacher_talk_seconds",
    "student_talk_seconds",
    "silence_seconds",
    "recorded_at",
)


def evidence_row(entry: Evidence, classroom: str) -> Row:
    visit = entry.classroom.visit
    return {
        "entry_id": str(entry.pk),
        "visit_date": when(visit.date),
        "period": visit.slot.period.label,
        "cycle": visit.cycle.title,
        "classroom": classroom,
        "kind": entry.get_kind_display(),
        "look_for": entry.look_for.text if entry.look_for else "",
        "label": entry.label,
        "text": entry.text,
        "teacher_talk_seconds": entry.teacher_talk_seconds,
        "student_talk_seconds": entry.student_talk_seconds,
        "silence_seconds": entry.silence_seconds,
        "recorded_at": when(entry.recorded_at),
    }


def with_visit(entries: QuerySet[Evidence]) -> QuerySet[Evidence]:
    return entries.select_related(
        "classroom__visit__cycle",
        "classroom__visit__slot__period",
        "classroom__section",
        "look_for",
    ).order_by("recorded_at", "pk")


def authored_evidence_rows(person: Person) -> list[Row]:
    """The entries the person captured, named as observers see the classroom (a letter in
    rounds and walks: never the host's name)."""
    return [
        evidence_row(entry, classroom_label(entry.classroom, entry.classroom.visit.cycle))
        for entry in with_visit(access.evidence_authored_by(person))
    ]


def classroom_evidence_rows(person: Person) -> list[Row]:
    """What observers captured in the person's own classrooms, with who captured each, as
    "What was captured in my classroom" shows it to the host."""
    return [
        {**evidence_row(entry, str(entry.classroom.section)), "captured_by": str(entry.author)}
        for entry in with_visit(access.evidence_of_host(person)).select_related("author")
    ]


def goal_rows(person: Person) -> list[Row]:
    goals = Goal.objects.filter(person=person).select_related("cycle", "visit", "meeting__team")
    return [
        {
            "goal_id": goal.pk,
            "cycle": goal.cycle.title if goal.cycle else "",
            # A goal set at a team's meeting has no cycle: the team and the meeting's date.
            "team_meeting": f"{goal.meeting.team.name}, {goal.meeting.date:%Y-%m-%d}"
            if goal.meeting
            else "",
            "visit_date": when(goal.visit.date if goal.visit else None),
            "goal": goal.text,
            "try_by": when(goal.try_by),
            "shared_with_facilitators": "yes" if goal.shared_with_facilitators else "no",
            "set_at": when(goal.created_at),
        }
        for goal in goals.order_by("created_at", "pk")
    ]


def follow_up_rows(person: Person) -> list[Row]:
    follow_ups = (
        FollowUp.objects.filter(goal__person=person)
        .select_related("goal")
        .prefetch_related("shared_with")
        .order_by("due_on", "pk")
    )
    return [
        {
            "goal_id": follow_up.goal_id,
            "goal": follow_up.goal.text,
            "due_on": when(follow_up.due_on),
            "tried": {True: "yes", False: "no", None: ""}[follow_up.tried],
            "results_as_anticipated": follow_up.get_results_as_anticipated_display(),
            "why": follow_up.why,
            "answered_at": when(follow_up.answered_at),
            "shared_with_cycles": "; ".join(c.title for c in follow_up.shared_with.all()),
        }
        for follow_up in follow_ups
    ]


def answered_in_words(rows: list[Row]) -> str:
    answered = sum(1 for row in rows if row["answered_at"])
    return f"{plural(len(rows), 'check-in', 'check-ins')}, {answered} answered"


def pre_brief_rows(person: Person) -> list[Row]:
    return [
        {
            "cycle": brief.cycle.title,
            "instructional_goal": brief.instructional_goal,
            "expectations": brief.expectations,
            "focus": brief.focus,
            "updated_at": when(brief.updated_at),
        }
        for brief in PreBrief.objects.filter(host=person).select_related("cycle").order_by("pk")
    ]


def read_rows(person: Person) -> list[Row]:
    """Every read of the person's classrooms' evidence by someone else (the log the host sees
    on "What was captured in my classroom"), newest first."""
    reads = (
        EvidenceRead.objects.filter(classroom__host=person)
        .select_related("reader", "classroom__visit__cycle", "classroom__section")
        .order_by("-at", "-pk")
    )
    return [
        {
            "visit_date": when(read.classroom.visit.date),
            "cycle": read.classroom.visit.cycle.title,
            "class": str(read.classroom.section),
            "reader": str(read.reader),
            "where": read.where,
            "at": when(read.at),
        }
        for read in reads
    ]


def readers_in_words(rows: list[Row]) -> str:
    if not rows:
        return "nobody else has read it"
    readers = len({row["reader"] for row in rows})
    return f"{plural(len(rows), 'read', 'reads')} by {plural(readers, 'person', 'people')}"


def audit_rows(person: Person) -> list[Row]:
    """Changes to the person's account and roles, as the district's audit log records them.
    Entries of changes they made to others are about those others (their names and addresses):
    the district's leaders read them in the audit log, and they stay out of this ZIP."""
    entries = AuditEntry.objects.filter(subject=person).select_related("school", "actor")
    entries = entries.order_by("-at", "-pk")
    return [
        {
            "at": when(entry.at),
            "school": entry.school.name if entry.school else "",
            "action": entry.action,
            "summary": entry.summary,
            "changed_by": person_name(entry.actor),
        }
        for entry in entries
    ]


def uploads_of(person: Person) -> list[ScheduleImport]:
    return list(
        ScheduleImport.objects.filter(uploaded_by=person)
        .select_related("school")
        .order_by("created_at", "pk")
    )


def upload_name(upload: ScheduleImport, file: FieldFile, original: str) -> str:
    """A name inside the ZIP that cannot climb out of its folder or clash with another."""
    # Letters, digits, dot, dash and underscore, never a leading dot: no folder, no "..".
    safe = re.sub(r"[^\w.-]", "_", PurePath(original or file.name or "").name).strip("._")
    safe = safe[-100:] or "file"
    return f"uploads/{upload.pk}-{safe}"


def uploaded_files(person: Person) -> list[tuple[str, ScheduleImport, FieldFile]]:
    """(name in the ZIP, import, file) for every file the person uploaded that is still kept."""
    found = []
    for upload in uploads_of(person):
        named = [(upload.file, upload.original_name), (upload.bell_file, "bell.csv")]
        for file, original in named:
            if file and default_storage.exists(file.name):
                found.append((upload_name(upload, file, original), upload, file))
    return found


def upload_rows(person: Person) -> list[Row]:
    return [
        {
            "file": name,
            "school": upload.school.name,
            "kind": upload.get_kind_display(),
            "status": upload.get_status_display(),
            "uploaded_at": when(upload.created_at),
        }
        for name, upload, _ in uploaded_files(person)
    ]


def shout_out_rows(person: Person) -> list[Row]:
    """Shout-outs to and from the person: two queries. A bright moment they shared names no
    author, as on the page."""
    rows: list[Row] = []
    to_me = ShoutOut.objects.filter(celebrated=person).select_related("author", "school", "team")
    for item in to_me:
        rows.append(_shout_out_row(item, "to you", person_name(item.author) or "a visit"))
    by_me = ShoutOut.objects.filter(author=person).select_related("celebrated", "school", "team")
    for item in by_me:
        rows.append(_shout_out_row(item, "from you", person_name(item.celebrated)))
    return rows


def _shout_out_row(item: ShoutOut, direction: str, colleague: str) -> Row:
    return {
        "direction": direction,
        "school": item.school.name,
        "colleague": colleague,
        "text": item.text,
        "who_may_see": item.get_audience_display(),
        "team": item.team.name if item.team else "",
        "at": when(item.created_at),
    }


def artifact_files(person: Person) -> list[tuple[str, Artifact, FieldFile]]:
    """(name in the ZIP, artifact, file) for each of the person's artifacts still kept."""
    found = []
    artifacts = Artifact.objects.filter(owner=person).select_related(
        "goal", "follow_up__goal", "pre_brief__cycle", "ledger_entry"
    )
    for artifact in artifacts.order_by("created_at", "pk"):
        if artifact.file and default_storage.exists(artifact.file.name):
            safe = re.sub(r"[^\w.-]", "_", PurePath(artifact.original_name).name).strip("._")
            name = f"uploads/artifacts/{artifact.pk}-{safe[-100:] or 'file'}"
            found.append((name, artifact, artifact.file))
    return found


def artifact_documents(artifact: Artifact) -> str:
    if artifact.goal is not None:
        return f"goal: {artifact.goal.text}"
    if artifact.follow_up is not None:
        return f"follow-up: {artifact.follow_up.goal.text}"
    if artifact.pre_brief is not None:
        return f"pre-brief: {artifact.pre_brief.cycle.title}"
    if artifact.ledger_entry is not None:
        return f"learning: {artifact.ledger_entry.title}"
    return ""


def hours_rows(person: Person) -> list[Row]:
    """The person's hours ledger, one query: what OpenDoors counted and what they reported."""
    entries = LedgerEntry.objects.filter(person=person).order_by("date", "pk")
    return [
        {
            "entry_id": str(entry.entry_id),
            "date": when(entry.date),
            "activity": entry.activity,
            "title": entry.title,
            "minutes": entry.minutes,
            "credits": str(entry.credits),
            "credit_unit": entry.credit_unit,
            "designations": "; ".join(entry.designations),
            "status": entry.status,
            "reflection": entry.reflection,
            "review_comment": entry.review_comment,
            "posted_at": when(entry.posted_at),
        }
        for entry in entries
    ]


def artifact_rows(person: Person) -> list[Row]:
    return [
        {
            "file": name,
            "title": artifact.title,
            "caption": artifact.caption,
            "original_name": artifact.original_name,
            "kind": artifact.content_type,
            "bytes": artifact.size,
            "documents": artifact_documents(artifact),
            "uploaded_at": when(artifact.created_at),
        }
        for name, artifact, _ in artifact_files(person)
    ]


def portfolio_share_rows(person: Person) -> list[Row]:
    """Shares of the person's portfolio, and shares of colleagues' portfolios with them."""
    shares = PortfolioShare.objects.filter(Q(owner=person) | Q(colleague=person))
    rows: list[Row] = []
    for share in shares.select_related("owner", "colleague").order_by("created_at", "pk"):
        mine = share.owner_id == person.pk
        rows.append(
            {
                "direction": "shared by me" if mine else "shared with me",
                "with": (person_name(share.colleague) or "anyone with the link")
                if mine
                else person_name(share.owner),
                "sections": "; ".join(share.sections),
                "created_at": when(share.created_at),
                "expires_at": when(share.expires_at),
                "withdrawn_at": when(share.withdrawn_at),
            }
        )
    return rows


def credential_rows(person: Person) -> list[Row]:
    """The credentials the person claimed, each as signed (growth/credentials.py)."""
    rows: list[Row] = []
    for credential in (
        Credential.objects.filter(person=person)
        .select_related("district", "cycle")
        .order_by("issued_at", "pk")
    ):
        rows.append(
            {
                "credential_id": str(credential.credential_id),
                "district": credential.district.name,
                "cycle": credential.cycle.title if credential.cycle else "",
                "issued_at": when(credential.issued_at),
                "revoked_at": when(credential.revoked_at),
                "revoked_reason": credential.revoked_reason,
                "signed": credential.signed,
            }
        )
    return rows


SECTIONS: list[Section] = [
    Section(
        "visits.csv",
        "Visits",
        "Each visit you hosted, observed, covered or facilitated: date, period, school, "
        "cycle, your part, the class, whether it was cancelled or you were taken off it. A "
        "visit you covered names only the class and room, as you saw it.",
        "Your home page (“My visits”) and your calendar. Everyone in the cycle and the school’s "
        "principals see its visits and coverage; a cover sees only the class, room and time.",
        (
            "date",
            "period",
            "school",
            "cycle",
            "structure",
            "part",
            "class",
            "status",
            "taken_off_at",
        ),
        visit_rows,
        parts_in_words,
    ),
    Section(
        "cycles.csv",
        "Cycles of inquiry",
        "The cycles you take part in or started, with your parts in each.",
        "“My cycles” and each cycle’s pages: its participants, and the school’s principals "
        "and district leaders, who protect the time, see the plan.",
        ("cycle", "school", "structure", "my_parts", "started_by_me", "started_at"),
        cycle_rows,
        lambda rows: plural(len(rows), "cycle", "cycles"),
    ),
    Section(
        "evidence.csv",
        "Evidence you captured",
        "Every entry you captured as an observer: the visit, the classroom as observers name "
        "it, the look-for, your words, talk time, and when. What / So what / Now what "
        "reflections are entries too.",
        "The debrief: the visit’s group (observers and facilitators) and the host, for their "
        "own classroom. Everyone else sees only the Patterns page: totals over at least k "
        "different teachers’ classrooms (k is a district setting, 3 unless it chose more).",
        EVIDENCE_COLUMNS,
        authored_evidence_rows,
        lambda rows: plural(len(rows), "entry", "entries"),
    ),
    Section(
        "evidence_in_my_classroom.csv",
        "Evidence captured in your classroom",
        "What observers captured in the classrooms you hosted, with who captured each entry.",
        "“What was captured in my classroom”: you, and the visit’s group. Never your principal "
        "by role.",
        (*EVIDENCE_COLUMNS, "captured_by"),
        classroom_evidence_rows,
        lambda rows: plural(len(rows), "entry", "entries"),
    ),
    Section(
        "evidence_reads.csv",
        "Who read your classroom’s evidence",
        "Each time someone other than you or the entry’s author read what was captured in "
        "your classroom: who, when and where.",
        "“What was captured in my classroom”, one line per reader: only you.",
        ("visit_date", "cycle", "class", "reader", "where", "at"),
        read_rows,
        readers_in_words,
    ),
    Section(
        "goals.csv",
        "Goals",
        "The goals you set: what you will try, by when, and whether you shared it.",
        "The cycle’s goal page or the team meeting’s: only you. A cycle’s facilitators read a "
        "goal only where you shared it with them; a goal set at a team’s meeting, nobody.",
        (
            "goal_id",
            "cycle",
            "team_meeting",
            "visit_date",
            "goal",
            "try_by",
            "shared_with_facilitators",
            "set_at",
        ),
        goal_rows,
        lambda rows: plural(len(rows), "goal", "goals"),
    ),
    Section(
        "follow_ups.csv",
        "Follow-ups",
        "Your check-ins on each goal: did you try it, did you get the results you "
        "anticipated, why, and the cycles you shared the answer with.",
        "The follow-up page: only you. The facilitators of a cycle you shared an answer with "
        "read that answer.",
        (
            "goal_id",
            "goal",
            "due_on",
            "tried",
            "results_as_anticipated",
            "why",
            "answered_at",
            "shared_with_cycles",
        ),
        follow_up_rows,
        answered_in_words,
    ),
    Section(
        "pre_briefs.csv",
        "Pre-briefs",
        "What you shared as a host before observers came in: the instructional goal, the "
        "expectations and the focus.",
        "The visit page: everyone in the cycle (observers read it before they walk in).",
        ("cycle", "instructional_goal", "expectations", "focus", "updated_at"),
        pre_brief_rows,
        lambda rows: plural(len(rows), "pre-brief", "pre-briefs"),
    ),
    Section(
        "shout_outs.csv",
        "Celebrations",
        "Shout-outs colleagues gave you (and who may see each, which you chose), bright "
        "moments from your classroom you shared, and shout-outs you gave.",
        "Your celebrations page: only you, until you show one to your team or your school. "
        "One you gave: you and the colleague celebrated, and whom they chose.",
        ("direction", "school", "colleague", "text", "who_may_see", "team", "at"),
        shout_out_rows,
        lambda rows: plural(len(rows), "shout-out", "shout-outs"),
    ),
    Section(
        "hours.csv",
        "Hours and credits",
        "Your hours ledger: what OpenDoors counted (visits, pre-briefs, debriefs and meetings "
        "you attended, follow-ups answered) and what you reported, with credits and status.",
        "My hours: you. The district's leaders export the hours (never reflections) to post "
        "them; reported learning is reviewed by a facilitator, coach or district leader.",
        (
            "entry_id",
            "date",
            "activity",
            "title",
            "minutes",
            "credits",
            "credit_unit",
            "designations",
            "status",
            "reflection",
            "review_comment",
            "posted_at",
        ),
        hours_rows,
        lambda rows: plural(len(rows), "entry", "entries"),
    ),
    Section(
        "audit.csv",
        "Changes to your account and roles",
        "Entries of the district’s audit log about you: someone added you, changed your "
        "roles, deactivated or reactivated you.",
        "The district’s audit log: its district leaders.",
        ("at", "school", "action", "summary", "changed_by"),
        audit_rows,
        lambda rows: plural(len(rows), "entry", "entries"),
    ),
    Section(
        "artifacts.csv",
        "Artifacts",
        "The files you added to your portfolio (student work, photos, lesson plans): title, "
        "caption, what each documents, when; each file is also in uploads/artifacts/ of this "
        "ZIP (photos as kept: without their location or camera details).",
        "Your portfolio: only you, and those you shared its Artifacts with. An artifact of a "
        "pre-brief: everyone in that cycle, as they read the pre-brief.",
        (
            "file",
            "title",
            "caption",
            "original_name",
            "kind",
            "bytes",
            "documents",
            "uploaded_at",
        ),
        artifact_rows,
        lambda rows: plural(len(rows), "artifact", "artifacts"),
    ),
    Section(
        "portfolio_shares.csv",
        "Portfolio shares",
        "Each time you shared your portfolio (with whom, which parts, until when, withdrawn "
        "when), and colleagues' portfolios shared with you. A link's address is not kept.",
        "Your portfolio page: only you.",
        ("direction", "with", "sections", "created_at", "expires_at", "withdrawn_at"),
        portfolio_share_rows,
        lambda rows: plural(len(rows), "share", "shares"),
    ),
    Section(
        "credentials.csv",
        "Credentials",
        "Each Open Badges credential you claimed, exactly as it was signed (the column signed "
        "is the .jwt file), and whether the district revoked it, when and why.",
        "Your portfolio page: only you, and the district's leaders (to revoke one); a "
        "credential's holder hands it to whom they choose.",
        (
            "credential_id",
            "district",
            "cycle",
            "issued_at",
            "revoked_at",
            "revoked_reason",
            "signed",
        ),
        credential_rows,
        lambda rows: plural(len(rows), "credential", "credentials"),
    ),
    Section(
        "uploads.csv",
        "Files you uploaded",
        "The schedule files you imported, each also in the folder uploads/ of this ZIP.",
        "The school’s imports: its principals and coaches.",
        ("file", "school", "kind", "status", "uploaded_at"),
        upload_rows,
        lambda rows: plural(len(rows), "file", "files"),
    ),
]


def profile(person: Person) -> dict[str, object]:
    """Who the person is to OpenDoors: name, addresses, schools and roles, choices."""
    memberships = Membership.objects.filter(person=person).select_related("school__district")
    return {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=person).order_by("email")
        ],
        "single_sign_on": [
            {"provider": s.provider, "account": s.uid}
            for s in SocialAccount.objects.filter(user=person).order_by("provider")
        ],
        "years_of_experience": person.years_of_experience,
        "active": person.is_active,
        "joined_at": person.date_joined,
        "last_signed_in_at": person.last_login,
        "invited_at": person.invited_at,
        "emails_about_changes_to_my_visits": person.email_visit_changes,
        "email_reminders": person.email_reminders,
        "calendar_address": CalendarFeed.objects.filter(person=person).exists(),
        "schools": [
            {
                "school": m.school.name,
                "district": m.school.district.name,
                "role": m.get_role_display(),
            }
            for m in memberships.order_by("school__name", "role")
        ],
        "ids_from_school_systems": [
            {"school": s.school.name, "id": s.value}
            for s in SourceId.objects.filter(person=person).select_related("school")
        ],
    }


def profile_json(person: Person) -> bytes:
    text = json.dumps(profile(person), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    return (text + "\n").encode()


def csv_bytes(section: Section, rows: list[Row]) -> bytes:
    """UTF-8 with a header row; every cell spreadsheet-safe (a leading = + - @ gets a ')."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(section.columns)
    for row in rows:
        writer.writerow([spreadsheet_safe(row.get(column)) for column in section.columns])
    return buffer.getvalue().encode()


def readme(person: Person, made_at: datetime) -> bytes:
    lines = [
        f"Everything OpenDoors holds about {person} ({person.username}),",
        f"as of {made_at:%Y-%m-%d %H:%M} UTC.",
        "",
        "profile.json",
        "  Your name, email addresses, schools and roles, and the emails you chose.",
        "  (Whether you have a calendar address, not the address itself: it is a key.)",
    ]
    for section in SECTIONS:
        lines += ["", section.filename, f"  {section.holds}", f"  Shown: {section.shown}"]
    lines += [
        "",
        "uploads/",
        "  The files listed in uploads.csv, as you uploaded them, and in uploads/artifacts/",
        "  those listed in artifacts.csv.",
        "",
        "The CSV files are UTF-8 with a header row. A cell that begins with = + - @ (or a tab",
        "or carriage return) starts with an added ' so that a spreadsheet shows it as text and",
        "never runs it as a formula: remove that first ' to get the text exactly as saved.",
        "Times are in UTC (ISO 8601).",
    ]
    return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class SectionRows:
    """A section with the person's rows, read once for the page or the ZIP."""

    section: Section
    rows: list[Row]

    @property
    def words(self) -> str:
        return self.section.counted(self.rows)


def my_data_of(person: Person) -> list[SectionRows]:
    return [SectionRows(section, section.rows(person)) for section in SECTIONS]


class ZipChunks(io.RawIOBase):
    """A write-only, unseekable stream that hands over what was written so far: zipfile
    writes to it (with data descriptors, as for a pipe), the response sends each piece."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out = b"".join(self.pieces)
        self.pieces.clear()
        return out


def zip_stream(
    parts: list[tuple[str, bytes]], files: list[tuple[str, FieldFile]], made_at: datetime
) -> Iterator[bytes]:
    """The ZIP, piece by piece: the small JSON and CSV parts, then each uploaded file read a
    chunk at a time (a file gone from storage meanwhile is left out, not a broken download)."""
    sink = ZipChunks()
    stamp = made_at.timetuple()[:6]
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts:
            archive.writestr(zipfile.ZipInfo(name, stamp), content, zipfile.ZIP_DEFLATED)
            yield sink.take()
        for name, file in files:
            try:
                source = file.open("rb")
            except OSError:
                continue
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with source, archive.open(info, "w") as target:
                while chunk := source.read(CHUNK_BYTES):
                    target.write(chunk)
                    yield sink.take()
            yield sink.take()
    yield sink.take()


@require_GET
@login_required
@private_no_store
def my_data_page(request: AuthenticatedRequest) -> HttpResponse:
    """What OpenDoors holds about me, where it is shown and who sees it, and the download."""
    person = request.user
    data = my_data_of(person)
    # The host's log, one line per classroom someone else read, linking to its page.
    read_classrooms = (
        VisitClassroom.including_removed.filter(host=person)
        .annotate(readers=Count("reads__reader", distinct=True), last_read=Max("reads__at"))
        .filter(readers__gt=0)
        .select_related("visit__cycle", "visit__slot__period", "section")
        .order_by("-last_read")
    )
    context = {
        "sections": data,
        "read_classrooms": read_classrooms,
    }
    return render(request, "account/my_data.html", context)


@require_GET
@login_required
@private_no_store
def my_data_download(request: AuthenticatedRequest) -> StreamingHttpResponse:
    """The ZIP, streamed as it is built. A person's own rows are a few hundred at most, so they
    are read here, in a fixed number of queries, before the first byte is sent (a failure
    answers with an error page, never a cut-off file); only uploaded files, which may be
    megabytes, are streamed from storage a chunk at a time. No background task is needed."""
    person = request.user
    made_at = timezone.now()
    data = my_data_of(person)
    parts = [("README.txt", readme(person, made_at)), ("profile.json", profile_json(person))]
    parts += [(part.section.filename, csv_bytes(part.section, part.rows)) for part in data]
    files = [(name, file) for name, _, file in uploaded_files(person)]
    files += [(name, file) for name, _, file in artifact_files(person)]
    response = StreamingHttpResponse(
        zip_stream(parts, files, made_at), content_type="application/zip"
    )
    filename = f"opendoors-my-data-{made_at:%Y-%m-%d}.zip"
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response
