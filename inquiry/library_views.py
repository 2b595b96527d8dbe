"""The district's library of plans that worked: evidence tools and look-for sets a cycle's
facilitator shared, for other schools' facilitators to copy into their own cycles. The
library shows the plan, its school and its author, never evidence."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opendoors import access
from opendoors.fields import is_id
from opendoors.http import AuthenticatedRequest

from .models import Cycle, SharedPlanKind
from .services import plan_copy, plan_share, plan_unshare
from .structures import EvidencePart

BACK_TO = {
    SharedPlanKind.EVIDENCE_TOOL: "inquiry:evidence_tool",
    SharedPlanKind.LOOK_FORS: "inquiry:look_fors",
}


class ShareForm(forms.Form):
    kind = forms.ChoiceField(choices=SharedPlanKind.choices)


@login_required
def library(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The district's shared plans; `?for=<cycle>` offers to copy them into a cycle the person
    facilitates."""
    school, shared = access.shared_plans_of_district(request.user, slug)
    plans = list(shared)
    labels = dict(EvidencePart.choices)
    tools = [
        (plan, [(labels.get(part.get("kind"), ""), part) for part in plan.content])
        for plan in plans
        if plan.kind == SharedPlanKind.EVIDENCE_TOOL
    ]
    context = {
        "school": school,
        "target": _target_cycle(request),
        "tools": tools,
        "look_for_sets": [plan for plan in plans if plan.kind == SharedPlanKind.LOOK_FORS],
        "leads": access.leads_district(request.user, school.district_id),
    }
    return render(request, "inquiry/library.html", context)


def _target_cycle(request: AuthenticatedRequest) -> Cycle | None:
    wanted = request.GET.get("for", "")
    if not is_id(wanted):
        return None
    cycle = access.cycles_visible_to(request.user).filter(pk=wanted).first()
    return cycle if cycle and access.is_facilitator(request.user, cycle) else None


@require_POST
@login_required
def share(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to share: the evidence tool or the look-fors.")
        return redirect("inquiry:cycle", cycle_id=cycle.pk)
    kind = form.cleaned_data["kind"]
    try:
        plan_share(cycle=cycle, kind=kind, author=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            f"Shared with the district's library as “{cycle.title}”, with {cycle.school} and "
            "your name. Other schools can copy it; no evidence goes with it.",
        )
    return redirect(BACK_TO[kind], cycle_id=cycle.pk)


@require_POST
@login_required
def copy(request: AuthenticatedRequest, cycle_id: int, plan_id: int) -> HttpResponse:
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    plan = access.shared_plan_for_cycle(request.user, cycle, plan_id)
    try:
        added = plan_copy(shared=plan, cycle=cycle)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(BACK_TO[SharedPlanKind(plan.kind)], cycle_id=cycle.pk)
    what = "part" if plan.kind == SharedPlanKind.EVIDENCE_TOOL else "look-for"
    if added:
        plural = what if added == 1 else f"{what}s"
        messages.success(request, f"Copied {added} {plural} from “{plan.title}” ({plan.school}).")
    else:
        messages.info(request, f"Your cycle already has all the {what}s of “{plan.title}”.")
    return redirect(BACK_TO[SharedPlanKind(plan.kind)], cycle_id=cycle.pk)


@require_POST
@login_required
def remove(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = access.shared_plan_for_remover(request.user, plan_id)
    plan_unshare(shared=plan)
    messages.success(request, f"“{plan.title}” is no longer in the district's library.")
    return redirect("inquiry:library", slug=plan.school.slug)
