"""`opendoors transcript --school SLUG --person USERNAME [--from DATE] [--to DATE]
-o FILE.pdf|.csv`: a person's transcript from the school's district, as the page gives it
(growth/transcript.py), in the format the file's extension names. Without dates: this school
year."""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from growth.models import LedgerEntry
from growth.transcript import (
    range_problem,
    school_year_of,
    transcript_build,
    transcript_csv,
    transcript_pdf,
    transcript_token,
    verify_url,
)
from schools.models import Membership, Person, School


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} {text!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Write a person's transcript (PDF or CSV, by the file's extension)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", required=True, help="a school's slug (its district)")
        parser.add_argument("--person", required=True, help="the person's username")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")
        parser.add_argument("-o", "--output", required=True, help="FILE.pdf or FILE.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        extension = output.suffix.lower().lstrip(".")
        if extension not in {"pdf", "csv"}:
            raise CommandError(f"Name the output FILE.pdf or FILE.csv, not {output.name!r}.")
        school = School.objects.select_related("district").filter(slug=options["school"]).first()
        if school is None:
            raise CommandError(f"No school has the slug {options['school']!r}.")
        district = school.district
        person = Person.objects.filter(username=options["person"]).first()
        if person is None:
            raise CommandError(f"Nobody has the username {options['person']!r}.")
        belongs = Membership.objects.filter(person=person, school__district=district).exists()
        if (
            not belongs
            and not LedgerEntry.objects.filter(person=person, district=district).exists()
        ):
            raise CommandError(f"{person.username} has no school and no learning in {district}.")
        first, last = school_year_of(timezone.localdate())
        start = _date(options["start"], "--from") if options["start"] else first
        end = _date(options["end"], "--to") if options["end"] else last
        problem = range_problem(start, end)
        if problem:
            raise CommandError(problem)
        built = transcript_build(person=person, district=district, start=start, end=end)
        issued_on = timezone.localdate()
        if extension == "pdf":
            output.write_bytes(transcript_pdf(built, issued_on=issued_on))
        else:
            output.write_text(transcript_csv(built, issued_on=issued_on), encoding="utf-8")
        self.stdout.write(
            f"Wrote the transcript of {person} at {district} from {start} to {end} "
            f"({len(built.rows)} entr{'y' if len(built.rows) == 1 else 'ies'}, "
            f"{built.total.minutes} minutes, "
            f"{built.total.credits_text}) to {output}; verify at "
            f"{verify_url(transcript_token(built, issued_on=issued_on))}"
        )
