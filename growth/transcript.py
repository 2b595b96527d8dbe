"""Transcripts: a person's learning in one district over a date range, as a PDF or a CSV,
with a verification line (a QR code and a URL) that anyone holding it can check.

What is on it. The district is the provider; the rows are the person's `LedgerEntry` rows of
that district in the range that count (`growth.ledger.counted`, as My hours, the portfolio and
the district's export count them): `verified` (OpenDoors saw it happen), `approved` (a
facilitator, coach or district leader approved what the teacher reported), and `self_reported`
where the district counts reported learning without approval. Where it asks for approval,
learning waiting for it, and entries returned with a comment, are left out, not listed as
"pending": a state accepts hours its provider attests to; a pending row beside the totals
would invite counting it, and approving it later would change a transcript already handed in.
The page tells the teacher how many are waiting.

Verification, without a stored record. The verification URL is self-contained:
`/verify/transcript/<token>/`, where the token is `signing.Signer(salt=SALT)` over the
person's id, the district's id, the range, the day it was issued and a SHA-256 digest of what
the transcript prints (every row and the totals, in a canonical JSON form). The signature
(HMAC with the site's secret key) means nobody can make a link OpenDoors did not issue, nor
change one it did: a changed or malformed token is "Not a transcript link". The verify page
rebuilds the transcript from the ledger for the same person, district and range and compares
digests: equal is "Genuine" (with the name, the district, the dates and the totals, so the
verifier can compare them with the document in hand); different is "Does not match" (the
records changed since: an entry approved, added or taken away, or credits recomputed). The
page never shows rows: the verifier learns only what the holder showed them. Names are not in
the digest: they are shown from the records, so a renamed copy is caught by reading the page.
Keeping `OPENDOORS_SECRET_KEY` keeps issued links working (rotating it breaks them unless the
old key stays in Django's SECRET_KEY_FALLBACKS).
"""

import csv
import functools
import hashlib
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

import segno
from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from rosters.csvfiles import spreadsheet_safe
from schools.credits import UNIT_NAMES, conversion_in_words
from schools.models import CreditUnit, District, LearningActivity, Membership, Person

from .ledger import counted, waiting_for_approval
from .models import EntryStatus, LedgerEntry

SALT = "opendoors.growth.transcript"
# Bumped if what the digest covers ever changes, so that older links say "does not match"
# rather than "genuine" by accident.
DIGEST_VERSION = 1
DIGEST_CHARS = 32  # 128 bits of SHA-256 in the link: plenty, and the QR code stays small
# A school year runs from August 1 to July 31 (the transcript's default range).
SCHOOL_YEAR_STARTS_MONTH = 8
CENT = Decimal("0.01")
# As wide as a digit in DejaVu Sans (and most fonts): numbers padded with it on the left line
# up on the right, like a table's column, in the PDF's one line of text per entry (pdf.html).
FIGURE_SPACE = "\u2007"
# Six characters end about where the headings "Minutes" and "Credits" do.
COLUMN_CHARS = 6
STATUS_LABELS: dict[str, str] = {
    EntryStatus.VERIFIED: "Verified",
    EntryStatus.APPROVED: "Approved",
    EntryStatus.SELF_REPORTED: "Self-reported",
}


def school_year_of(day: date) -> tuple[date, date]:
    """The school year `day` falls in: August 1 to July 31."""
    first = day.year if day.month >= SCHOOL_YEAR_STARTS_MONTH else day.year - 1
    return date(first, SCHOOL_YEAR_STARTS_MONTH, 1), date(
        first + 1, SCHOOL_YEAR_STARTS_MONTH - 1, 31
    )


def range_problem(start: date, end: date) -> str | None:
    """What is wrong with a range, in a sentence for the page or the command; None if fine."""
    if end < start:
        return (
            f"The range ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d}): "
            "choose an end on or after the start."
        )
    return None


def number_text(credits: Decimal) -> str:
    """2.50 → "2.5", 2.00 → "2"."""
    text = f"{credits.quantize(CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def unit_names(unit: str) -> tuple[str, str]:
    """A unit's singular and plural; a unit OpenDoors does not know keeps its name."""
    if unit in CreditUnit.values:
        return UNIT_NAMES[CreditUnit(unit)]
    return unit or "credits", unit or "credits"


def credits_text(credits: Decimal, unit: str) -> str:
    """2.50 clock_hours → "2.5 clock hours"."""
    one, many = unit_names(unit)
    return f"{number_text(credits)} {one if credits == 1 else many}"


def duration_text(minutes: int) -> str:
    """615 → "10 h 15 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@dataclass(frozen=True)
class Row:
    """One line of the transcript, as printed."""

    date: date
    activity: str  # a LearningActivity value
    title: str
    minutes: int
    credits: Decimal
    credit_unit: str
    designations: tuple[str, ...]
    status: str

    @property
    def activity_label(self) -> str:
        return (
            LearningActivity(self.activity).label
            if self.activity in LearningActivity.values
            else self.activity
        )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def credits_number(self) -> str:
        """For a column of numbers in one unit: always two decimals, so they line up."""
        return f"{self.credits.quantize(CENT):f}"

    @property
    def minutes_column(self) -> str:
        """The minutes padded on the left to six characters: the PDF's Minutes column."""
        return f"{self.minutes:{FIGURE_SPACE}>{COLUMN_CHARS}}"

    @property
    def credits_column(self) -> str:
        """The credits padded on the left to six characters: the PDF's Credits column."""
        return f"{self.credits_number:{FIGURE_SPACE}>{COLUMN_CHARS}}"

    @property
    def credit_unit_plural(self) -> str:
        return unit_names(self.credit_unit)[1]


@dataclass(frozen=True)
class Total:
    """Minutes and credits (per unit) of all rows, or of those carrying one designation."""

    label: str
    minutes: int
    credits: tuple[tuple[str, Decimal], ...]  # (unit, credits), by unit

    @property
    def duration(self) -> str:
        return duration_text(self.minutes)

    @property
    def credits_text(self) -> str:
        return "; ".join(credits_text(amount, unit) for unit, amount in self.credits) or "–"


def total_of(label: str, rows: list[Row]) -> Total:
    per_unit: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        per_unit[row.credit_unit] += row.credits
    return Total(
        label=label,
        minutes=sum(row.minutes for row in rows),
        credits=tuple(sorted(per_unit.items())),
    )


@dataclass(frozen=True)
class Transcript:
    person: Person
    district: District
    start: date
    end: date
    rows: tuple[Row, ...]
    total: Total
    by_designation: tuple[Total, ...]

    @property
    def unit_of_all_rows(self) -> str | None:
        """The plural name of the unit every row is in (the table then prints numbers only,
        the unit in its header), or None when they differ (rules changed in the range)."""
        units = {row.credit_unit for row in self.rows}
        return unit_names(units.pop())[1] if len(units) == 1 else None

    @property
    def digest(self) -> str:
        """SHA-256 of what the transcript prints, in a canonical form (see the module)."""
        content = {
            "v": DIGEST_VERSION,
            "person": self.person.pk,
            "district": self.district.pk,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "rows": [
                [
                    r.date.isoformat(),
                    r.activity,
                    r.title,
                    r.minutes,
                    f"{r.credits.quantize(CENT):f}",
                    r.credit_unit,
                    list(r.designations),
                    r.status,
                ]
                for r in self.rows
            ],
            "totals": [
                [t.label, t.minutes, [[u, f"{c.quantize(CENT):f}"] for u, c in t.credits]]
                for t in (self.total, *self.by_designation)
            ],
        }
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def transcript_id(self) -> str:
        """The id printed on it: the digest's first 12 hex digits, in groups of four."""
        head = self.digest[:12].upper()
        return "-".join(head[i : i + 4] for i in range(0, 12, 4))


def transcript_build(*, person: Person, district: District, start: date, end: date) -> Transcript:
    """The transcript of `person`'s learning in `district` from `start` to `end` inclusive:
    one query."""
    entries = LedgerEntry.objects.filter(
        counted(), person=person, district=district, date__range=(start, end)
    ).order_by("date", "id")
    rows = [
        Row(
            date=e.date,
            activity=e.activity,
            title=e.title,
            minutes=e.minutes,
            credits=Decimal(e.credits),
            credit_unit=e.credit_unit,
            designations=tuple(str(d) for d in (e.designations or [])),
            status=e.status,
        )
        for e in entries.only(
            "date",
            "activity",
            "title",
            "minutes",
            "credits",
            "credit_unit",
            "designations",
            "status",
        )
    ]
    names = sorted({name for row in rows for name in row.designations}, key=str.lower)
    return Transcript(
        person=person,
        district=district,
        start=start,
        end=end,
        rows=tuple(rows),
        total=total_of("All learning", rows),
        by_designation=tuple(
            total_of(name, [row for row in rows if name in row.designations]) for name in names
        ),
    )


def awaiting_approval(*, person: Person, district: District, start: date, end: date) -> int:
    """How many self-reported entries in the range wait for approval (left off the
    transcript; the page says so)."""
    return LedgerEntry.objects.filter(
        waiting_for_approval(), person=person, district=district, date__range=(start, end)
    ).count()


def transcript_districts(person: Person) -> list[District]:
    """The districts a person can have a transcript from: those of their schools, and any
    other where they have learning on record (a teacher who moved keeps their record)."""
    return list(
        District.objects.filter(
            Q(pk__in=Membership.objects.filter(person=person).values("school__district"))
            | Q(pk__in=LedgerEntry.objects.filter(person=person).values("district"))
        ).order_by("name")
    )


# The signed link.


def transcript_token(transcript: Transcript, *, issued_on: date) -> str:
    payload = [
        DIGEST_VERSION,
        transcript.person.pk,
        transcript.district.pk,
        transcript.start.isoformat(),
        transcript.end.isoformat(),
        issued_on.isoformat(),
        transcript.digest[:DIGEST_CHARS],
    ]
    return signing.Signer(salt=SALT).sign_object(payload, compress=True)


def verify_url(token: str) -> str:
    return settings.OPENDOORS_SITE_URL + reverse("growth:transcript_verify", args=[token])


class Verdict(StrEnum):
    GENUINE = "genuine"
    CHANGED = "changed"
    NOT_A_LINK = "not_a_link"


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    transcript: Transcript | None = None
    issued_on: date | None = None


HEX = re.compile(rf"[0-9a-f]{{{DIGEST_CHARS}}}")


def _payload(token: str) -> tuple[int, int, date, date, date, str] | None:
    """The signed payload's parts, or None for anything OpenDoors did not issue."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return None
    match payload:
        case [1, int(person), int(district), str(start), str(end), str(issued), str(digest)]:
            pass
        case _:
            return None
    try:
        dates = date.fromisoformat(start), date.fromisoformat(end), date.fromisoformat(issued)
    except ValueError:
        return None
    if not HEX.fullmatch(digest):
        return None
    return person, district, *dates, digest


def transcript_verify(token: str) -> Verification:
    """Whether `token` is a link OpenDoors issued, and whether the records still say what the
    transcript it came from says (see the module)."""
    parts = _payload(token)
    if parts is None:
        return Verification(Verdict.NOT_A_LINK)
    person_id, district_id, start, end, issued_on, digest = parts
    person = Person.objects.filter(pk=person_id, erased_at__isnull=True).first()
    district = District.objects.filter(pk=district_id).first()
    if person is None or district is None:
        return Verification(Verdict.CHANGED, issued_on=issued_on)
    transcript = transcript_build(person=person, district=district, start=start, end=end)
    if transcript.digest[:DIGEST_CHARS] != digest:
        return Verification(Verdict.CHANGED, issued_on=issued_on)
    return Verification(Verdict.GENUINE, transcript=transcript, issued_on=issued_on)


# The files.


# The user agent stylesheet of the transcript: the defaults of the elements pdf.html uses,
# copied from WeasyPrint's HTML5 one (css/html5_ua.css). That one gives every element six
# pseudo-elements (markers, footnote and note calls) that each get their own computed style:
# a third of the time a 200-entry transcript took, for nothing on it. An element not listed
# here would show as inline text, so pdf.html keeps to these.
TRANSCRIPT_UA_CSS = """
head, style, title, meta { display: none }
html, body, div, p, h1, h2, dl, dt, dd { display: block }
table { display: table; box-sizing: border-box; border-spacing: 2px; border-collapse: separate;
        text-indent: initial }
colgroup { display: table-column-group }
col { display: table-column }
thead { display: table-header-group }
tbody { display: table-row-group }
tr { display: table-row }
td, th { display: table-cell; padding: 1px }
thead, tbody { vertical-align: middle }
tr, td, th { vertical-align: inherit }
table, td, th { border-color: gray }
thead, tbody, tr { border-color: inherit }
body { margin: 8px }
p, dl { margin-top: 1em; margin-bottom: 1em }
dd { margin-left: 40px }
h1 { font-size: 2em; margin-top: .67em; margin-bottom: .67em; bookmark-level: 1 }
h2 { font-size: 1.5em; margin-top: .83em; margin-bottom: .83em; bookmark-level: 2 }
h1, h2 { hyphens: manual; break-after: avoid; break-inside: avoid; bookmark-label: content(text) }
h1, h2, strong, th { font-weight: bold }
img { overflow: hidden }
br::before { content: "\\A"; white-space: pre-line }
"""


@functools.cache
def _pdf_renderer() -> type:
    """WeasyPrint's HTML with the transcript's user agent stylesheet (parsed once)."""
    import weasyprint

    stylesheet = weasyprint.CSS(string=TRANSCRIPT_UA_CSS)

    class TranscriptHTML(weasyprint.HTML):
        # WeasyPrint's own tests replace the user agent stylesheet the same way.
        def _ua_stylesheets(self, forms: bool = False) -> list:
            return [stylesheet]

    return TranscriptHTML


def transcript_pdf(transcript: Transcript, *, issued_on: date) -> bytes:
    """The transcript as a PDF, rendered from growth/transcript/pdf.html with WeasyPrint.

    WeasyPrint is imported here, not at the top: it loads Pango when imported, and every
    other page and command must work on a machine without it. It may load nothing from
    outside: the QR code is a data: URL it decodes itself, the fonts are the system's (DejaVu),
    and a title that looks like an address stays text."""
    import weasyprint

    url = verify_url(transcript_token(transcript, issued_on=issued_on))
    html = render_to_string(
        "growth/transcript/pdf.html",
        {
            "t": transcript,
            "issued_on": issued_on,
            "verify_url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=3, border=0),
            "rules": conversion_in_words(transcript.district),
        },
    )
    pdf = _pdf_renderer()(
        string=html, url_fetcher=weasyprint.URLFetcher(allowed_protocols=["data"])
    ).write_pdf()
    assert pdf is not None  # write_pdf without a target returns the bytes
    return pdf


CSV_HEADER = (
    "line",
    "date",
    "activity",
    "title",
    "minutes",
    "credit_type",
    "credits",
    "designations",
    "status",
)


def transcript_csv(transcript: Transcript, *, issued_on: date) -> str:
    """The transcript as CSV: a header, one `entry` line per row, `total` lines (all learning,
    then each designation, one per credit type), then who and what it is, and the
    verification URL. Cells a spreadsheet would run as a formula are escaped."""
    t = transcript
    lines: list[tuple[object, ...]] = [CSV_HEADER]
    for r in t.rows:
        lines.append(
            (
                "entry",
                r.date.isoformat(),
                r.activity,
                r.title,
                r.minutes,
                r.credit_unit,
                f"{r.credits.quantize(CENT):f}",
                ";".join(r.designations),
                r.status,
            )
        )
    for total in (t.total, *t.by_designation):
        designation = "" if total is t.total else total.label
        for unit, amount in total.credits or (("", Decimal(0)),):
            lines.append(
                (
                    "total",
                    "",
                    "",
                    total.label,
                    total.minutes,
                    unit,
                    f"{amount.quantize(CENT):f}",
                    designation,
                    "",
                )
            )
    person = t.person.get_full_name() or t.person.username
    lines += [
        ("provider", "", "", t.district.name, "", "", "", "", ""),
        ("person", "", "", person, "", "", "", "", ""),
        (
            "range",
            t.start.isoformat(),
            "",
            f"{t.start.isoformat()} to {t.end.isoformat()}",
            "",
            "",
            "",
            "",
            "",
        ),
        ("issued", issued_on.isoformat(), "", f"Transcript {t.transcript_id}", "", "", "", "", ""),
        (
            "verification",
            "",
            "",
            verify_url(transcript_token(t, issued_on=issued_on)),
            "",
            "",
            "",
            "",
            "",
        ),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for line in lines:
        writer.writerow([spreadsheet_safe(cell) for cell in line])
    return buffer.getvalue()


def transcript_filename(transcript: Transcript, extension: str) -> str:
    t = transcript
    return f"transcript-{t.person.username}-{t.start:%Y%m%d}-{t.end:%Y%m%d}.{extension}"
