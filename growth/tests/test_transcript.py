"""A teacher downloads their transcript (PDF or CSV) for a date range, and anyone they give it
to checks on the verification page that it is genuine and unaltered."""

import csv
import io
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from growth.models import EntryStatus, LedgerEntry
from growth.transcript import (
    Row,
    Transcript,
    school_year_of,
    total_of,
    transcript_build,
    transcript_pdf,
    transcript_token,
    verify_url,
)
from schools.models import District, Person
from schools.tests.factories import make_district, make_person, make_school

FROM, TO = date(2026, 8, 1), date(2027, 7, 31)


def entry(person, district, day, title, minutes, status=EntryStatus.VERIFIED, **fields):
    fields.setdefault("activity", "observed")
    fields.setdefault("credits", Decimal(minutes) / 60)
    fields.setdefault("credit_unit", "clock_hours")
    return LedgerEntry.objects.create(
        person=person,
        district=district,
        date=day,
        title=title,
        minutes=minutes,
        status=status,
        **fields,
    )


@pytest.fixture
def ledger(personas):
    """Ana Ortiz's year at Riverbend, a district that asks for approval of reported learning:
    two visits she observed or hosted (one carrying equity hours), an approved lesson study, a
    self-reported reading awaiting approval, a returned entry, one entry from before the
    range, and a colleague's entry."""
    district = personas.school.district
    district.self_reported_needs_approval = True
    district.save(update_fields=["self_reported_needs_approval"])
    teacher = personas.teacher
    entry(teacher, district, date(2026, 9, 14), "Round: students explain their thinking", 45)
    entry(
        teacher,
        district,
        date(2026, 10, 2),
        "Hosting the peer learning lab",
        90,
        activity="hosted",
        designations=["Equity hours"],
    )
    entry(
        teacher,
        district,
        date(2026, 11, 5),
        "=Lesson study on fractions",
        120,
        status=EntryStatus.APPROVED,
        activity="lesson_study",
        designations=["Equity hours", "STEM"],
    )
    entry(
        teacher,
        district,
        date(2026, 11, 9),
        "Reading: Visible Learning",
        60,
        EntryStatus.SELF_REPORTED,
        activity="reading",
    )
    entry(
        teacher,
        district,
        date(2026, 11, 10),
        "Study group, no notes",
        30,
        EntryStatus.RETURNED,
        activity="study_group",
    )
    entry(
        teacher, district, date(2026, 7, 31), "Summer institute", 300, status=EntryStatus.APPROVED
    )
    entry(personas.colleague, district, date(2026, 9, 14), "Colleague's own round", 45)
    return personas


def download(client, person, **params):
    client.force_login(person)
    query = {"start": FROM.isoformat(), "end": TO.isoformat(), "format": "pdf", **params}
    return client.get("/hours/transcript/", query)


def pdf_text(content: bytes) -> str:
    """The PDF's words, with the lines a table cell wraps joined again."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def csv_lines(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def verify_path(response) -> str:
    """The verification URL printed on a CSV transcript, as a path for the test client."""
    line = next(line for line in csv_lines(response) if line["line"] == "verification")
    return urlsplit(line["title"]).path


def test_the_pdf_names_the_district_the_person_each_activity_and_the_totals(client, ledger):
    response = download(client, ledger.teacher)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="transcript-teacher-20260801-20270731.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Transcript of professional learning" in text
    assert "Riverbend" in text
    assert "Ana Ortiz" in text
    assert "Round: students explain their thinking" in text
    assert "Hosting the peer learning lab" in text
    assert "=Lesson study on fractions" in text
    assert "Observing a visit" in text and "Lesson study" in text
    assert "Sep 14, 2026" in text
    # 45 + 90 + 120 minutes, 4.25 clock hours; equity hours: 90 + 120.
    assert "All learning (3 entries)" in text
    assert "255" in text and "4 h 15 min" in text and "4.25 clock hours" in text
    assert "Designation: Equity hours" in text and "210" in text and "3.5 clock hours" in text
    assert "Designation: STEM" in text
    assert "Verified" in text and "Approved" in text
    # Each entry is one line under Date, Minutes, Credits (clock hours) and Learning.
    assert "Date Minutes Credits Learning · kind · designations · status clock hours" in text
    assert (
        "Sep 14, 2026 45 0.75 Round: students explain their thinking · Observing a visit"
        " · Verified" in text
    )
    assert (
        "Oct 2, 2026 90 1.50 Hosting the peer learning lab · Hosting a visit · Equity hours"
        " · Verified" in text
    )
    assert (
        "Nov 5, 2026 120 2.00 =Lesson study on fractions · Lesson study · Equity hours · STEM"
        " · Approved" in text
    )
    # The address may wrap anywhere (where depends on the token, so on the day).
    assert "http://127.0.0.1:8000/verify/transcript/" in text.replace(" ", "")
    assert "Page 1 of 1" in text


def test_only_verified_and_approved_learning_of_the_range_and_person_is_listed(client, ledger):
    text = pdf_text(download(client, ledger.teacher).content)

    assert "Reading: Visible Learning" not in text  # self-reported, awaiting approval
    assert "Study group, no notes" not in text  # returned with a comment
    assert "Summer institute" not in text  # the day before the range
    assert "Colleague's own round" not in text
    assert "awaiting approval is not listed" in text


def test_the_page_offers_this_school_year_and_counts_entries_awaiting_approval(client, ledger):
    client.force_login(ledger.teacher)
    today = timezone.localdate()
    LedgerEntry.objects.filter(title="Reading: Visible Learning").update(date=today)

    response = client.get("/hours/transcript/")

    assert response.status_code == 200
    first, last = school_year_of(today)
    assert f'value="{first.isoformat()}"' in response.content.decode()
    assert f'value="{last.isoformat()}"' in response.content.decode()
    assert "1 self-reported entry is waiting for approval" in response.content.decode()


def test_a_school_year_runs_from_august_to_july():
    assert school_year_of(date(2026, 12, 2)) == (date(2026, 8, 1), date(2027, 7, 31))
    assert school_year_of(date(2027, 7, 31)) == (date(2026, 8, 1), date(2027, 7, 31))
    assert school_year_of(date(2027, 8, 1)) == (date(2027, 8, 1), date(2028, 7, 31))


def test_a_range_ending_before_it_starts_is_a_clear_message(client, ledger):
    response = download(client, ledger.teacher, start="2027-03-01", end="2027-02-01")

    assert response.status_code == 400
    assert "The range ends (2027-02-01) before it starts (2027-03-01)" in response.content.decode()


def test_a_date_that_is_not_one_is_a_clear_message(client, ledger):
    response = download(client, ledger.teacher, start="yesterday", format="docx")

    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    assert "Select a valid choice." in response.content.decode()


def test_someone_with_no_district_sees_what_a_transcript_will_hold(client, db):
    loner = make_person("loner")
    client.force_login(loner)

    response = client.get("/hours/transcript/", {"format": "pdf"})

    assert response.status_code == 200
    assert "No district records learning for you yet" in response.content.decode()


def test_the_csv_has_the_same_rows_totals_and_a_verification_line(client, ledger):
    response = download(client, ledger.teacher, format="csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = csv_lines(response)
    entries = [line for line in lines if line["line"] == "entry"]
    assert [(e["date"], e["title"], e["minutes"], e["credits"], e["status"]) for e in entries] == [
        ("2026-09-14", "Round: students explain their thinking", "45", "0.75", "verified"),
        ("2026-10-02", "Hosting the peer learning lab", "90", "1.50", "verified"),
        # A title a spreadsheet would run as a formula is escaped.
        ("2026-11-05", "'=Lesson study on fractions", "120", "2.00", "approved"),
    ]
    assert entries[2]["designations"] == "Equity hours;STEM"
    totals = {line["title"]: line for line in lines if line["line"] == "total"}
    assert totals["All learning"]["minutes"] == "255"
    assert totals["All learning"]["credits"] == "4.25"
    assert totals["All learning"]["credit_type"] == "clock_hours"
    assert totals["Equity hours"]["minutes"] == "210"
    assert totals["Equity hours"]["designations"] == "Equity hours"
    assert totals["STEM"]["credits"] == "2.00"
    said = {line["line"]: line for line in lines}
    assert said["provider"]["title"] == "Riverbend"
    assert said["person"]["title"] == "Ana Ortiz"
    assert said["range"]["title"] == "2026-08-01 to 2027-07-31"
    assert said["verification"]["title"].startswith("http://127.0.0.1:8000/verify/transcript/")
    assert lines[-1]["line"] == "verification"


def test_a_verifier_sees_genuine_with_the_totals_but_never_the_entries(client, ledger):
    path = verify_path(download(client, ledger.teacher, format="csv"))
    client.logout()

    response = client.get(path)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Genuine" in page
    assert (
        "matches OpenDoors' records of <strong>Ana Ortiz</strong> at <strong>Riverbend</strong>"
        in page
    )
    assert "from August 1, 2026 to July 31, 2027" in page
    assert f"issued on {timezone.localdate():%B} {timezone.localdate().day}" in page
    assert "255" in page and "4.25 clock hours" in page and "Equity hours" in page
    assert "Round: students explain their thinking" not in page
    assert "Hosting the peer learning lab" not in page


def test_the_pdf_and_the_csv_of_the_same_range_verify_alike(ledger):
    built = transcript_build(
        person=ledger.teacher, district=ledger.school.district, start=FROM, end=TO
    )
    again = transcript_build(
        person=ledger.teacher, district=ledger.school.district, start=FROM, end=TO
    )
    assert built.digest == again.digest
    assert len(built.transcript_id) == 14


def test_a_changed_ledger_does_not_match(client, ledger):
    path = verify_path(download(client, ledger.teacher, format="csv"))
    # The reading is approved after the transcript was issued: a new transcript lists it.
    LedgerEntry.objects.filter(title="Reading: Visible Learning").update(
        status=EntryStatus.APPROVED
    )
    client.logout()

    response = client.get(path)

    assert response.status_code == 200
    assert "Does not match" in response.content.decode()
    assert "the records have changed since it was issued" in response.content.decode()
    assert "Ana Ortiz" not in response.content.decode()


def test_recomputed_credits_do_not_match(client, ledger):
    path = verify_path(download(client, ledger.teacher, format="csv"))
    LedgerEntry.objects.filter(title="Hosting the peer learning lab").update(
        credits=Decimal("1.75")
    )

    assert "Does not match" in client.get(path).content.decode()


def test_a_link_whose_digest_is_not_the_records_does_not_match(client, ledger):
    built = transcript_build(
        person=ledger.teacher, district=ledger.school.district, start=FROM, end=TO
    )
    other = transcript_build(
        person=ledger.teacher, district=ledger.school.district, start=FROM, end=date(2026, 9, 30)
    )
    # A genuine signature over the first range's id with the second range's content.
    forged = transcript_token(
        type(built)(**{**built.__dict__, "rows": other.rows}), issued_on=date(2026, 12, 1)
    )

    response = client.get(urlsplit(verify_url(forged)).path)

    assert "Does not match" in response.content.decode()


def test_a_changed_or_malformed_link_is_not_a_transcript_link(client, ledger):
    path = verify_path(download(client, ledger.teacher, format="csv"))
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]

    for bad in (tampered, token[:-3], "not-a-link", "a:b:c", "%00", "x" * 500):
        response = client.get(f"/verify/transcript/{bad}/")
        assert response.status_code == 200, bad
        assert "Not a transcript link" in response.content.decode(), bad


def test_an_erased_person_s_transcript_no_longer_verifies(client, ledger):
    path = verify_path(download(client, ledger.teacher, format="csv"))
    ledger.teacher.erased_at = timezone.now()
    ledger.teacher.save()

    assert "Does not match" in client.get(path).content.decode()


def test_an_empty_range_gives_an_empty_transcript_that_verifies(client, ledger):
    response = download(client, ledger.teacher, start="2030-01-01", end="2030-01-31")

    text = pdf_text(response.content)
    assert "No learning on record" in text
    csv_response = download(
        client, ledger.teacher, start="2030-01-01", end="2030-01-31", format="csv"
    )
    assert "Genuine" in client.get(verify_path(csv_response)).content.decode()


def test_someone_in_two_districts_chooses_one_and_sees_only_its_learning(client, ledger):
    elsewhere = make_school("harbor-high", district=make_district("harbor"))
    entry(ledger.teacher, elsewhere.district, date(2026, 9, 20), "Harbor workshop", 60)

    page = download(client, ledger.teacher, format="csv", district=elsewhere.district.pk)

    titles = [line["title"] for line in csv_lines(page) if line["line"] == "entry"]
    assert titles == ["Harbor workshop"]
    assert "Harbor" in client.get("/hours/transcript/").content.decode()


def test_the_command_writes_a_pdf_and_a_csv(ledger, tmp_path):
    out = io.StringIO()
    call_command(
        "transcript",
        "--school=lincoln",
        "--person=teacher",
        "--from=2026-08-01",
        "--to=2027-07-31",
        f"-o={tmp_path / 'ana.pdf'}",
        stdout=out,
    )
    assert (tmp_path / "ana.pdf").read_bytes().startswith(b"%PDF")
    assert "Ana Ortiz" in pdf_text((tmp_path / "ana.pdf").read_bytes())
    assert "(3 entries, 255 minutes, 4.25 clock hours)" in out.getvalue()

    call_command(
        "transcript",
        "--school=lincoln",
        "--person=teacher",
        f"-o={tmp_path / 'ana.csv'}",
        "--from=2026-08-01",
        stdout=io.StringIO(),
    )
    text = (tmp_path / "ana.csv").read_text(encoding="utf-8")
    assert text.startswith(
        "line,date,activity,title,minutes,credit_type,credits,designations,status\n"
    )
    assert "Hosting the peer learning lab" in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--person=nobody"], "Nobody has the username 'nobody'."),
        (["--school=atlantis"], "No school has the slug 'atlantis'."),
        (["--from=2027-03-01", "--to=2027-02-01"], "The range ends (2027-02-01) before it starts"),
        (["--from=March"], "--from 'March' is not a date: write it as YYYY-MM-DD."),
        (["-o=ana.docx"], "Name the output FILE.pdf or FILE.csv, not 'ana.docx'."),
    ],
)
def test_the_command_says_what_is_wrong(ledger, tmp_path, arguments, message):
    defaults = {"--school": "lincoln", "--person": "teacher", "-o": str(tmp_path / "t.pdf")}
    given = {argument.split("=")[0] for argument in arguments}
    argv = [f"{k}={v}" for k, v in defaults.items() if k not in given] + arguments

    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("transcript", *argv, stdout=io.StringIO())


def test_the_command_refuses_someone_outside_the_district(ledger, tmp_path):
    make_person("stranger")

    with pytest.raises(CommandError, match="stranger has no school and no learning in Riverbend"):
        call_command(
            "transcript", "--school=lincoln", "--person=stranger", f"-o={tmp_path / 't.csv'}"
        )


@pytest.mark.parametrize("junk", ["", "abc", "-1", "99999999999999999999", "\x00", "é" * 3000])
def test_junk_in_any_field_is_a_message_never_a_server_error(client, ledger, junk):
    client.force_login(ledger.teacher)
    for field in ("start", "end", "format", "district"):
        query = {"start": "2026-08-01", "end": "2027-07-31", "format": "csv", field: junk}

        response = client.get("/hours/transcript/", query)

        assert response.status_code in {200, 400}, (field, junk[:10])
    assert client.get(f"/verify/transcript/{junk or 'x'}/").status_code == 200


def test_the_widest_dates_still_make_a_transcript(client, ledger):
    response = download(client, ledger.teacher, start="0001-01-01", end="9999-12-31")

    assert response.status_code == 200
    assert "Summer institute" in pdf_text(response.content)


def made_up_transcript(rows: list[Row]) -> Transcript:
    return Transcript(
        person=Person(pk=1, username="teacher1", first_name="Ana", last_name="Ortiz"),
        district=District(pk=1, name="Riverbend Unified", slug="riverbend"),
        start=FROM,
        end=TO,
        rows=tuple(rows),
        total=total_of("All learning", rows),
        by_designation=(),
    )


def test_a_long_transcript_prints_every_entry_across_its_pages():
    titles = ["Round: how students explain their reasoning", "Swap day: feedback"]
    rows = [
        Row(
            date=date(2026, 8, 1 + i % 28),
            activity="observed" if i % 2 else "debrief",
            title=f"{titles[i % 2]} {i}",
            minutes=15 + i,
            credits=(Decimal(15 + i) / 60).quantize(Decimal("0.01")),
            credit_unit="clock_hours",
            designations=("Equity hours",) if i % 3 == 0 else (),
            status="verified" if i % 5 else "approved",
        )
        for i in range(90)
    ]

    pdf = transcript_pdf(made_up_transcript(rows), issued_on=date(2026, 12, 2))

    text = pdf_text(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages > 1
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    # The column headings head every page the entries continue on, and no other.
    texts = page_texts(pdf)
    holding = [i for i, page in enumerate(texts) if "· Verified" in page or "· Approved" in page]
    assert len(holding) > 1
    assert [i for i, page in enumerate(texts) if CONTINUED in page] == holding[1:]
    for row in rows:
        kind = "Equity hours · " if row.designations else ""
        line = (
            f"{row.date:%b} {row.date.day}, 2026 {row.minutes} {row.credits_number} "
            f"{row.title} · {row.activity_label} · {kind}{row.status_label}"
        )
        assert line in text, line
    assert "All learning (90 entries)" in text


CONTINUED = "Learning · kind · designations · status (continued)"


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_page_after_the_entries_end_does_not_repeat_their_headings():
    rows = [
        Row(
            date=date(2026, 8, 1 + i),
            activity="observed",
            title=f"Round {i}",
            minutes=15,
            credits=Decimal("0.25"),
            credit_unit="clock_hours",
            designations=(),
            status="verified",
        )
        for i in range(25)  # page 1 holds them; the totals and the link go on page 2
    ]

    pages = page_texts(transcript_pdf(made_up_transcript(rows), issued_on=date(2026, 12, 2)))

    assert len(pages) == 2
    assert "Round 24" in pages[0] and "Verify this transcript" in pages[1]
    assert not any(CONTINUED in page for page in pages)


def test_entries_in_different_credit_types_each_say_theirs():
    rows = [
        Row(
            date(2026, 9, 1), "observed", "Round one", 60, Decimal(1), "clock_hours", (), "verified"
        ),
        Row(date(2027, 1, 9), "observed", "Round two", 60, Decimal("0.1"), "ceu", (), "verified"),
    ]

    text = pdf_text(transcript_pdf(made_up_transcript(rows), issued_on=date(2027, 2, 1)))

    assert (
        "Sep 1, 2026 60 1.00 Round one · Observing a visit · Verified · credits in clock hours"
        in text
    )
    assert "Jan 9, 2027 60 0.10 Round two · Observing a visit · Verified · credits in CEUs" in text
    assert "0.1 CEUs; 1 clock hour" in text
