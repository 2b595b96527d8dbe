"""A coach plans in place: look-fors, the evidence tool's parts and the cycle's people change
without a page load (htmx gets the changed fragment), removals can be undone, and every
change still works as a plain POST that comes back to the page."""

import pytest

from inquiry.models import Cycle, LookFor, ParticipantRole
from inquiry.services import look_for_add
from inquiry.tests.factories import make_round
from visits.services import visit_cancel
from visits.tests.helpers import entry, sync

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cycle(client, personas) -> Cycle:
    """The coach's round, two look-fors: "explain to a partner" (oral), "anchor chart"."""
    cycle, _ = make_round(personas)
    client.force_login(personas.coach)
    return cycle


def texts(cycle: Cycle) -> list[str]:
    return [lf.text for lf in cycle.look_fors.filter(retired=False)]


# Field errors only where the coach has been.


def test_a_recheck_shows_no_error_under_fields_not_reached_yet(client, personas):
    client.force_login(personas.coach)
    response = client.post(
        "/schools/lincoln/cycles/new/",
        {"structure": "rounds", "title": "", "_check": "1", "_touched": "structure"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "This field is required." not in response.content.decode()
    assert not Cycle.objects.exists()  # a re-check never saves


def test_a_recheck_shows_the_error_of_a_field_the_coach_has_left(client, personas):
    client.force_login(personas.coach)
    response = client.post(
        "/schools/lincoln/cycles/new/",
        {"structure": "rounds", "title": "", "_check": "1", "_touched": "structure,title"},
        **HTMX,
    )
    assert "This field is required." in response.content.decode()
    complete = {"structure": "rounds", "title": "Rounds", "_check": "1", "_touched": "*"}
    client.post("/schools/lincoln/cycles/new/", complete, **HTMX)
    assert not Cycle.objects.exists()  # even a complete form is only checked


def test_the_focus_recheck_judges_only_what_was_written(client, cycle):
    response = client.post(
        f"/cycles/{cycle.pk}/focus/",
        {"theory_of_action": "Students talk", "_check": "1", "_touched": "problem_of_practice"},
        **HTMX,
    )
    assert "this one has no" not in response.content.decode()
    response = client.post(
        f"/cycles/{cycle.pk}/focus/",
        {"theory_of_action": "Students talk", "_check": "1", "_touched": "theory_of_action"},
        **HTMX,
    )
    assert "this one has no “If”" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.theory_of_action == ""


def test_a_cycle_can_start_with_its_problem_of_practice(client, personas):
    client.force_login(personas.coach)
    client.post(
        "/schools/lincoln/cycles/new/",
        {"structure": "rounds", "title": "Talk", "problem_of_practice": "Few students explain."},
    )
    assert Cycle.objects.get().problem_of_practice == "Few students explain."


# Look-fors.


def test_the_kind_starts_on_oral_and_has_no_blank_choice(client, cycle):
    page = client.get(f"/cycles/{cycle.pk}/look-fors/").content.decode()
    kind = page.split("<legend>Kind</legend>")[1].split("</fieldset>")[0]
    assert "---------" not in kind
    assert kind.count('type="radio"') == 2
    assert 'value="oral"' in kind.split("checked")[0].rsplit("<input", 1)[1]
    response = client.post(f"/cycles/{cycle.pk}/look-fors/", {"text": "Students sketch"})
    assert response.status_code == 400  # a kind is required
    assert not cycle.look_fors.filter(text="Students sketch").exists()


def test_adding_in_place_grows_the_list_and_clears_the_form(client, cycle):
    response = client.post(
        f"/cycles/{cycle.pk}/look-fors/",
        {"text": "Students ask why", "kind": "oral"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="look-for-editor"' in html and "Students ask why" in html
    assert 'value=""' in html and "autofocus" in html  # ready for the next one
    assert texts(cycle)[-1] == "Students ask why"


def test_adding_without_javascript_comes_back_to_the_page(client, cycle):
    response = client.post(f"/cycles/{cycle.pk}/look-fors/", {"text": "Students ask why"})
    assert response.status_code == 400  # no kind: the page says so
    response = client.post(
        f"/cycles/{cycle.pk}/look-fors/", {"text": "Students ask why", "kind": "visual"}
    )
    assert response["Location"] == f"/cycles/{cycle.pk}/look-fors/"


def test_a_look_for_is_edited_in_place(client, cycle):
    first = cycle.look_fors.first()
    url = f"/cycles/{cycle.pk}/look-fors/{first.pk}/"
    form = client.get(f"{url}?edit=1", **HTMX).content.decode()
    assert 'name="text"' in form and "Save" in form and "Cancel" in form
    response = client.post(url, {"action": "save", "text": "  ", "kind": "oral"}, **HTMX)
    assert "This field is required." in response.content.decode()
    first.refresh_from_db()
    assert first.text == "Students explain their reasoning to a partner"
    response = client.post(
        url, {"action": "save", "text": "Students explain to a peer", "kind": "visual"}, **HTMX
    )
    assert "Students explain to a peer" in response.content.decode()
    first.refresh_from_db()
    assert (first.text, first.kind) == ("Students explain to a peer", "visual")
    shown = client.get(url, **HTMX).content.decode()  # "Cancel" draws it back
    assert "Students explain to a peer" in shown and 'name="text"' not in shown


def test_editing_without_javascript(client, cycle):
    first = cycle.look_fors.first()
    url = f"/cycles/{cycle.pk}/look-fors/{first.pk}/"
    assert client.get(f"{url}?edit=1")["Location"].endswith(f"?edit={first.pk}#lf-{first.pk}")
    page = client.get(f"/cycles/{cycle.pk}/look-fors/?edit={first.pk}").content.decode()
    assert f'id="lf-{first.pk}-text"' in page
    response = client.post(url, {"action": "save", "text": "Students explain", "kind": "oral"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text == "Students explain"


def test_look_fors_move_up_and_down_in_place(client, cycle):
    look_for_add(cycle=cycle, text="Students ask why", kind="oral")
    last = cycle.look_fors.last()
    response = client.post(f"/cycles/{cycle.pk}/look-fors/{last.pk}/", {"action": "up"}, **HTMX)
    assert 'id="look-for-editor"' in response.content.decode()
    assert texts(cycle) == [
        "Students explain their reasoning to a partner",
        "Students ask why",
        "Students use the anchor chart",
    ]


def test_a_removed_look_for_comes_back_with_undo_where_it_was(client, cycle):
    first = cycle.look_fors.first()
    response = client.post(
        f"/cycles/{cycle.pk}/look-fors/{first.pk}/", {"action": "remove"}, **HTMX
    )
    html = response.content.decode()
    assert "Removed “Students explain their reasoning to a partner”." in html and "Undo" in html
    assert not LookFor.objects.filter(pk=first.pk).exists()  # nothing recorded: deleted
    client.post(
        f"/cycles/{cycle.pk}/look-fors/",
        {"text": first.text, "kind": first.kind, "position": first.position},
        **HTMX,
    )
    assert texts(cycle) == [
        "Students explain their reasoning to a partner",
        "Students use the anchor chart",
    ]


def test_an_undo_sent_twice_puts_the_look_for_back_once(client, cycle):
    first = cycle.look_fors.first()
    client.post(f"/cycles/{cycle.pk}/look-fors/{first.pk}/", {"action": "remove"})
    undo = {"text": first.text, "kind": first.kind, "position": first.position}
    client.post(f"/cycles/{cycle.pk}/look-fors/", undo)
    replayed = client.post(f"/cycles/{cycle.pk}/look-fors/", undo, follow=True)
    assert "“Students explain their reasoning to a partner” is already a look-for." in (
        replayed.content.decode()
    )
    assert texts(cycle) == [
        "Students explain their reasoning to a partner",
        "Students use the anchor chart",
    ]


def test_the_same_look_for_is_not_added_twice_and_the_coach_is_told(client, cycle):
    response = client.post(
        f"/cycles/{cycle.pk}/look-fors/",
        {"text": "students use the anchor chart ", "kind": "visual"},
        **HTMX,
    )
    assert "“students use the anchor chart” is already a look-for." in response.content.decode()
    assert len(texts(cycle)) == 2


def test_the_look_for_to_keep_is_chosen_among_the_look_fors_never_a_blank(client, cycle):
    page = client.get(f"/cycles/{cycle.pk}/look-fors/").content.decode()
    assert "---------" not in page
    assert page.count('type="radio" name="keep"') == 2  # one choice per look-for, no blank


def test_a_look_for_with_evidence_is_retired_not_deleted(client, personas):
    cycle, visit = make_round(personas)
    used = cycle.look_fors.first()
    client.force_login(personas.colleague)
    sync(client, visit, [entry(visit.classrooms.get(), look_for=used.pk)])
    client.force_login(personas.coach)
    response = client.post(f"/cycles/{cycle.pk}/look-fors/{used.pk}/", {"action": "remove"}, **HTMX)
    assert "Retired “Students explain their reasoning to a partner”" in response.content.decode()
    used.refresh_from_db()
    assert used.retired  # kept: the evidence keeps its look-for
    client.post(f"/cycles/{cycle.pk}/look-fors/{used.pk}/", {"action": "restore"}, **HTMX)
    used.refresh_from_db()
    assert not used.retired


def test_removing_without_javascript_offers_undo_on_the_page(client, cycle):
    first = cycle.look_fors.first()
    response = client.post(f"/cycles/{cycle.pk}/look-fors/{first.pk}/", {"action": "remove"})
    assert response["Location"] == f"/cycles/{cycle.pk}/look-fors/"
    page = client.get(response["Location"]).content.decode()
    assert "Removed “Students explain their reasoning to a partner”." in page
    assert "Removed" not in client.get(response["Location"]).content.decode()  # once


# The evidence tool's parts.


def test_tool_parts_are_added_moved_removed_and_put_back_in_place(client, cycle):
    parts = f"/cycles/{cycle.pk}/evidence-tool/parts/"

    def kinds():
        cycle.refresh_from_db()
        return [part["kind"] for part in cycle.evidence_tool]

    assert kinds() == ["checklist", "talk_time", "notes"]
    response = client.post(parts, {"action": "add", "kind": "time_outs"}, **HTMX)
    assert (
        'id="tool-parts"' in response.content.decode() and "<html" not in response.content.decode()
    )
    client.post(parts, {"action": "up", "index": 3}, **HTMX)
    assert kinds() == ["checklist", "talk_time", "time_outs", "notes"]
    response = client.post(parts, {"action": "remove", "index": 1}, **HTMX)
    assert "Removed “Talk-time tracker”." in response.content.decode()
    assert kinds() == ["checklist", "time_outs", "notes"]
    client.post(parts, {"action": "restore", "kind": "talk_time", "index": 1}, **HTMX)
    assert kinds() == ["checklist", "talk_time", "time_outs", "notes"]


def test_a_part_put_back_twice_is_in_the_tool_once(client, cycle):
    parts = f"/cycles/{cycle.pk}/evidence-tool/parts/"
    client.post(parts, {"action": "remove", "index": 1})
    client.post(parts, {"action": "restore", "kind": "talk_time", "index": 1})
    replayed = client.post(parts, {"action": "restore", "kind": "talk_time", "index": 1})
    assert "already has this part" in client.get(replayed["Location"]).content.decode()
    cycle.refresh_from_db()
    assert [part["kind"] for part in cycle.evidence_tool] == ["checklist", "talk_time", "notes"]


def test_tally_labels_are_changed_in_place_and_checked(client, cycle):
    parts = f"/cycles/{cycle.pk}/evidence-tool/parts/"
    client.post(parts, {"action": "add", "kind": "tally", "labels": "Recall\nWhy"}, **HTMX)
    response = client.post(parts, {"action": "save", "index": 3, "labels": " "}, **HTMX)
    assert "at least one label" in response.content.decode()
    client.post(parts, {"action": "save", "index": 3, "title": "Questions", "labels": "Why"})
    cycle.refresh_from_db()
    assert cycle.evidence_tool[3] == {"kind": "tally", "title": "Questions", "labels": ["Why"]}


def test_the_last_part_stays(client, cycle):
    parts = f"/cycles/{cycle.pk}/evidence-tool/parts/"
    client.post(parts, {"action": "remove", "index": 0})
    client.post(parts, {"action": "remove", "index": 0})
    response = client.post(parts, {"action": "remove", "index": 0}, **HTMX)
    assert "needs at least one part" in response.content.decode()
    cycle.refresh_from_db()
    assert [part["kind"] for part in cycle.evidence_tool] == ["notes"]


# People.


def test_the_people_page_shows_what_each_person_teaches_and_when_they_are_free(
    client, personas, cycle
):
    personas.colleague.years_of_experience = 2
    personas.colleague.save()
    personas.teacher.years_of_experience = 12
    personas.teacher.save()
    page = client.get(f"/cycles/{cycle.pk}/people/").content.decode()
    assert "Ben Lee" in page and "science" in page and "new</span>" in page
    assert "12 years" in page
    # Ben teaches Mon 2, Mon 3 and Tue 3 of the six periods.
    assert "Mon 1, Tue 1, Tue 2" in page


def test_filters_narrow_the_list_in_place_and_as_a_plain_form(client, personas, cycle):
    personas.colleague.years_of_experience = 2
    personas.colleague.save()
    url = f"/cycles/{cycle.pk}/people/"
    by_subject = client.get(url, {"subject": "math"}, **HTMX).content.decode()
    assert "<html" not in by_subject and 'id="staff"' in by_subject
    assert "Ana Ortiz" in by_subject and "Ben Lee" not in by_subject
    assert "Showing 1 of" in by_subject
    new = client.get(url, {"experience": "new"}).content.decode()
    assert "Ben Lee" in new.split('id="staff"')[1] and "Ana Ortiz" not in new.split('id="staff"')[1]
    mon_2 = personas.school.terms.get().slots.get(day__label="Mon", period__label="2")
    free = client.get(url, {"free": mon_2.pk}, **HTMX).content.decode()
    assert "Ana Ortiz" not in free and "Ben Lee" not in free  # both teach then
    named = client.get(url, {"q": "orti"}, **HTMX).content.decode()
    assert "Ana Ortiz" in named and "Ben Lee" not in named
    junk = client.get(url, {"free": "x" * 30, "grade": "99"})
    assert junk.status_code == 200  # filters that do not parse are ignored


def test_a_part_is_switched_in_place(client, personas, cycle):
    url = f"/cycles/{cycle.pk}/people/"
    response = client.post(
        url, {"person": personas.bystander.pk, "role": "observer", "on": "on"}, **HTMX
    )
    html = response.content.decode()
    assert f'id="person-{personas.bystander.pk}"' in html and 'aria-pressed="true"' in html
    assert 'hx-swap-oob="true"' in html  # the counts follow
    assert cycle.participants.filter(person=personas.bystander, role="observer").exists()
    client.post(url, {"person": personas.bystander.pk, "role": "observer"}, **HTMX)
    assert not cycle.participants.filter(person=personas.bystander, role="observer").exists()


def test_a_part_switched_without_javascript_comes_back_with_the_filters(client, personas, cycle):
    response = client.post(
        f"/cycles/{cycle.pk}/people/",
        {"person": personas.bystander.pk, "role": "host", "on": "on", "back": "subject=math"},
    )
    assert response["Location"] == (
        f"/cycles/{cycle.pk}/people/?subject=math#person-{personas.bystander.pk}"
    )
    assert cycle.participants.filter(person=personas.bystander, role="host").exists()


def test_the_last_facilitator_stays_and_outsiders_are_refused(client, personas, cycle):
    url = f"/cycles/{cycle.pk}/people/"
    response = client.post(url, {"person": personas.coach.pk, "role": "facilitator"}, **HTMX)
    assert "keeps at least one facilitator" in response.content.decode()
    assert cycle.participants.filter(role=ParticipantRole.FACILITATOR).exists()
    response = client.post(
        url, {"person": personas.outsider.pk, "role": "observer", "on": "on"}, **HTMX
    )
    assert not cycle.participants.filter(person=personas.outsider).exists()


# People in a visit still to come keep their part until the visit changes.


def test_a_host_of_a_visit_still_to_come_keeps_the_part_until_that_visit_changes(client, personas):
    """Taking Ana's host part while she hosts next Monday's visit would leave the visit in her
    room and her pre-brief link broken: the coach is told which visit to change first."""
    cycle, visit = make_round(personas)
    client.force_login(personas.coach)
    url = f"/cycles/{cycle.pk}/people/"
    when = f"{visit.date:%a %b %-d}, period 1"
    link = f'<a href="/visits/{visit.pk}/change/">the visit on {when}</a>'
    said = f"Ana Ortiz hosts {link}: change or cancel that visit first."

    in_place = client.post(url, {"person": personas.teacher.pk, "role": "host"}, **HTMX)
    assert said in in_place.content.decode()
    assert cycle.participants.filter(person=personas.teacher, role="host").exists()

    plain = client.post(url, {"person": personas.teacher.pk, "role": "host"}, follow=True)
    assert said in plain.content.decode()
    assert cycle.participants.filter(person=personas.teacher, role="host").exists()

    visit_cancel(visit=visit)
    client.post(url, {"person": personas.teacher.pk, "role": "host"}, **HTMX)
    assert not cycle.participants.filter(person=personas.teacher, role="host").exists()


def test_an_observer_of_a_visit_still_to_come_keeps_the_part_also_in_the_all_at_once_save(
    client, personas
):
    cycle, _ = make_round(personas)
    client.force_login(personas.coach)
    url = f"/cycles/{cycle.pk}/people/"
    in_place = client.post(url, {"person": personas.colleague.pk, "role": "observer"}, **HTMX)
    assert "Ben Lee observes <a" in in_place.content.decode()
    everyone = {
        "observers": [personas.vice.pk],  # Ben left out
        "hosts": [personas.teacher.pk],
        "facilitators": [personas.coach.pk],
    }
    at_once = client.post(url, everyone)
    assert at_once.status_code == 400
    assert "Ben Lee observes <a" in at_once.content.decode()
    assert cycle.participants.filter(person=personas.colleague, role="observer").exists()


def test_people_of_a_visit_held_may_leave_the_cycle_and_the_visit_keeps_them(client, personas):
    cycle, visit = make_round(personas, held=True)
    client.force_login(personas.coach)
    client.post(f"/cycles/{cycle.pk}/people/", {"person": personas.teacher.pk, "role": "host"})
    assert not cycle.participants.filter(person=personas.teacher, role="host").exists()
    assert visit.classrooms.get().host == personas.teacher
