"""A lab's hosts write a pre-brief, so its facilitator's checklist asks for them; a round's
checklist does not, unless its facilitator turns pre-briefs on."""

import pytest
from django.urls import reverse

from inquiry.services import pre_brief_save
from inquiry.structures import Structure
from inquiry.tests.factories import make_round

pytestmark = pytest.mark.django_db


def overview(client, personas, cycle):
    client.force_login(personas.coach)
    response = client.get(reverse("inquiry:cycle", args=[cycle.pk]))
    steps = {step.name: step for step in response.context["steps"]}
    return steps, response.content.decode()


def test_a_labs_checklist_asks_for_each_hosts_pre_brief_until_it_is_written(client, personas):
    cycle, _ = make_round(personas, structure=Structure.LAB)
    steps, page = overview(client, personas, cycle)
    assert steps["Pre-briefs"].required and not steps["Pre-briefs"].done
    assert f'href="/cycles/{cycle.pk}/#pb-h">Pre-briefs</a>' in page
    assert "Write the pre-brief" in page

    pre_brief_save(
        cycle=cycle, host=personas.teacher, instructional_goal="Compare", expectations="", focus=""
    )
    steps, _ = overview(client, personas, cycle)
    assert steps["Pre-briefs"].done


def test_a_rounds_checklist_has_no_pre_brief_step_unless_the_facilitator_turns_it_on(
    client, personas
):
    cycle, _ = make_round(personas, structure=Structure.ROUNDS)
    steps, page = overview(client, personas, cycle)
    assert "Pre-briefs" not in steps and "Write the pre-brief" not in page

    cycle.needs_pre_brief = True
    cycle.save()
    steps, page = overview(client, personas, cycle)
    assert steps["Pre-briefs"].required and "Write the pre-brief" in page


def test_a_pre_brief_written_before_they_were_turned_off_stays_readable(client, personas):
    cycle, _ = make_round(personas, structure=Structure.LAB)
    pre_brief_save(
        cycle=cycle, host=personas.teacher, instructional_goal="Compare", expectations="", focus=""
    )
    cycle.needs_pre_brief = False
    cycle.save()
    steps, page = overview(client, personas, cycle)
    assert "Pre-briefs" not in steps and "Compare" in page
