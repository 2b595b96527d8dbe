"""A school's improvement goals page, for its principals and the district's leaders: add,
rename, reorder, archive. Access is decided in opendoors.access; writes are in
goal_services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest

from .goal_forms import ImprovementGoalActionForm, ImprovementGoalForm
from .goal_services import (
    improvement_goal_add,
    improvement_goal_archived_set,
    improvement_goal_change,
    improvement_goal_move,
)
from .models import ImprovementGoal, School


def _page(
    request: AuthenticatedRequest,
    school: School,
    *,
    add_form: ImprovementGoalForm | None = None,
    editing: tuple[int, ImprovementGoalForm] | None = None,
) -> HttpResponse:
    goals = list(ImprovementGoal.objects.filter(school=school))
    for goal in goals:
        bound = editing[1] if editing and editing[0] == goal.pk else None
        goal.form = bound or ImprovementGoalForm(  # type: ignore[attr-defined]
            initial={"title": goal.title, "description": goal.description},
            auto_id=f"goal-{goal.pk}-%s",
        )
        goal.open = bound is not None  # type: ignore[attr-defined]
    context = {
        "school": school,
        "goals": [g for g in goals if g.archived_at is None],
        "archived": [g for g in goals if g.archived_at is not None],
        "add_form": add_form or ImprovementGoalForm(auto_id="goal-new-%s"),
        "leads_district": access.leads_district(request.user, school.district_id),
    }
    failed = (add_form is not None and add_form.errors) or editing is not None
    return render(request, "schools/goals.html", context, status=400 if failed else 200)


@require_http_methods(["GET", "POST"])
@login_required
def goals(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_leader(request.user, slug)
    if request.method == "GET":
        return _page(request, school)
    form = ImprovementGoalForm(request.POST, auto_id="goal-new-%s")
    if not form.is_valid():
        return _page(request, school, add_form=form)
    goal = improvement_goal_add(school=school, actor=request.user, **form.cleaned_data)
    messages.success(request, f"Goal “{goal.title}” added.")
    return redirect("schools:goals", slug=school.slug)


@require_POST
@login_required
def goal_edit(request: AuthenticatedRequest, slug: str, goal_id: int) -> HttpResponse:
    goal = access.improvement_goal_for_leader(request.user, slug, goal_id)
    form = ImprovementGoalForm(request.POST, auto_id=f"goal-{goal.pk}-%s")
    if not form.is_valid():
        return _page(request, goal.school, editing=(goal.pk, form))
    changed = improvement_goal_change(goal=goal, actor=request.user, **form.cleaned_data)
    messages.success(request, "Goal saved." if changed else "Nothing to save: nothing changed.")
    return redirect("schools:goals", slug=goal.school.slug)


@require_POST
@login_required
def goal_action(request: AuthenticatedRequest, slug: str, goal_id: int) -> HttpResponse:
    """Move a goal up or down, archive it or bring it back."""
    goal = access.improvement_goal_for_leader(request.user, slug, goal_id)
    form = ImprovementGoalActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose up, down, archive or bring back.")
        return redirect("schools:goals", slug=goal.school.slug)
    action = form.cleaned_data["action"]
    if action in {"up", "down"}:
        improvement_goal_move(goal=goal, actor=request.user, up=action == "up")
    elif improvement_goal_archived_set(goal=goal, actor=request.user, archived=action == "archive"):
        done = "archived: cycles that name it keep it" if action == "archive" else "brought back"
        messages.success(request, f"Goal “{goal.title}” {done}.")
    return redirect("schools:goals", slug=goal.school.slug)
