"""Writes to a cycle of inquiry: starting it, its look-fors, its evidence tool's parts, its
people and pre-briefs; and the district's library of shared plans."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from opendoors import access
from schools.models import Person, School

from .evidence_tool import part_clean, tool_clean
from .models import (
    Cycle,
    LookFor,
    LookForKind,
    Participant,
    ParticipantRole,
    PreBrief,
    SharedPlan,
    SharedPlanKind,
    Stage,
)
from .selectors import visits_ahead_with_part
from .structures import PRESETS, default_tool


@transaction.atomic
def cycle_start(
    *, school: School, structure: str, title: str, by: Person, problem_of_practice: str = ""
) -> Cycle:
    """A new cycle with its structure's preset; whoever starts it facilitates it."""
    preset = PRESETS[structure]
    cycle = Cycle.objects.create(
        school=school,
        title=title,
        problem_of_practice=problem_of_practice.strip(),
        structure=structure,
        created_by=by,
        grouping=preset.grouping,
        visit_minutes=preset.visit_minutes,
        debrief_timing=preset.debrief_timing,
        needs_problem_of_practice=preset.needs_problem_of_practice,
        needs_theory_of_action=preset.needs_theory_of_action,
        needs_pre_brief=preset.needs_pre_brief,
        needs_follow_up=preset.needs_follow_up,
        evidence_tool=default_tool(structure),
    )
    Participant.objects.create(cycle=cycle, person=by, role=ParticipantRole.FACILITATOR)
    return cycle


@transaction.atomic
def look_for_add(*, cycle: Cycle, text: str, kind: str, position: int | None = None) -> LookFor:
    """A new look-for at the end, or at `position` (putting a removed one back where it was:
    those at that place and after move down one). A cycle has each look-for once: the same
    words again (a second tap, an "Undo" sent twice) are refused, not added twice."""
    text = text.strip()
    Cycle.objects.select_for_update().get(pk=cycle.pk)  # two adds at once: one of them wins
    if cycle.look_fors.filter(retired=False, text__iexact=text).exists():
        raise ValidationError(f"“{text}” is already a look-for.")
    if position is None:
        last = cycle.look_fors.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    else:
        cycle.look_fors.filter(position__gte=position).update(position=F("position") + 1)
    return LookFor.objects.create(cycle=cycle, text=text, kind=kind, position=position)


def look_for_change(*, look_for: LookFor, text: str, kind: str) -> LookFor:
    look_for.text, look_for.kind = text.strip(), kind
    look_for.save(update_fields=["text", "kind"])
    return look_for


@transaction.atomic
def look_for_move(*, look_for: LookFor, step: int) -> None:
    """Move a look-for one place up (-1) or down (+1) among those in use (or among the
    retired ones): a retired look-for, not shown among them, is never stepped over."""
    siblings = look_for.cycle.look_fors.select_for_update()
    ordered = list(siblings.order_by("retired", "position", "id"))
    index = ordered.index(look_for)
    target = index + step
    if 0 <= target < len(ordered) and ordered[target].retired == look_for.retired:
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    LookFor.objects.bulk_update(ordered, ["position"])


def look_for_retire(*, look_for: LookFor, retired: bool = True) -> None:
    look_for.retired = retired
    look_for.save(update_fields=["retired"])


@dataclass(frozen=True)
class Removed:
    """What "Undo" needs after a look-for is removed: it was retired (kept, as evidence was
    recorded against it or others were merged into it) or deleted (it comes back as new)."""

    text: str
    kind: str
    position: int
    retired_id: int | None  # the look-for kept retired; None when it was deleted


@transaction.atomic
def look_for_remove(*, look_for: LookFor) -> Removed:
    """Delete a look-for nobody has used yet; retire one that evidence was recorded against
    (or that others were merged into), so the evidence keeps its look-for."""
    removed = Removed(look_for.text, look_for.kind, look_for.position, None)
    if access.look_for_has_evidence(look_for) or look_for.merged.exists():
        look_for_retire(look_for=look_for)
        return Removed(look_for.text, look_for.kind, look_for.position, look_for.pk)
    look_for.delete()
    return removed


@transaction.atomic
def look_for_merge(*, keep: LookFor, others: Iterable[LookFor], text: str = "") -> LookFor:
    """Fold look-fors that say the same thing into one; the others are kept, retired."""
    for other in others:
        if other.pk == keep.pk or other.cycle_id != keep.cycle_id:
            continue
        other.merged_into = keep
        other.retired = True
        other.save(update_fields=["merged_into", "retired"])
    if text.strip():
        keep.text = text.strip()
        keep.save(update_fields=["text"])
    return keep


def _tool_locked(cycle: Cycle) -> list[dict[str, Any]]:
    """The cycle's tool as saved now, the cycle row held until the change is saved (two
    facilitators editing parts at once do not overwrite each other)."""
    return list(Cycle.objects.select_for_update().get(pk=cycle.pk).evidence_tool)


def _tool_save(cycle: Cycle, tool: list[dict[str, Any]]) -> None:
    cycle.evidence_tool = tool_clean(tool)
    cycle.save(update_fields=["evidence_tool"])


@transaction.atomic
def tool_part_add(*, cycle: Cycle, part: dict[str, Any], index: int | None = None) -> None:
    """Add a part at the end (or back at `index`, undoing a removal). A tool has each part
    once: adding one it has already does nothing."""
    tool = _tool_locked(cycle)
    clean = part_clean(part)
    if any(p.get("kind") == clean["kind"] for p in tool):
        raise ValidationError("The tool already has this part.")
    tool.insert(len(tool) if index is None else min(index, len(tool)), clean)
    _tool_save(cycle, tool)


@transaction.atomic
def tool_part_change(*, cycle: Cycle, index: int, part: dict[str, Any]) -> None:
    """Save a part's labels or prompts (its kind stays)."""
    tool = _tool_locked(cycle)
    if not 0 <= index < len(tool):
        raise ValidationError("That part is no longer in the tool.")
    tool[index] = part_clean({**part, "kind": tool[index].get("kind")})
    _tool_save(cycle, tool)


@transaction.atomic
def tool_part_move(*, cycle: Cycle, index: int, step: int) -> None:
    tool = _tool_locked(cycle)
    target = index + step
    if 0 <= index < len(tool) and 0 <= target < len(tool):
        tool[index], tool[target] = tool[target], tool[index]
        _tool_save(cycle, tool)


@transaction.atomic
def tool_part_remove(*, cycle: Cycle, index: int) -> dict[str, Any]:
    """Take a part out of the tool; returns it, for "Undo". The last part stays: observers
    need something to record with."""
    tool = _tool_locked(cycle)
    if not 0 <= index < len(tool):
        raise ValidationError("That part is no longer in the tool.")
    if len(tool) == 1:
        raise ValidationError("An evidence tool needs at least one part: add another first.")
    removed = tool.pop(index)
    _tool_save(cycle, tool)
    return removed


class PartInVisitAhead(ValidationError):
    """Taking a host's (or observer's) part away while they are in a published visit still to
    come would leave them in its classroom or seat with their pre-brief and debrief links
    broken: the visit is changed or cancelled first. Names the visit, for a link to it."""

    def __init__(self, person: Person, role: str, visit: Any) -> None:
        self.person, self.visit = person, visit
        self.does = "hosts" if role == ParticipantRole.HOST else "observes"
        self.when = f"{visit.date:%a %b %-d}, period {visit.slot.period.label}"
        super().__init__(
            f"{person} {self.does} the visit on {self.when}: change or cancel that visit first."
        )


def _refuse_parts_in_visits_ahead(cycle: Cycle, people: Iterable[Person], role: str) -> None:
    by_pk = {person.pk: person for person in people}
    ahead = visits_ahead_with_part(cycle, set(by_pk), role, timezone.now())
    refusals, named = [], set()
    for person_id, visit in ahead:
        if person_id not in named:  # the soonest visit is the one to see to first
            named.add(person_id)
            refusals.append(PartInVisitAhead(by_pk[person_id], role, visit))
    if refusals:
        raise ValidationError(refusals)


@transaction.atomic
def participant_part_set(*, cycle: Cycle, person: Person, role: str, on: bool) -> None:
    """Give a person a part in the cycle or take it away; the cycle keeps a facilitator, and
    a host or observer keeps their part while they are in a visit still to come."""
    Cycle.objects.select_for_update().get(pk=cycle.pk)
    parts = cycle.participants.filter(person=person, role=role)
    if on:
        if not parts.exists():
            Participant.objects.create(cycle=cycle, person=person, role=role)
        return
    if (
        role == ParticipantRole.FACILITATOR
        and not cycle.participants.filter(role=role).exclude(person=person).exists()
    ):
        raise ValidationError("A cycle keeps at least one facilitator: add another one first.")
    if parts.exists():
        _refuse_parts_in_visits_ahead(cycle, [person], role)
    parts.delete()


@transaction.atomic
def participants_set(
    *,
    cycle: Cycle,
    observers: Iterable[Person],
    hosts: Iterable[Person],
    facilitators: Iterable[Person],
) -> None:
    """Make the cycle's people exactly these, keeping at least one facilitator and every host
    and observer of a visit still to come (as `participant_part_set`)."""
    wanted = {
        ParticipantRole.OBSERVER: {p.pk for p in observers},
        ParticipantRole.HOST: {p.pk for p in hosts},
        ParticipantRole.FACILITATOR: {p.pk for p in facilitators},
    }
    if not wanted[ParticipantRole.FACILITATOR]:
        raise ValueError("A cycle keeps at least one facilitator.")
    refusals: list[ValidationError] = []
    for role in (ParticipantRole.HOST, ParticipantRole.OBSERVER):
        leaving = cycle.participants.filter(role=role).exclude(person_id__in=wanted[role])
        try:
            parting = [part.person for part in leaving.select_related("person")]
            _refuse_parts_in_visits_ahead(cycle, parting, role)
        except ValidationError as refused:
            refusals += refused.error_list
    if refusals:
        raise ValidationError(refusals)
    for role, people in wanted.items():
        cycle.participants.filter(role=role).exclude(person_id__in=people).delete()
        have = set(cycle.participants.filter(role=role).values_list("person_id", flat=True))
        Participant.objects.bulk_create(
            Participant(cycle=cycle, person_id=pk, role=role) for pk in people - have
        )


def pre_brief_save(
    *, cycle: Cycle, host: Person, instructional_goal: str, expectations: str, focus: str
) -> PreBrief:
    pre_brief, _ = PreBrief.objects.update_or_create(
        cycle=cycle,
        host=host,
        defaults={
            "instructional_goal": instructional_goal,
            "expectations": expectations,
            "focus": focus,
        },
    )
    return pre_brief


def stage_set_by_hand(*, cycle: Cycle, stage: str) -> None:
    """The facilitator sets the cycle's stage by hand (it then stays), or with "" lets it
    follow the steps again (inquiry.stages)."""
    if stage and stage not in Stage.values:
        raise ValueError(f"Not a stage: {stage!r}")
    cycle.stage_by_hand = stage
    cycle.save(update_fields=["stage_by_hand"])


# The district's library of plans that worked (evidence tools and look-for sets): shared by
# a cycle's facilitator, copied by another school's. Only the plan goes, never evidence.


@transaction.atomic
def plan_share(*, cycle: Cycle, kind: str, author: Person) -> SharedPlan:
    """Put a copy of the cycle's evidence tool, or of its look-fors, in its district's library
    under the cycle's title and problem of practice, with the school and author named."""
    if kind == SharedPlanKind.EVIDENCE_TOOL:
        content: list[dict[str, Any]] = tool_clean(list(cycle.evidence_tool))
    else:
        content = [
            {"text": look_for.text, "kind": look_for.kind}
            for look_for in cycle.look_fors.filter(retired=False).order_by("position", "id")
        ]
        if not content:
            raise ValidationError("Add look-fors before sharing them.")
    # Shared again unchanged (a second tap): the library keeps one.
    for shared in SharedPlan.objects.filter(school=cycle.school, kind=kind, title=cycle.title):
        if shared.content == content:
            return shared
    return SharedPlan.objects.create(
        district_id=cycle.school.district_id,
        school=cycle.school,
        author=author,
        kind=kind,
        title=cycle.title,
        problem_of_practice=cycle.problem_of_practice,
        content=content,
    )


@transaction.atomic
def plan_copy(*, shared: SharedPlan, cycle: Cycle) -> int:
    """Add a shared plan to a cycle: the tool's parts the cycle's tool does not have yet, or
    the look-fors it does not have yet (by their words). How many were added."""
    added = 0
    if shared.kind == SharedPlanKind.EVIDENCE_TOOL:
        tool = _tool_locked(cycle)
        have = {part.get("kind") for part in tool}
        for part in shared.content:
            clean = part_clean(part)
            if clean["kind"] not in have:
                tool.append(clean)
                have.add(clean["kind"])
                added += 1
        _tool_save(cycle, tool)
        return added
    have_words = {
        text.lower()
        for text in cycle.look_fors.filter(retired=False).values_list("text", flat=True)
    }
    for item in shared.content:
        text = str(item.get("text", "")).strip()
        if text and text.lower() not in have_words:
            kind = item.get("kind")
            kind = kind if kind in LookForKind.values else LookForKind.ORAL
            look_for_add(cycle=cycle, text=text, kind=kind)
            have_words.add(text.lower())
            added += 1
    return added


def plan_unshare(*, shared: SharedPlan) -> None:
    """Take a plan out of the library (copies already made stay in their cycles)."""
    shared.delete()
