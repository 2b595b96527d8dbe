"""An export that posts entries while the district's credit rules change, or while the nightly
refresh corrects them: what was exported is what stays posted. Posting, re-crediting and
correcting take the district's row first, so that what a re-credit or a refresh read cannot
be written over entries posted meanwhile (PostgreSQL only, as in tests/concurrency.py)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from growth.ledger import export_rows
from growth.models import LedgerEntry
from growth.services import ledger_post, ledger_refresh
from inquiry.models import Cycle
from inquiry.tests.factories import make_round
from schools.services import district_credits_change
from tests.concurrency import at_once, postgresql_only

pytestmark = pytest.mark.django_db(transaction=True)

CEUS = {
    "minutes_per_clock_hour": 60,
    "credit_unit": "ceu",
    "clock_hours_per_credit": Decimal(10),
    "credit_rounding": "none",
}


def paused_before_writing_entries(change, writing, posted):
    """`change`, which waits, once it has read the entries and is about to write them, for
    the export to post (or for 2 s, when the export waits for it)."""

    def pause(execute, sql, params, many, context):
        if sql.startswith('UPDATE "growth_ledgerentry"'):
            writing.set()
            posted.wait(timeout=2)
        return execute(sql, params, many, context)

    def run():
        with connection.execute_wrapper(pause):
            return change()

    return run


def exporting(district, writing, posted):
    """Post and export the district's entries once the change is about to write; the rows."""

    def run():
        writing.wait(timeout=10)
        entries = LedgerEntry.objects.filter(district=district)
        ledger_post(district=district, entries=entries)
        header, *rows = export_rows(entries)
        exported = [dict(zip(header, row, strict=True)) for row in rows]
        posted.set()
        return {r["entry_id"]: (r["minutes"], r["credits"], r["credit_type"]) for r in exported}

    return run


def as_posted(district):
    return {
        str(e.entry_id): (e.minutes, f"{e.credits:f}", e.credit_unit)
        for e in LedgerEntry.objects.filter(district=district)
    }


def test_credits_changed_while_an_export_posts_leave_the_exported_credits_posted(personas):
    postgresql_only()
    district = personas.school.district
    make_round(personas, held=True)
    ledger_refresh(district=district)
    writing, posted = threading.Event(), threading.Event()

    def credits_change():
        return district_credits_change(
            district=district, actor=personas.district_leader, values=CEUS
        )

    changed, exported = at_once(
        paused_before_writing_entries(credits_change, writing, posted),
        exporting(district, writing, posted),
    )
    assert not isinstance(changed, Exception), changed
    assert isinstance(exported, dict) and exported, exported
    now = as_posted(district)
    assert now == exported
    assert all(unit == "ceu" for *_, unit in now.values())  # posted after the change


def test_a_refresh_correcting_entries_while_an_export_posts_leaves_the_exported_ones(personas):
    postgresql_only()
    district = personas.school.district
    cycle, _ = make_round(personas, held=True)
    ledger_refresh(district=district)
    Cycle.objects.filter(pk=cycle.pk).update(visit_minutes=cycle.visit_minutes + 10)
    writing, posted = threading.Event(), threading.Event()

    refreshed, exported = at_once(
        paused_before_writing_entries(lambda: ledger_refresh(district=district), writing, posted),
        exporting(district, writing, posted),
    )
    assert not isinstance(refreshed, Exception), refreshed
    assert isinstance(exported, dict) and exported, exported
    assert as_posted(district) == exported
    assert {minutes for minutes, *_ in exported.values()} == {cycle.visit_minutes + 10}
