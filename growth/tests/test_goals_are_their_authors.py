"""Goals and follow-up answers are their author's. A cycle's facilitators read one only where
its author shared it with that cycle; otherwise they see counts over at least k people. A
principal who builds a cycle around a teacher learns nothing more."""

import pytest
from django.utils import timezone

from growth.models import Goal
from growth.services import follow_up_answer, goal_set
from inquiry.services import cycle_start, participants_set
from inquiry.tests.factories import make_round
from schools.tests.factories import make_person

TODAY = timezone.localdate()


def answered(person, cycle, *, text: str, why: str, tried: bool = True, share: bool = False):
    goal = goal_set(person=person, cycle=cycle, text=text, try_by=TODAY)
    follow_up_answer(follow_up=goal.follow_up, tried=tried, results="partly", why=why, share=share)
    return goal


def principals_cycle(personas, *observers):
    cycle = cycle_start(
        school=personas.school, structure="lab", title="Around one teacher", by=personas.principal
    )
    participants_set(
        cycle=cycle, observers=list(observers), hosts=[], facilitators=[personas.principal]
    )
    return cycle


@pytest.mark.django_db
def test_a_principal_who_builds_a_cycle_around_a_teacher_does_not_read_her_answers(
    client, personas
):
    round_, _ = make_round(personas)
    answered(personas.colleague, round_, text="Cold-call less", why="My class froze up")
    cycle = principals_cycle(personas, personas.colleague)
    client.force_login(personas.principal)
    page = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert "Cold-call less" not in page and "My class froze up" not in page
    assert "the others stay private, and are not counted" in page


@pytest.mark.django_db
def test_sharing_with_one_cycle_does_not_share_with_the_next(client, personas):
    round_, _ = make_round(personas)
    answered(personas.colleague, round_, text="Wait time", why="More hands", share=True)
    client.force_login(personas.coach)  # the round's facilitator: shared with the round
    assert "More hands" in client.get(f"/cycles/{round_.pk}/").content.decode()
    cycle = principals_cycle(personas, personas.colleague)
    client.force_login(personas.principal)
    assert "More hands" not in client.get(f"/cycles/{cycle.pk}/").content.decode()


@pytest.mark.django_db
def test_the_author_shares_an_earlier_answer_with_a_new_cycle_and_can_take_it_back(
    client, personas
):
    round_, _ = make_round(personas)
    goal = answered(personas.colleague, round_, text="Wait time", why="More hands")
    cycle = principals_cycle(personas, personas.colleague)
    share = f"/cycles/{cycle.pk}/follow-ups/{goal.follow_up.pk}/share/"
    client.force_login(personas.colleague)
    assert "More hands" in client.get(f"/cycles/{cycle.pk}/").content.decode()  # their own
    assert client.post(share, {"share": "yes"}).status_code == 302
    client.force_login(personas.principal)
    assert "More hands" in client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert client.post(share, {"share": "yes"}).status_code == 404  # not theirs to share
    client.force_login(personas.colleague)
    client.post(share, {"share": "no"})
    client.force_login(personas.principal)
    assert "More hands" not in client.get(f"/cycles/{cycle.pk}/").content.decode()


@pytest.mark.django_db
def test_a_goal_is_shared_only_when_its_author_chooses(client, personas):
    round_, visit = make_round(personas)
    client.force_login(personas.colleague)
    client.post(
        f"/cycles/{round_.pk}/goal/?visit={visit.pk}",
        {"text": "Private plan", "try_by": TODAY.isoformat()},
    )
    client.post(
        f"/cycles/{round_.pk}/goal/",
        {"text": "Shared plan", "try_by": TODAY.isoformat(), "shared_with_facilitators": "on"},
    )
    assert Goal.objects.count() == 2
    client.force_login(personas.coach)
    page = client.get(f"/cycles/{round_.pk}/").content.decode()
    assert "Shared plan" in page and "Private plan" not in page


@pytest.mark.django_db
def test_the_follow_up_form_shares_only_when_ticked(client, personas):
    round_, _ = make_round(personas)
    goal = goal_set(person=personas.colleague, cycle=round_, text="x", try_by=TODAY)
    client.force_login(personas.colleague)
    form = {"tried": "yes", "results_as_anticipated": "yes", "why": "It worked"}
    client.post(f"/follow-ups/{goal.follow_up.pk}/", form)
    client.force_login(personas.coach)
    assert "It worked" not in client.get(f"/cycles/{round_.pk}/").content.decode()
    client.force_login(personas.colleague)
    client.post(f"/follow-ups/{goal.follow_up.pk}/", {**form, "share": "on"})
    client.force_login(personas.coach)
    assert "It worked" in client.get(f"/cycles/{round_.pk}/").content.decode()


@pytest.mark.django_db
def test_adding_a_participant_tells_the_facilitator_nothing_of_their_answers(client, personas):
    """Counts over people the facilitator chooses could be read before and after adding one
    person, and subtracted: the overview shows none."""
    round_, _ = make_round(personas)
    people = [make_person(f"t{i}", personas.school, "teacher") for i in range(3)]
    for person in people:
        answered(person, round_, text="secret goal", why="secret why", tried=True)
    answered(personas.vice, round_, text="vice goal", why="vice why", tried=False)
    cycle = principals_cycle(personas, *people)
    client.force_login(personas.principal)
    before = client.get(f"/cycles/{cycle.pk}/").content.decode()
    participants_set(
        cycle=cycle, observers=[*people, personas.vice], hosts=[], facilitators=[personas.principal]
    )
    after = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert "secret" not in after and "vice goal" not in after and "vice why" not in after
    section = lambda page: page[page.index('id="fu-h"') :].split("</section>")[0]  # noqa: E731
    assert section(before) == section(after)
