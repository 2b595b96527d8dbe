"""Template filters of the design system's components (templates/components/)."""

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def stacked(parts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each part of a share bar with `x`, where its rectangle starts: the sum of the
    percents before it (the bar is 100 wide)."""
    placed, x = [], 0
    for part in parts:
        placed.append({**part, "x": x})
        x += int(part.get("percent") or 0)
    return placed
