"""Writes to a school's improvement goals (add, rename, reorder, archive): each change is one
transaction and one entry in the district's audit log, like the school's other settings."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import ImprovementGoal, Person, School
from .services import audit_record


def _audit(goal: ImprovementGoal, actor: Person, action: str, summary: str) -> None:
    audit_record(
        district=goal.school.district,
        school=goal.school,
        actor=actor,
        action=action,
        summary=summary,
    )


@transaction.atomic
def improvement_goal_add(
    *, school: School, actor: Person, title: str, description: str
) -> ImprovementGoal:
    """A new goal, after the school's others."""
    last = ImprovementGoal.objects.filter(school=school).aggregate(last=Max("position"))["last"]
    goal = ImprovementGoal.objects.create(
        school=school,
        title=title,
        description=description,
        position=0 if last is None else last + 1,
    )
    _audit(goal, actor, "improvement_goal_added", f"{actor} added the goal “{title}” at {school}.")
    return goal


@transaction.atomic
def improvement_goal_change(
    *, goal: ImprovementGoal, actor: Person, title: str, description: str
) -> bool:
    """New words for a goal; whether anything changed."""
    before = goal.title
    if (goal.title, goal.description) == (title, description):
        return False
    goal.title, goal.description = title, description
    goal.save(update_fields=["title", "description"])
    renamed = f"renamed the goal “{before}” to “{title}”" if before != title else ""
    described = f"changed the description of “{title}”" if not renamed else ""
    _audit(
        goal,
        actor,
        "improvement_goal_changed",
        f"{actor} {renamed or described} at {goal.school}.",
    )
    return True


@transaction.atomic
def improvement_goal_move(*, goal: ImprovementGoal, actor: Person, up: bool) -> bool:
    """Swap a goal with its neighbour among the school's current goals; whether it moved."""
    goals = list(
        ImprovementGoal.objects.select_for_update().filter(
            school=goal.school_id, archived_at__isnull=True
        )
    )
    at = next((i for i, g in enumerate(goals) if g.pk == goal.pk), None)
    if at is None:
        return False
    to = at - 1 if up else at + 1
    if not 0 <= to < len(goals):
        return False
    goals[at], goals[to] = goals[to], goals[at]
    for position, each in enumerate(goals):
        each.position = position
    ImprovementGoal.objects.bulk_update(goals, ["position"])
    _audit(
        goal,
        actor,
        "improvement_goal_moved",
        f"{actor} moved the goal “{goal.title}” {'up' if up else 'down'} at {goal.school}.",
    )
    return True


@transaction.atomic
def improvement_goal_archived_set(*, goal: ImprovementGoal, actor: Person, archived: bool) -> bool:
    """Archive a goal (cycles keep naming it; it leaves the focus form's choices and the
    strategy) or bring it back, last; whether anything changed."""
    if (goal.archived_at is not None) == archived:
        return False
    goal.archived_at = timezone.now() if archived else None
    fields = ["archived_at"]
    if not archived:
        last = ImprovementGoal.objects.filter(school=goal.school_id).aggregate(
            last=Max("position")
        )["last"]
        goal.position = (last or 0) + 1
        fields.append("position")
    goal.save(update_fields=fields)
    _audit(
        goal,
        actor,
        "improvement_goal_archived" if archived else "improvement_goal_restored",
        f"{actor} {'archived' if archived else 'brought back'} the goal “{goal.title}” at "
        f"{goal.school}.",
    )
    return True
