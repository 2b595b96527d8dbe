"""Template filters of the design system's components (templates/components/)."""

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

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


def _field(cell: Any, name: str) -> Any:
    return cell.get(name, "") if isinstance(cell, Mapping) else getattr(cell, name, "")


@register.filter
def heat_cells(cells: Iterable[Any], hidden: str = "") -> SafeString:
    """A heat map's row of cells (components/heat_map.html), written here rather than in a
    loop of the template: a district's map is hundreds of cells, and the template language
    takes tens of microseconds for each. A cell (a mapping or an object) has `level` (its
    shade, 0-4), `shown`, `text` and, when it is not shown, why (`note`, else `hidden`)."""
    out = []
    for cell in cells:
        inside: str
        if _field(cell, "shown"):
            inside = conditional_escape(_field(cell, "text"))
        else:
            why = conditional_escape(_field(cell, "note") or hidden)
            inside = f'<span aria-hidden="true">–</span><span class="sr-only">{why}</span>'
        level = conditional_escape(_field(cell, "level"))
        out.append(f'<td class="num heat-{level}">{inside}</td>')
    # Every value written above is escaped.
    return mark_safe("".join(out))
