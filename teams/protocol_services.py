"""Writes to the protocol library: bringing the shipped protocols up to date, copying one to a
school, writing one's own, editing its steps, and sharing it to the district's library."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from schools.models import Person, School

from .library import PROTOCOLS, LibraryProtocol
from .models import STEP_MINUTES_MAX, STEP_MINUTES_MIN, Protocol, ProtocolStep

STEP_FIELDS = ("title", "minutes", "roles", "prompt")


def _step_rows(steps: Iterable[Any]) -> list[tuple[str, int, str, str]]:
    return [(s.title, s.minutes, s.roles, s.prompt) for s in steps]


@transaction.atomic
def library_sync(
    *,
    protocols: tuple[LibraryProtocol, ...] = PROTOCOLS,
    protocol_model: Any = Protocol,
    step_model: Any = ProtocolStep,
) -> int:
    """Make the library's rows say what `teams.library` says; return how many changed.

    Idempotent: a second call changes nothing. Each protocol is found by its `library_key`;
    its steps are replaced only when they differ (runs keep their own copy of the steps, so
    replacing them never changes a run). A protocol taken out of the library is archived, not
    deleted: runs of it stay. The data migration passes its historical models."""
    changed = 0
    for entry in protocols:
        row, created = protocol_model.objects.get_or_create(
            library_key=entry.key,
            defaults={"title": entry.title, "purpose": entry.purpose, "source": entry.source},
        )
        fields = {
            "title": entry.title,
            "purpose": entry.purpose,
            "source": entry.source,
            "school": None,
            "archived_at": None,
        }
        stale = [name for name, value in fields.items() if getattr(row, name) != value]
        for name in stale:
            setattr(row, name, fields[name])
        if stale:
            row.save(update_fields=stale)
        have = step_model.objects.filter(protocol=row).order_by("position", "id")
        if _step_rows(have) != _step_rows(entry.steps):
            have.delete()
            step_model.objects.bulk_create(
                step_model(
                    protocol=row,
                    position=position,
                    title=step.title,
                    minutes=step.minutes,
                    roles=step.roles,
                    prompt=step.prompt,
                )
                for position, step in enumerate(entry.steps)
            )
            stale.append("steps")
        changed += bool(created or stale)
    gone = protocol_model.objects.filter(library_key__isnull=False, archived_at__isnull=True)
    archived: int = gone.exclude(library_key__in=[p.key for p in protocols]).update(
        archived_at=timezone.now()
    )
    return changed + archived


@transaction.atomic
def protocol_copy(*, protocol: Protocol, school: School, by: Person) -> Protocol:
    """A school's own copy, to edit: the same steps and source, and where it was copied from."""
    source = protocol.source
    if protocol.school_id is not None and protocol.school_id != school.pk:
        source = f"{source} Shared by {protocol.school}."
    copy = Protocol.objects.create(
        school=school,
        title=protocol.title,
        purpose=protocol.purpose,
        source=source[:300],
        copied_from=protocol,
        created_by=by,
    )
    ProtocolStep.objects.bulk_create(
        ProtocolStep(protocol=copy, position=position, **{f: getattr(step, f) for f in STEP_FIELDS})
        for position, step in enumerate(protocol.steps.all())
    )
    return copy


def protocol_write(*, school: School, by: Person, title: str, purpose: str) -> Protocol:
    """A protocol of one's own, its steps to be added next."""
    return Protocol.objects.create(
        school=school,
        title=title,
        purpose=purpose,
        source=f"Written by {by.get_full_name() or by.username} at {school.name}",
        created_by=by,
    )


def protocol_change(*, protocol: Protocol, title: str, purpose: str) -> None:
    protocol.title = title
    protocol.purpose = purpose
    protocol.save(update_fields=["title", "purpose"])


def _check_minutes(minutes: int) -> None:
    # The forms say this first; a service called from elsewhere still never stores it.
    if not STEP_MINUTES_MIN <= minutes <= STEP_MINUTES_MAX:
        raise ValidationError(
            f"A step lasts {STEP_MINUTES_MIN} to {STEP_MINUTES_MAX} minutes.", code="minutes"
        )


def _renumber(protocol: Protocol, steps: list[ProtocolStep]) -> None:
    for position, step in enumerate(steps):
        step.position = position
    ProtocolStep.objects.bulk_update(steps, ["position"])


@transaction.atomic
def step_add(
    *, protocol: Protocol, title: str, minutes: int, roles: str, prompt: str
) -> ProtocolStep:
    _check_minutes(minutes)
    position = protocol.steps.count()
    return ProtocolStep.objects.create(
        protocol=protocol,
        position=position,
        title=title,
        minutes=minutes,
        roles=roles,
        prompt=prompt,
    )


def step_change(*, step: ProtocolStep, title: str, minutes: int, roles: str, prompt: str) -> None:
    _check_minutes(minutes)
    step.title, step.minutes, step.roles, step.prompt = title, minutes, roles, prompt
    step.save(update_fields=list(STEP_FIELDS))


@transaction.atomic
def step_move(*, step: ProtocolStep, by: int) -> None:
    """Move a step up (by=-1) or down (by=1); at either end it stays where it is."""
    steps = list(step.protocol.steps.select_for_update().order_by("position", "id"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    to = min(max(index + by, 0), len(steps) - 1)
    steps.insert(to, steps.pop(index))
    _renumber(step.protocol, steps)


@transaction.atomic
def step_remove(*, step: ProtocolStep) -> None:
    protocol = step.protocol
    step.delete()
    _renumber(protocol, list(protocol.steps.order_by("position", "id")))


def protocol_share(*, protocol: Protocol, share: bool) -> None:
    """Offer the protocol in its district's library (its author and school named), or take it
    back. Only the protocol is shared: never a run, its notes or anyone's evidence."""
    if protocol.school is None:
        raise ValidationError("The shipped protocols are in every school's library already.")
    if share and not protocol.steps.exists():
        raise ValidationError("Add at least one step before sharing the protocol.")
    protocol.shared_with = protocol.school.district if share else None
    protocol.save(update_fields=["shared_with"])
