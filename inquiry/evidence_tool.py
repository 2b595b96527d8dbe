"""The evidence tool: an ordered list of parts built from the look-fors.

Stored as JSON on the cycle, e.g. [{"kind": "checklist"}, {"kind": "tally",
"title": "Question types", "labels": ["Recall", "Open-ended"]}]. `tool_clean`
is the one gate every saved tool passes.
"""

from django.core.exceptions import ValidationError

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
