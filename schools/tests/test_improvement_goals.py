"""A principal manages the school's improvement goals, the district leader writes the district's
strategy, a facilitator names the goal a cycle serves, and the district leader sees them all
together on the Strategy page; every change is in the audit log."""

import pytest

from inquiry.services import cycle_start
from inquiry.structures import Structure
from schools.models import AuditEntry, ImprovementGoal

pytestmark = pytest.mark.django_db


def titles(school) -> list[str]:
    return list(
        ImprovementGoal.objects.filter(school=school, archived_at__isnull=True).values_list(
            "title", flat=True
        )
    )


def test_a_principal_adds_renames_reorders_and_archives_the_school_s_goals(client, personas):
    client.force_login(personas.principal)
    settings = client.get("/schools/lincoln/settings/").content.decode()
    assert "/schools/lincoln/goals/" in settings
    for title in ("Every student explains their reasoning", "Reading across subjects"):
        response = client.post("/schools/lincoln/goals/", {"title": title, "description": ""})
        assert response.status_code == 302
    first, second = ImprovementGoal.objects.filter(school=personas.school)
    client.post(f"/schools/lincoln/goals/{second.pk}/action/", {"action": "up"})
    assert titles(personas.school) == [
        "Reading across subjects",
        "Every student explains their reasoning",
    ]
    client.post(
        f"/schools/lincoln/goals/{first.pk}/",
        {"title": "Students explain their reasoning", "description": "In every subject"},
    )
    client.post(f"/schools/lincoln/goals/{second.pk}/action/", {"action": "archive"})
    assert titles(personas.school) == ["Students explain their reasoning"]
    page = client.get("/schools/lincoln/goals/").content.decode()
    assert "Archived goals" in page and "Reading across subjects" in page
    actions = list(
        AuditEntry.objects.filter(action__startswith="improvement_goal").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == sorted(
        [
            "improvement_goal_added",
            "improvement_goal_added",
            "improvement_goal_moved",
            "improvement_goal_changed",
            "improvement_goal_archived",
        ]
    )


def test_bad_input_on_the_goals_page_answers_with_a_message(client, personas):
    goal = ImprovementGoal.objects.create(school=personas.school, title="Reasoning")
    client.force_login(personas.district_leader)
    assert client.post("/schools/lincoln/goals/", {"title": "   "}).status_code == 400
    assert client.post(f"/schools/lincoln/goals/{goal.pk}/", {"title": ""}).status_code == 400
    response = client.post(f"/schools/lincoln/goals/{goal.pk}/action/", {"action": "x"})
    assert response.status_code == 302
    assert titles(personas.school) == ["Reasoning"]


def test_a_facilitator_names_the_goal_a_cycle_serves_among_the_school_s_current_goals(
    client, personas
):
    goal = ImprovementGoal.objects.create(school=personas.school, title="Reasoning")
    old = ImprovementGoal.objects.create(
        school=personas.school, title="Old goal", archived_at="2025-01-01T00:00Z"
    )
    elsewhere = ImprovementGoal.objects.create(school=personas.other_school, title="Theirs")
    cycle = cycle_start(
        school=personas.school, structure=Structure.LAB, title="Lab", by=personas.coach
    )
    client.force_login(personas.coach)
    page = client.get(f"/cycles/{cycle.pk}/focus/").content.decode()
    assert "Reasoning" in page and "Old goal" not in page and "Theirs" not in page
    for refused in (old, elsewhere):
        response = client.post(f"/cycles/{cycle.pk}/focus/", {"improvement_goal": refused.pk})
        assert response.status_code == 400
    response = client.post(f"/cycles/{cycle.pk}/focus/", {"improvement_goal": goal.pk})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.improvement_goal == goal


def test_the_district_leader_writes_the_strategy_and_sees_each_school_s_goals_and_cycles(
    client, personas
):
    goal = ImprovementGoal.objects.create(school=personas.school, title="Reasoning")
    ImprovementGoal.objects.create(school=personas.other_school, title="Roosevelt reads")
    cycle = cycle_start(
        school=personas.school, structure=Structure.LAB, title="Number talks lab", by=personas.coach
    )
    cycle.improvement_goal = goal
    cycle.save()
    cycle_start(school=personas.school, structure=Structure.ROUNDS, title="R", by=personas.coach)
    client.force_login(personas.district_leader)
    form = client.get("/district/riverbend/settings/").context["form"]
    values = {name: value for name, value in form.initial.items() if value is not None}
    values["strategy"] = "Every student reasons aloud, in every classroom."
    assert client.post("/district/riverbend/settings/", values).status_code == 302
    entry = AuditEntry.objects.get(action="district_setting_changed")
    assert "the district's strategy (new text)" in entry.summary
    page = client.get("/district/riverbend/strategy/").content.decode()
    assert "Every student reasons aloud" in page
    assert "Reasoning" in page and "Number talks lab" in page and "Roosevelt reads" in page
    assert "1 cycle names no current goal" in page
