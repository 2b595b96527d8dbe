"""Pages for setting a goal after a visit or at a team's meeting, and answering its
follow-up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest

from .forms import FollowUpForm, GoalForm, ShareForm
from .selectors import own_goals_at
from .services import follow_up_answer, follow_up_share, goal_set


@require_http_methods(["GET", "POST"])
@login_required
def goal_new(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_participant(request.user, cycle_id)
    visit = access.visit_of_cycle_or_none(request.user, cycle, request.GET.get("visit"))
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        goal = goal_set(person=request.user, cycle=cycle, visit=visit, **form.cleaned_data)
        messages.success(
            request,
            f"Goal saved. OpenDoors will check in with you on {goal.follow_up.due_on:%b %-d}.",
        )
        return redirect("inquiry:cycle", cycle_id=cycle.pk)
    context = {"cycle": cycle, "visit": visit, "form": form}
    return render(request, "growth/goal_new.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def goal_at_meeting(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    """A member of the team sets their goal at the end of its meeting; nobody else reads it."""
    meeting = access.meeting_for_goal_setter(request.user, meeting_id)
    form = GoalForm(request.POST if request.method == "POST" else None, at_meeting=True)
    if request.method == "POST" and form.is_valid():
        goal = goal_set(person=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(
            request,
            f"Goal saved. OpenDoors will check in with you on {goal.follow_up.due_on:%b %-d}.",
        )
        return redirect("teams:meeting", meeting_id=meeting.pk)
    context = {"meeting": meeting, "form": form, "mine": own_goals_at(request.user, meeting)}
    status = 400 if form.errors else 200
    return render(request, "growth/goal_at_meeting.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def follow_up(request: AuthenticatedRequest, follow_up_id: int) -> HttpResponse:
    item = access.follow_up_for_owner(request.user, follow_up_id)
    shared = (
        item.goal.cycle_id is not None and item.shared_with.filter(pk=item.goal.cycle_id).exists()
    )
    form = FollowUpForm(
        request.POST or None,
        instance=item,
        initial={"share": shared},
        of_a_cycle=item.goal.cycle_id is not None,
    )
    if request.method == "POST" and form.is_valid():
        follow_up_answer(
            follow_up=item,
            tried=form.cleaned_data["tried"],
            results=form.cleaned_data["results_as_anticipated"],
            why=form.cleaned_data["why"],
            share=form.cleaned_data["share"],
        )
        if item.goal.cycle_id is None:
            messages.success(request, "Thank you: your answer is saved in your portfolio.")
        else:
            messages.success(request, "Thank you: your answer goes to your next cycle's planning.")
        return redirect("home")
    context = {"item": item, "goal": item.goal, "form": form}
    return render(request, "growth/follow_up.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def follow_up_share_with_cycle(request: AuthenticatedRequest, cycle_id: int, follow_up_id: int):
    """The author shares an earlier answer with a cycle they take part in, or takes it back."""
    cycle = access.cycle_for_participant(request.user, cycle_id)
    item = access.follow_up_for_sharing(request.user, follow_up_id)
    form = ShareForm(request.POST)
    if form.is_valid():
        follow_up_share(follow_up=item, cycle=cycle, share=form.cleaned_data["share"])
        if form.cleaned_data["share"]:
            messages.success(request, "Shared with this cycle's facilitators.")
        else:
            messages.success(request, "No longer shared with this cycle's facilitators.")
    else:
        messages.error(request, "Choose to share or to stop sharing.")
    return redirect("inquiry:cycle", cycle_id=cycle.pk)
