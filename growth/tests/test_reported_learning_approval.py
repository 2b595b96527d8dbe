"""A district chooses whether learning teachers report themselves needs approval. Where it
does, a reported entry waits in the coach's queue and counts once approved; where it does not,
it counts as self-reported at once and the queue says approval is not required. Either way,
My hours, the portfolio, the transcript and the district's export add up the same entries, and
turning the setting on or off changes no entry (one already posted keeps counting)."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from growth.ledger import ledger_for_export
from growth.models import EntryStatus, LedgerEntry
from growth.portfolio import portfolio_read
from growth.services import (
    Learning,
    LedgerRefused,
    learning_report,
    learning_review,
    ledger_refresh,
)
from growth.transcript import school_year_of, transcript_build
from inquiry.tests.factories import make_round

pytestmark = pytest.mark.django_db

SETTINGS = "/district/riverbend/settings/"
QUEUE = "/schools/lincoln/hours/approvals/"


def approval(personas, required: bool) -> None:
    district = personas.school.district
    district.self_reported_needs_approval = required
    district.save(update_fields=["self_reported_needs_approval"])


def report(personas, title="Lesson study: fractions", minutes=90, days_ago=3):
    return learning_report(
        person=personas.colleague,
        school=personas.school,
        learning=Learning(
            date=timezone.localdate() - timedelta(days=days_ago),
            activity="lesson_study",
            minutes=minutes,
            title=title,
            reflection="Number lines first",
        ),
    )


def totals_everywhere(client, personas) -> dict[str, int]:
    """The colleague's minutes this school year as My hours, the portfolio, the transcript and
    the district's export count them."""
    person, district = personas.colleague, personas.school.district
    client.force_login(person)
    my_hours = client.get("/hours/").context["totals"].minutes
    portfolio = portfolio_read(owner=person, sections=("hours",), own=True).hours
    assert portfolio is not None
    start, end = school_year_of(timezone.localdate())
    transcript = transcript_build(person=person, district=district, start=start, end=end)
    # What the district's CSV would hold (read without downloading it: that posts it).
    exported = sum(e.minutes for e in ledger_for_export(district, start, end).filter(person=person))
    return {
        "my hours": my_hours,
        "portfolio": portfolio.minutes,
        "transcript": transcript.total.minutes,
        "export": exported,
    }


def test_where_approval_is_asked_reported_learning_waits_in_the_queue_and_counts_once_approved(
    client, personas
):
    approval(personas, True)
    cycle, _ = make_round(personas, held=True)
    ledger_refresh(district=personas.school.district)
    waiting = report(personas)
    returned = report(personas, title="Reading, no pages", minutes=30)
    seen = cycle.visit_minutes

    client.force_login(personas.colleague)
    page = client.get("/hours/")
    assert page.context["totals"].minutes == seen and page.context["totals"].waiting == 2
    assert "Waiting for approval" in page.text
    assert set(totals_everywhere(client, personas).values()) == {seen}

    client.force_login(personas.coach)
    queue = client.get(QUEUE)
    assert [entry for entry, _ in queue.context["rows"]] == [waiting, returned]
    client.post(f"{QUEUE}{waiting.pk}/", {f"e{waiting.pk}-decision": "approve"})
    client.post(
        f"{QUEUE}{returned.pk}/",
        {f"e{returned.pk}-decision": "return", f"e{returned.pk}-comment": "Which pages?"},
    )
    client.force_login(personas.colleague)
    page = client.get("/hours/")
    assert "“Which pages?”" in page.text  # the returned entry carries its comment
    assert set(totals_everywhere(client, personas).values()) == {seen + 90}
    rows = exported_rows(client, personas)
    assert {(r["title"], r["status"]) for r in rows if r["activity"] == "self_reported"} == {
        ("Lesson study: fractions", "approved")
    }


def exported_rows(client, personas) -> list[dict[str, str]]:
    """The district's CSV, downloaded by its leader (which posts what it holds)."""
    client.force_login(personas.district_leader)
    response = client.post("/district/riverbend/hours/", {"start": "", "end": ""})
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_where_approval_is_not_asked_reported_learning_counts_at_once_everywhere(client, personas):
    cycle, _ = make_round(personas, held=True)
    ledger_refresh(district=personas.school.district)
    entry = report(personas)

    totals = totals_everywhere(client, personas)
    assert set(totals.values()) == {cycle.visit_minutes + 90}, totals
    client.force_login(personas.colleague)
    assert client.get("/hours/").context["totals"].waiting == 0

    client.force_login(personas.coach)
    queue = client.get(QUEUE)
    assert queue.context["rows"] == []
    assert "Approval is not required" in queue.text
    reviewed = client.post(f"{QUEUE}{entry.pk}/", {f"e{entry.pk}-decision": "approve"})
    assert reviewed.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SELF_REPORTED and entry.reviewed_by is None


def test_the_transcript_lists_self_reported_learning_where_no_approval_is_asked(personas):
    report(personas, title="Mentoring a first-year teacher")
    start, end = school_year_of(timezone.localdate())
    transcript = transcript_build(
        person=personas.colleague, district=personas.school.district, start=start, end=end
    )
    assert [(r.title, r.status_label) for r in transcript.rows] == [
        ("Mentoring a first-year teacher", "Self-reported")
    ]


def test_turning_approval_on_or_off_changes_no_entry_and_posted_learning_keeps_counting(
    client, personas
):
    posted = report(personas, title="Posted before the change", days_ago=10)
    exported_rows(client, personas)  # downloading the export posts it
    unposted = report(personas, title="Reported after the export", minutes=30)
    before = list(LedgerEntry.objects.order_by("pk").values())

    client.force_login(personas.district_leader)
    data = {
        "credit_unit": "clock_hours",
        "clock_hours_per_credit": "1",
        "credit_rounding": "none",
        "self_reported_needs_approval": "on",
    }
    response = client.post(f"{SETTINGS}credits/", data)
    assert response.status_code == 302
    personas.school.district.refresh_from_db()
    assert personas.school.district.self_reported_needs_approval
    assert list(LedgerEntry.objects.order_by("pk").values()) == before
    page = client.get(SETTINGS).content.decode()
    assert "Self-reported learning counts once approved" in page

    # The posted entry counts as HR holds it; the other now waits for a coach.
    assert set(totals_everywhere(client, personas).values()) == {posted.minutes}
    client.force_login(personas.coach)
    assert [entry for entry, _ in client.get(QUEUE).context["rows"]] == [unposted]
    posted.refresh_from_db()
    with pytest.raises(LedgerRefused, match="not waiting"):
        learning_review(entry=posted, reviewer=personas.coach, approve=True, comment="")

    client.force_login(personas.district_leader)
    client.post(f"{SETTINGS}credits/", {**data, "self_reported_needs_approval": ""})
    assert list(LedgerEntry.objects.order_by("pk").values()) == before
    assert set(totals_everywhere(client, personas).values()) == {posted.minutes + 30}
