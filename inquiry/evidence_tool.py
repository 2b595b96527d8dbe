"""The evidence tool: an ordered list of parts built from the look-fors.

Stored as JSON on the cycle, e.g. [{"kind": "checklist"}, {"kind": "tally",
"title": "Question types", "labels": ["Recall", "Open-ended"]}]. `tool_clean`
is the one gate every saved tool passes; `tool_parts` is the one reading of a
saved tool that the capture page and its preview both draw
(inquiry/templates/inquiry/_evidence_tool.html).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from visits.capture import MAX_LENGTH
from visits.models import EvidenceKind

from .models import Cycle, LookFor, LookForKind
from .structures import EvidencePart

MAX_LABELS = 12
MAX_LABEL_LENGTH = 60


def _lines(raw: str | list[str]) -> list[str]:
    items = raw.splitlines() if isinstance(raw, str) else raw
    return [str(item).strip() for item in items if str(item).strip()]


def part_clean(part: dict) -> dict:
    kind = part.get("kind")
    if kind not in EvidencePart.values:
        raise ValidationError(f"“{kind}” is not a part of an evidence tool.")
    clean: dict = {"kind": kind}
    if kind == EvidencePart.TALLY:
        labels = _lines(part.get("labels", []))
        if not labels:
            raise ValidationError("Tally counters need at least one label, one per line.")
        if len(labels) > MAX_LABELS:
            raise ValidationError(f"Tally counters take at most {MAX_LABELS} labels.")
        if any(len(label) > MAX_LABEL_LENGTH for label in labels):
            raise ValidationError(f"Keep each tally label under {MAX_LABEL_LENGTH} characters.")
        clean["title"] = (part.get("title") or "Tally").strip()[:MAX_LABEL_LENGTH]
        clean["labels"] = labels
    if kind == EvidencePart.STUDENT_PROMPTS:
        prompts = _lines(part.get("prompts", []))
        if not prompts:
            raise ValidationError("Write at least one prompt about students, one per line.")
        clean["prompts"] = prompts
    return clean


def tool_clean(parts: list[dict]) -> list[dict]:
    if not parts:
        raise ValidationError("An evidence tool needs at least one part.")
    return [part_clean(part) for part in parts]


@dataclass(frozen=True)
class TextEntry:
    """A text area with its Save button; `also` is a second button saving as another kind."""

    id: str
    kind: str
    label: str
    button: str
    entry_label: str = ""
    also: tuple[str, str] | None = None  # (button text, kind)


@dataclass(frozen=True)
class LookForGroup:
    label: str
    look_fors: tuple[LookFor, ...]


@dataclass(frozen=True)
class ToolPart:
    """One part of the tool as the observer sees it (inquiry/templates/inquiry/_evidence_tool.html
    draws it; visits/static/visits/capture.js only makes it record)."""

    kind: str
    key: str  # unique on the page: "<kind>-<position>", for ids and headings
    title: str
    groups: tuple[LookForGroup, ...] = ()
    labels: tuple[str, ...] = ()
    entries: tuple[TextEntry, ...] = ()


def _look_for_groups(look_fors: Iterable[LookFor]) -> tuple[LookForGroup, ...]:
    """Look-fors grouped by kind (visual, oral) in the order the kinds first appear."""
    groups: dict[str, list[LookFor]] = {}
    for look_for in look_fors:
        groups.setdefault(look_for.kind, []).append(look_for)
    return tuple(
        LookForGroup(label=LookForKind(kind).label if kind else "", look_fors=tuple(these))
        for kind, these in groups.items()
    )


def tool_parts(*, tool: list[dict], look_fors: Iterable[LookFor]) -> list[ToolPart]:
    """The cycle's saved tool, ready to draw: the capture page and its preview both use this."""
    parts: list[ToolPart] = []
    for index, part in enumerate(tool):
        kind = part.get("kind")
        key = f"{kind}-{index}"
        if kind == EvidencePart.CHECKLIST:
            parts.append(ToolPart(kind, key, "Look-fors", groups=_look_for_groups(look_fors)))
        elif kind == EvidencePart.TALLY:
            labels = tuple(str(label)[:MAX_LABEL_LENGTH] for label in part.get("labels", []))
            parts.append(ToolPart(kind, key, part.get("title") or "Tally", labels=labels))
        elif kind == EvidencePart.TALK_TIME:
            parts.append(ToolPart(kind, key, EvidenceKind.TALK_TIME.label))
        elif kind == EvidencePart.WHAT_SO_WHAT:
            entries = tuple(
                TextEntry(f"wsw-{name}-{index}", evidence, evidence.label, f"Save {button}")
                for name, evidence, button in (
                    ("what", EvidenceKind.WHAT, "what"),
                    ("so", EvidenceKind.SO_WHAT, "so what"),
                    ("now", EvidenceKind.NOW_WHAT, "now what"),
                )
            )
            parts.append(ToolPart(kind, key, EvidencePart.WHAT_SO_WHAT.label, entries=entries))
        elif kind == EvidencePart.NOTES:
            note = TextEntry(
                f"note-{index}",
                EvidenceKind.NOTE,
                "A timestamped note",
                "Save note",
                also=("Save as a bright moment", EvidenceKind.BRIGHT_MOMENT),
            )
            parts.append(ToolPart(kind, key, "Notes", entries=(note,)))
        elif kind == EvidencePart.TIME_OUTS:
            parts.append(ToolPart(kind, key, "Teacher time-outs"))
        elif kind == EvidencePart.STUDENT_PROMPTS:
            entries = tuple(
                TextEntry(
                    f"prompt-{index}-{number}",
                    EvidenceKind.STUDENT_PROMPT,
                    prompt,
                    "Save",
                    entry_label=prompt,
                )
                for number, prompt in enumerate(part.get("prompts", []))
            )
            parts.append(ToolPart(kind, key, EvidenceKind.STUDENT_PROMPT.label, entries=entries))
    return parts


def tool_drawn(*, cycle: Cycle) -> dict[str, object]:
    """Everything inquiry/_evidence_tool.html needs to draw the cycle's tool (the capture page
    and the preview both pass this on)."""
    return {
        "tool": tool_parts(
            tool=cycle.evidence_tool, look_fors=cycle.look_fors.filter(retired=False)
        ),
        "max_text": MAX_LENGTH["text"],
    }
