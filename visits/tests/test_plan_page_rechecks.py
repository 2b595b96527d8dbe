"""The Visits page as the coach fills it in: a re-check names only the problems of what she
has touched and redraws only what depends on her choices; "Propose a schedule" starts on next
week and answers an empty or odd week under its field; a proposal emptied by hand says there
is nothing to publish (review of issue 14)."""

import re
from datetime import date

import pytest

from inquiry.services import cycle_start, participants_set
from inquiry.tests.factories import next_weekday
from schools.models import Term
from visits.forms import next_school_monday
from visits.models import Proposal, Visit

pytestmark = pytest.mark.django_db
MONDAY = next_weekday(0)
REQUIRED = "This field is required."


@pytest.fixture
def cycle(personas):
    cycle = cycle_start(
        school=personas.school, structure="rounds", title="Rounds", by=personas.coach
    )
    participants_set(
        cycle=cycle,
        observers=[personas.colleague, personas.principal],
        hosts=[personas.teacher, personas.colleague],
        facilitators=[personas.coach],
    )
    return cycle


def recheck(client, cycle, touched: str, **data):
    """What htmx posts as the coach changes the form: touched.js names the fields left."""
    return client.post(
        f"/cycles/{cycle.pk}/visits/",
        {"action": "check", "_touched": touched, **data},
        HTTP_HX_REQUEST="true",
    )


def text_of(part: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))


def between(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_ticking_the_first_host_names_no_field_she_has_not_reached(client, personas, cycle):
    client.force_login(personas.coach)
    page = recheck(client, cycle, "hosts", hosts=[personas.teacher.pk])
    assert page.status_code == 200
    assert REQUIRED not in page.content.decode()
    assert not Visit.objects.exists()


def test_a_touched_field_left_empty_says_so_under_that_field_only(client, personas, cycle):
    client.force_login(personas.coach)
    page = recheck(client, cycle, "date,hosts", date="").content.decode()
    assert REQUIRED in text_of(between(page, 'id="date-errors"', "</div>"))
    assert REQUIRED in text_of(between(page, 'id="hosts-errors"', "</div>"))
    assert REQUIRED not in text_of(between(page, 'id="observers-errors"', "</div>"))
    assert REQUIRED not in text_of(between(page, 'id="visit-periods"', "</fieldset>"))


def test_placing_without_javascript_still_names_every_missing_field(client, personas, cycle):
    client.force_login(personas.coach)
    page = client.post(f"/cycles/{cycle.pk}/visits/", {"action": "place"})
    assert page.status_code == 400
    assert page.content.decode().count(REQUIRED) >= 4  # date, hosts, period, observers


def test_a_recheck_redraws_the_choices_never_the_boxes_being_ticked(client, personas, cycle):
    """The form asks htmx to swap only the periods, who is free and the error lines: the
    inputs the coach operates are outside them, and an overtaken reply is dropped."""
    client.force_login(personas.coach)
    page = client.get(f"/cycles/{cycle.pk}/visits/").content.decode()
    found = re.search(r'<form[^>]*id="visit-form"[^>]*>', page)
    assert found
    form = found.group(0)
    assert 'hx-sync="this:replace"' in form and "data-recheck" in form
    assert 'hx-target="#visit-periods"' in form and 'hx-select="#visit-periods"' in form
    swapped = re.search(r'hx-select-oob="([^"]+)"', form)
    assert swapped and "#visit-availability" in swapped.group(1)
    for part in ('id="visit-periods"', 'id="visit-availability"'):
        redrawn = between(page, part, "</fieldset>" if "periods" in part else "</form>")
        assert 'name="hosts"' not in redrawn and 'name="observers"' not in redrawn
        assert 'name="date"' not in redrawn


def test_the_week_to_propose_starts_on_next_weeks_monday(client, personas, cycle):
    client.force_login(personas.coach)
    page = client.get(f"/cycles/{cycle.pk}/visits/").content.decode()
    week = re.search(r'<input[^>]*name="monday"[^>]*>', page)
    assert week and f'value="{next_school_monday(None).isoformat()}"' in week.group(0)
    assert next_school_monday(None).weekday() == 0


def test_next_school_monday_is_next_week_or_the_terms_first_week():
    assert next_school_monday(None, date(2026, 9, 9)) == date(2026, 9, 14)  # a Wednesday
    assert next_school_monday(None, date(2026, 9, 14)) == date(2026, 9, 21)  # a Monday
    assert next_school_monday(None, date(2026, 9, 13)) == date(2026, 9, 14)  # a Sunday
    later = Term(starts_on=date(2026, 10, 7))
    assert next_school_monday(later, date(2026, 9, 9)) == date(2026, 10, 5)


@pytest.mark.parametrize(
    ("week", "message"),
    [("", "Choose the week to schedule."), ("soon", "Enter the week as a date")],
)
def test_an_empty_or_odd_week_is_answered_under_the_field(client, personas, cycle, week, message):
    client.force_login(personas.coach)
    answer = client.post(f"/cycles/{cycle.pk}/proposals/", {"monday": week, "time_limit": 5})
    assert answer.status_code == 400
    page = answer.content.decode()
    field = between(page, 'data-field="monday"', "</div>")
    assert message in text_of(field) and 'aria-invalid="true"' in field
    assert not Proposal.objects.exists()
    # The visit form on that page still posts to the Visits page, not to the proposal's.
    assert f'hx-post="/cycles/{cycle.pk}/visits/"' in page


@pytest.mark.django_db(transaction=True)
def test_a_proposal_emptied_by_hand_says_there_is_nothing_to_publish(client, personas, run_tasks):
    from visits.tests.test_proposals import rows_of, solved

    proposal = solved(client, personas, run_tasks)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Ready to review" in page and "Nothing to publish" not in page
    for row in rows_of(proposal):
        client.post(
            f"/proposals/{proposal.pk}/change/",
            {"action": "remove", "key": row.key},
            HTTP_HX_REQUEST="true",
        )
    answer = client.get(f"/proposals/{proposal.pk}/", HTTP_HX_REQUEST="true").content.decode()
    badge = re.search(r'<span class="badge[^"]*">([^<]+)</span>', answer)
    assert badge and badge.group(1) == "Nothing to publish"
    assert "Ready to review" not in answer
