"""Writes to a cycle of inquiry: starting it, its look-fors, its people and pre-briefs."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from schools.models import Person, School

from .models import Cycle, LookFor, Participant, ParticipantRole, PreBrief
from .structures import PRESETS, default_tool


@transaction.atomic
def cycle_start(*, school: School, structure: str, title: str, by: Person) -> Cycle:
    """A new cycle with its structure's preset; whoever starts it facilitates it."""
    preset = PRESETS[structure]
    cycle = Cycle.objects.create(
        school=school,
        title=title,
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


def look_for_add(*, cycle: Cycle, text: str, kind: str) -> LookFor:
    last = cycle.look_fors.aggregate(last=Max("position"))["last"]
    return LookFor.objects.create(
        cycle=cycle, text=text.strip(), kind=kind, position=0 if last is None else last + 1
    )


@transaction.atomic
def look_for_move(*, look_for: LookFor, step: int) -> None:
    """Move a look-for one place up (-1) or down (+1) among the cycle's look-fors."""
    ordered = list(look_for.cycle.look_fors.select_for_update())
    index = ordered.index(look_for)
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    LookFor.objects.bulk_update(ordered, ["position"])


def look_for_retire(*, look_for: LookFor, retired: bool = True) -> None:
    look_for.retired = retired
    look_for.save(update_fields=["retired"])


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


@transaction.atomic
def participants_set(
    *,
    cycle: Cycle,
    observers: Iterable[Person],
    hosts: Iterable[Person],
    facilitators: Iterable[Person],
) -> None:
    """Make the cycle's people exactly these, keeping at least one facilitator."""
    wanted = {
        ParticipantRole.OBSERVER: {p.pk for p in observers},
        ParticipantRole.HOST: {p.pk for p in hosts},
        ParticipantRole.FACILITATOR: {p.pk for p in facilitators},
    }
    if not wanted[ParticipantRole.FACILITATOR]:
        raise ValueError("A cycle keeps at least one facilitator.")
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
