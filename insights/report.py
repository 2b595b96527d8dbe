"""The dashboards as a page, a CSV and a PDF: what each shows, from the numbers of
`insights.dashboard`, so that the three say exactly the same (a suppressed cell is blank in all
three, and every total is the sum of the shown cells).

The CSV has one line per number: `scope,school,section,measure,month,value,unit,note,filter`,
where `month` is `YYYY-MM` or `total`, `note` says why a value is blank and `filter` names the
school dashboard's filter (a cycle, a grade, a subject; blank: all). The PDF is the page's
charts and tables printed by WeasyPrint (as the transcript is), loading nothing from outside.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify

from rosters.csvfiles import spreadsheet_safe

from .dashboard import (
    TIME_MEASURES,
    Cell,
    DistrictNumbers,
    DistrictRow,
    Number,
    Row,
    SchoolNumbers,
    Span,
    TeamTime,
)
from .dashboard_filters import NOT_BY_CYCLE, REVEAL, Filter

SECTIONS = {
    "participation": "Participation",
    "time": "Time audit",
    "coverage": "Coverage",
    "reactions": "Reactions",
    "learning": "Learning",
    "use": "Use",
}
CSV_HEADER = ("scope", "school", "section", "measure", "month", "value", "unit", "note", "filter")


def month_label(month: date) -> str:
    return month.strftime("%b %Y")


def hidden_note(k: int) -> str:
    return f"not shown: fewer than {k} teachers"


def reveal_note(k: int) -> str:
    return f"not shown: would reveal fewer than {k} teachers"


def cell_note(cell: Cell, k: int) -> str:
    """Why a cell is blank: too few teachers, or (under a filter) what it would reveal with
    the other numbers shown (insights.dashboard_filters)."""
    if cell.why == REVEAL:
        return reveal_note(k)
    if cell.why == NOT_BY_CYCLE:
        return NOT_BY_CYCLE
    return hidden_note(k)


def legend(k: int) -> str:
    return (
        f"– : not shown, because fewer than {k} teachers took part (or fewer than {k} did "
        "not). Totals add up only what is shown."
    )


def per_week(total: int | Decimal, span: Span, today: date) -> str:
    """Visits a week, on average, over the span's weeks so far."""
    days = (min(span.end, today) - span.start).days + 1
    weeks = max(days / 7, 1)
    return f"{total / Decimal(weeks):.1f}" if days > 0 else "0"


@dataclass(frozen=True)
class GridCell:
    month: str
    text: str
    level: int  # the heat map's shade, 0-4
    shown: bool
    note: str = ""  # why it is blank, when the page's note does not say it


@dataclass(frozen=True)
class GridRow:
    label: str
    unit: str
    cells: list[GridCell]
    total: str
    line: str  # the line chart's points
    dots: list[tuple[str, str]] = field(default_factory=list)


def _text(value: object, unit: str) -> str:
    if unit == "%":
        return f"{value}%"
    if unit == "$":
        return f"${value:,.2f}" if isinstance(value, Decimal) else f"${value}"
    return f"{value}"


def grid_row(row: Row, k: int = 0) -> GridRow:
    unit = row.measure.unit
    cells = [
        GridCell(
            month_label(c.month),
            _text(c.value, unit) if c.shown else "–",
            row.heat(c),
            c.shown,
            "" if c.shown or not c.why else cell_note(c, k),
        )
        for c in row.cells
    ]
    total = row.total
    return GridRow(
        row.measure.label,
        unit,
        cells,
        "" if total is None else _text(total, unit),
        row.line,
        row.dots,
    )


PARTIAL = "*"


def district_grid_row(row: DistrictRow) -> GridRow:
    unit = row.measure.unit
    cells = [
        GridCell(
            month_label(m),
            "–" if v is None else _text(v, unit) + (PARTIAL if partial else ""),
            0,
            v is not None,
        )
        for m, v, partial in zip(row.months, row.values, row.partial, strict=True)
    ]
    total = row.total
    return GridRow(row.measure.label, unit, cells, "" if total is None else _text(total, unit), "")


def _school_sections(numbers: SchoolNumbers, k: int) -> dict[str, list[GridRow]]:
    return {
        key: [grid_row(row, k) for row in numbers.section(key)] for key in SECTIONS if key != "time"
    }


def school_context(
    numbers: SchoolNumbers,
    span: Span,
    *,
    k: int,
    today: date,
    team_time: tuple[list[TeamTime], int] = ([], 0),
    chosen: Filter | None = None,
) -> dict:
    """What the school's page and PDF show (under a filter: its part of the school)."""
    teams, smaller_teams = team_time
    top_team = max([t.periods for t in teams] or [0])
    school = numbers.school
    target = school.learning_minutes_target_per_month
    monthly = numbers.minutes_per_teacher
    top = max([target] + [int(m) for _, m, _ in monthly])
    query = f"start={span.start.isoformat()}&end={span.end.isoformat()}"
    if chosen is not None:
        query += f"&{urlencode({chosen.dimension: chosen.value})}"
    return {
        "title": f"Dashboard · {school.name}" + (f" · {chosen.label}" if chosen else ""),
        "filter": chosen,
        "lede": (
            "How the school learns together: participation, time and coverage, month by month."
            " It counts, it never ranks: no teacher is named, and every number draws on at"
            f" least {k} different teachers."
        ),
        "hidden": hidden_note(k),
        "legend": legend(k)
        + (
            f" Under a filter, a number is also left out when, with the school's and the other"
            f" parts' numbers, it would reveal fewer than {k} teachers."
            if chosen
            else ""
        ),
        "visits_per_week": per_week(numbers.rows["visits"].total or 0, span, today),
        "school": school,
        "span": span,
        "k": k,
        "today": today,
        "months": [month_label(m) for m in span.months],
        "teachers": numbers.teachers,
        "sections": _school_sections(numbers, k),
        "time_rows": [grid_row(numbers.rows[m.key], k) for m in TIME_MEASURES],
        "time_chart": [
            {
                "label": month_label(month),
                "value": int(minutes),
                "max": top,
                "note": "target met" if met else f"below the {target}-minute target",
            }
            for month, minutes, met in monthly
        ],
        "common_time": [{"label": t.team, "value": t.periods, "max": top_team} for t in teams],
        "smaller_teams": smaller_teams,
        "target": target,
        "months_met": sum(1 for *_, met in monthly if met),
        "substitute_cost": numbers.substitute_cost,
        "substitute_period_cost": school.substitute_period_cost,
        "limits": (school.max_coverages_per_week, school.max_coverages_per_month),
        "cycles": numbers.cycles,
        "cycles_with_data": numbers.cycles_with_data,
        # The patterns page names its range "from" and "to" (insights.forms).
        "patterns_url": reverse("insights:patterns", kwargs={"slug": school.slug})
        + f"?from={span.start.isoformat()}&to={span.end.isoformat()}",
        "range_query": query,
    }


def _headline(numbers: SchoolNumbers) -> dict:
    """One school's line in the comparison: sums and averages of its shown cells only."""

    def mean(row: Row) -> int | None:
        values = [c.value for c in row.cells if c.shown]
        return round(sum(values) / len(values)) if values else None

    monthly = [m for _, m, _ in numbers.minutes_per_teacher]
    return {
        "school": numbers.school.name,
        "teachers": numbers.teachers,
        "hosted": mean(numbers.rows["hosted"]),
        "observed": mean(numbers.rows["observed"]),
        "visits": numbers.rows["visits"].total,
        "minutes": round(sum(monthly) / len(monthly)) if monthly else 0,
        "colleague_periods": numbers.rows["colleague_periods"].total,
        "substitute_periods": numbers.rows["substitute_periods"].total,
    }


def district_context(numbers: DistrictNumbers, span: Span, *, today: date) -> dict:
    """What the district's page and PDF show."""
    district = numbers.district
    headlines = [_headline(s) for s in numbers.schools]
    top_visits = max([int(h["visits"] or 0) for h in headlines] or [0])
    return {
        "title": f"Dashboard · {district.name}",
        "hidden": hidden_note(district.min_classrooms_for_aggregates),
        "legend": legend(district.min_classrooms_for_aggregates)
        + f" {PARTIAL} : some schools' numbers for that month are not shown; only the others'"
        " are added.",
        "district": district,
        "span": span,
        "k": district.min_classrooms_for_aggregates,
        "today": today,
        "months": [month_label(m) for m in span.months],
        "rows": [district_grid_row(r) for r in numbers.rows],
        "headlines": headlines,
        "visits_chart": [
            {"label": h["school"], "value": int(h["visits"] or 0), "max": top_visits}
            for h in headlines
        ],
        "hours": numbers.hours,
        "goals": numbers.goals,
        "unit": district.get_credit_unit_display(),
        "range_query": f"start={span.start.isoformat()}&end={span.end.isoformat()}",
    }


def _lines(
    scope: str, school: str, row: Row | DistrictRow, months: list[date], k: int, where: str = ""
) -> list[tuple]:
    measure = row.measure
    if isinstance(row, Row):
        values = [(c.value if c.shown else None) for c in row.cells]
        partial = [False] * len(values)
    else:
        values, partial = row.values, row.partial

    notes = [cell_note(c, k) for c in row.cells] if isinstance(row, Row) else []

    def note(i: int, value: Number | None, part: bool) -> str:
        if value is None:
            return notes[i] if notes else hidden_note(k)
        return "partial: some schools' numbers are not shown" if part else ""

    lines = [
        (
            scope,
            school,
            measure.section,
            measure.key,
            month.strftime("%Y-%m"),
            "" if value is None else value,
            measure.unit,
            note(i, value, part),
            where,
        )
        for i, (month, value, part) in enumerate(zip(months, values, partial, strict=True))
    ]
    if row.total is not None:
        total = row.total
        lines.append((scope, school, measure.section, measure.key, "total", total, "", "", where))
    return lines


def _csv(lines: list[tuple]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for line in lines:
        writer.writerow([spreadsheet_safe(str(cell)) for cell in line])
    return out.getvalue()


def school_csv(numbers: SchoolNumbers, span: Span, *, k: int, chosen: Filter | None = None) -> str:
    months = span.months
    where = chosen.label if chosen else ""
    lines = []
    for row in numbers.rows.values():
        lines += _lines("school", numbers.school.name, row, months, k, where)
    return _csv(lines)


def district_csv(numbers: DistrictNumbers, span: Span) -> str:
    months = span.months
    k = numbers.district.min_classrooms_for_aggregates
    lines = []
    for row in numbers.rows:
        lines += _lines("district", "", row, months, k)
    for school in numbers.schools:
        for school_row in school.rows.values():
            lines += _lines("school", school.school.name, school_row, months, k)
    for hours in numbers.hours:
        lines.append(("district", "", "hours", hours.name, "total", hours.minutes, "min", "", ""))
        lines.append(("district", "", "credits", hours.name, "total", hours.credits, "", "", ""))
    return _csv(lines)


def filename(slug: str, span: Span, kind: str, chosen: Filter | None = None) -> str:
    part = f"-{chosen.dimension}-{slugify(chosen.value)}" if chosen else ""
    return f"opendoors-{slug}{part}-{span.start:%Y-%m}-to-{span.end:%Y-%m}.{kind}"


def as_pdf(context: dict) -> bytes:
    """The dashboard printed (insights/dashboard_pdf.html). WeasyPrint is imported here, as in
    growth.transcript: it loads Pango, and nothing else should need it. It may load only
    data: URLs (there are none): a school's name that looks like an address stays text."""
    import weasyprint

    html = render_to_string("insights/dashboard_pdf.html", context)
    pdf = weasyprint.HTML(
        string=html, url_fetcher=weasyprint.URLFetcher(allowed_protocols=["data"])
    ).write_pdf()
    assert pdf is not None
    return pdf
