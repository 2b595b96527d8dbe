"""Lincoln's teachers have hours in the demo: what the demo's cycles and meetings counted by
themselves (teacher1's over a semester), and learning they reported in a district that asks
for approval (approved, one returned, one of teacher1's waiting in the coach's queue); loading
again changes nothing."""

import pytest
from django.core.management import call_command

from growth.models import EntryStatus, LedgerEntry
from schools.models import District, Person


@pytest.mark.django_db
def test_lincoln_teachers_have_hours_from_the_demo_cycles_and_reported_learning(client, capsys):
    call_command("load_demo")
    lincoln = LedgerEntry.objects.filter(school__slug="lincoln")
    activities = set(lincoln.exclude(source="").values_list("activity", flat=True))
    assert {"observed", "hosted", "debrief", "plc_meeting"} <= activities
    statuses = sorted(lincoln.filter(source="").values_list("status", flat=True))
    assert statuses == sorted(
        [EntryStatus.APPROVED] * 2 + [EntryStatus.RETURNED] + [EntryStatus.SELF_REPORTED] * 2
    )
    assert District.objects.get(slug="riverbend").self_reported_needs_approval

    teacher1 = Person.objects.get(username="teacher1")
    client.force_login(teacher1)
    page = client.get("/hours/")
    months = {entry.date.replace(day=1) for entry in page.context["entries"] if entry.source}
    assert len(months) >= 4  # a semester, counted from meetings, visits and debriefs
    assert page.context["totals"].waiting == 1
    reported = [entry for entry in page.context["entries"] if not entry.source]
    assert len(reported) == 3
    client.force_login(Person.objects.get(username="coach"))
    queue = client.get("/schools/lincoln/hours/approvals/")
    assert teacher1 in {entry.person for entry, _ in queue.context["rows"]}

    ids = set(LedgerEntry.objects.values_list("entry_id", flat=True))
    call_command("load_demo")
    assert set(LedgerEntry.objects.values_list("entry_id", flat=True)) == ids
