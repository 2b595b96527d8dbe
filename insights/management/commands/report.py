"""`opendoors report --school SLUG | --district SLUG [--from DATE] [--to DATE] -o FILE.pdf|.csv`:
a dashboard (insights/dashboard.py) as the page downloads it, for a board meeting or a state
report. The range is widened to whole months, as on the page; left out, the school year. A
school's report takes one filter, as its page does: `--cycle ID`, `--grade G` or
`--subject S` (insights/dashboard_filters.py)."""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from insights import report
from insights.dashboard import common_time_offered, district_numbers
from insights.dashboard_filters import Choices, filter_choices, school_numbers, teacher_groups
from insights.dashboard_forms import FilterForm, SpanForm
from schools.models import District, School


class Command(BaseCommand):
    help = "Write a school's or a district's dashboard as a PDF report or a CSV of its numbers."

    def add_arguments(self, parser: CommandParser) -> None:
        whose = parser.add_mutually_exclusive_group(required=True)
        whose.add_argument("--school", help="the school's slug")
        whose.add_argument("--district", help="the district's slug")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")
        parser.add_argument("--cycle", default="", help="a school's report: one cycle's id")
        parser.add_argument("--grade", default="", help="a school's report: one grade")
        parser.add_argument("--subject", default="", help="a school's report: one subject")
        parser.add_argument("-o", "--output", required=True, help="FILE.pdf or FILE.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        kind = path.suffix.lower().lstrip(".")
        if kind not in ("pdf", "csv"):
            raise CommandError("Name the output FILE.pdf (the report) or FILE.csv (the numbers).")
        form = SpanForm({"start": options["start"] or "", "end": options["end"] or ""})
        if not form.is_valid():
            problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
            raise CommandError(f"The dates: {problems}")
        span = form.span()
        today = timezone.localdate()
        if options["school"]:
            school = School.objects.select_related("district").filter(slug=options["school"])
            if not school:
                raise CommandError(f"No school “{options['school']}”.")
            k = school[0].district.min_classrooms_for_aggregates
            groups = teacher_groups(school[0])
            choices = filter_choices(school[0], groups, k=k)
            wanted = {name: options[name] or "" for name in ("cycle", "grade", "subject")}
            filter_form = FilterForm(wanted, choices=choices)
            if not filter_form.is_valid():
                raise CommandError(f"The filter: {_problems(filter_form, choices)}")
            chosen = filter_form.chosen()
            numbers = school_numbers(
                school[0], span, chosen, k=k, groups=groups, choices=choices, today=today
            )
            context = report.school_context(
                numbers,
                span,
                k=k,
                today=today,
                team_time=common_time_offered(school[0], k=k),
                chosen=chosen,
            )
            body = (
                report.as_pdf(context)
                if kind == "pdf"
                else report.school_csv(numbers, span, k=k, chosen=chosen)
            )
        else:
            if any(options[name] for name in ("cycle", "grade", "subject")):
                raise CommandError("A district's report takes no filter; a school's does.")
            district = District.objects.filter(slug=options["district"]).first()
            if district is None:
                raise CommandError(f"No district “{options['district']}”.")
            all_numbers = district_numbers(district, span, today=today)
            context = report.district_context(all_numbers, span, today=today)
            body = (
                report.as_pdf(context) if kind == "pdf" else report.district_csv(all_numbers, span)
            )
        path.write_bytes(body if isinstance(body, bytes) else body.encode())
        self.stdout.write(f"Wrote {context['title']}, {_months(span.start, span.end)}, to {path}.")


def _problems(form: FilterForm, choices: Choices) -> str:
    """What was wrong, and what the school offers instead."""
    problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    offered = [
        f"{name}: {', '.join(value for value, _ in values) or 'none'}"
        for name, values in (
            ("cycles", choices.cycles),
            ("grades", choices.grades),
            ("subjects", choices.subjects),
        )
    ]
    return f"{problems} The school offers {'; '.join(offered)}."


def _months(start: date, end: date) -> str:
    return f"{start:%B %Y} to {end:%B %Y}"
