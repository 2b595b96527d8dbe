"""An export that posts entries while the district's credit rules change: what was exported
is what stays posted. Posting and re-crediting take the district's row first, so that the
credits a re-credit read cannot be written over entries posted meanwhile (PostgreSQL only,
as in tests/concurrency.py)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from growth.ledger import export_rows
from growth.models import LedgerEntry
from growth.services import ledger_post, ledger_refresh
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


def test_credits_changed_while_an_export_posts_leave_the_exported_credits_posted(personas):
    postgresql_only()
    district = personas.school.district
    make_round(personas, held=True)
    ledger_refresh(district=district)
    writing, posted = threading.Event(), threading.Event()

    def credits_change():
        def pause_before_writing(execute, sql, params, many, context):
            # The re-credit has read the unposted entries and is about to write their
            # credits: the export gets its turn here, if it can.
            if sql.startswith('UPDATE "growth_ledgerentry"'):
                writing.set()
                posted.wait(timeout=2)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(pause_before_writing):
            return district_credits_change(
                district=district, actor=personas.district_leader, values=CEUS
            )

    def export():
        writing.wait(timeout=10)
        entries = LedgerEntry.objects.filter(district=district)
        ledger_post(district=district, entries=entries)
        header, *rows = export_rows(entries)
        exported = [dict(zip(header, row, strict=True)) for row in rows]
        posted.set()
        return {row["entry_id"]: (row["credits"], row["credit_type"]) for row in exported}

    changed, exported = at_once(credits_change, export)
    assert not isinstance(changed, Exception), changed
    assert isinstance(exported, dict) and exported, exported
    now = {
        str(entry.entry_id): (f"{entry.credits:f}", entry.credit_unit)
        for entry in LedgerEntry.objects.filter(district=district)
    }
    assert now == exported
    assert all(unit == "ceu" for _, unit in now.values())  # posted after the change
