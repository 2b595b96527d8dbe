"""Pages for planning a cycle of inquiry; participants read its overview and pre-briefs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendoors import access
from opendoors.forms import touched_fields
from opendoors.http import AuthenticatedRequest
from opendoors.security import private_no_store
from opendoors.uploads import attachment

from . import forms, services
from .board import facilitator_board
from .evidence_tool import tool_drawn
from .models import PreBrief, Stage
from .selectors import (
    cycle_overview,
    cycles_for_school_page,
    earlier_follow_ups,
    goals_of_cycle,
)
from .stages import cycle_stage, stage_facts, stage_shown
from .takeaways import goal_summary, takeaways_for


@require_GET
@login_required
def cycle_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_viewer(request.user, slug)
    now = timezone.now()
    # "My cycles": the board of those the person facilitates, then the others they are in.
    board = facilitator_board(request.user, now=now, school=school)
    on_board = {card.cycle.pk for card in [*board.open, *board.closed]}
    others = [
        c
        for c in cycles_for_school_page(access.cycles_visible_to(request.user), school)
        if c.pk not in on_board
    ]
    facts = stage_facts(others) if others else {}
    context = {
        "school": school,
        "board": board,
        "cycles": [(c, stage_shown(c, facts[c.pk], now)) for c in others],
        "can_start": access.can_start_cycle(request.user, school),
        # The school's principals and the district's leaders also see every cycle of it.
        "leads": access.leads_school(request.user, school),
    }
    return render(request, "inquiry/cycle_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def cycle_start(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_cycle_starter(request.user, slug)
    form = forms.CycleStartForm(request.POST or None, touched=touched_fields(request))
    if _rechecked(request, form):
        return render(request, "inquiry/cycle_start.html", {"school": school, "form": form})
    if request.method == "POST" and form.is_valid():
        cycle = services.cycle_start(school=school, by=request.user, **form.cleaned_data)
        messages.success(request, "Cycle started. Next: write the focus.")
        return redirect("inquiry:focus", cycle_id=cycle.pk)
    status = 400 if form.errors else 200
    return render(
        request, "inquiry/cycle_start.html", {"school": school, "form": form}, status=status
    )


@require_GET
@login_required
def cycle_detail(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_participant(request.user, cycle_id)
    context = cycle_overview(cycle=cycle, viewer=request.user)
    context["is_facilitator"] = access.is_facilitator(request.user, cycle)
    context["follow_ups"] = earlier_follow_ups(
        cycle=cycle, readable=access.follow_ups_readable_in(request.user, cycle)
    )
    context["goals"] = goals_of_cycle(
        cycle=cycle, readable=access.goals_readable_in(request.user, cycle)
    )
    stage = cycle_stage(cycle, timezone.now())
    context["stage"] = stage
    # Once the visits are over the overview tells what came of them, not what to prepare.
    context["after_visits"] = stage.stage in {Stage.FOLLOWING_UP, Stage.CLOSED}
    context["takeaways"] = takeaways_for(cycle, request.user, facilitator=context["is_facilitator"])
    context["goal_summary"] = goal_summary(context["goals"], request.user)
    if context["is_facilitator"]:
        context["stage_form"] = forms.StageForm(initial={"stage": cycle.stage_by_hand})
    return render(request, "inquiry/cycle_detail.html", context)


@require_POST
@login_required
def stage(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    """The facilitator sets the stage by hand, or lets it follow the steps again."""
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    form = forms.StageForm(request.POST)
    if form.is_valid():
        services.stage_set_by_hand(cycle=cycle, stage=form.cleaned_data["stage"])
        if form.cleaned_data["stage"]:
            messages.success(
                request,
                f"Stage set by hand to “{Stage(form.cleaned_data['stage']).label}”: it stays "
                "until you choose “Follow the steps”.",
            )
        else:
            messages.success(request, "The stage follows the steps again.")
    else:
        messages.error(request, "Choose a stage, or “Follow the steps”.")
    return redirect("inquiry:cycle", cycle_id=cycle.pk)


def _rechecked(request, form) -> bool:
    """Whether this is an htmx re-check of a form still being filled in (it posts `_check`):
    validated, never saved, even once every field it has is valid. The form, made with
    `touched=touched_fields(request)`, holds back the errors of fields not reached yet."""
    if request.method != "POST" or "_check" not in request.POST:
        return False
    form.is_valid()
    return True


def _model_form_page(request, cycle, form_class, template, success, next_step, **extra):
    form = form_class(request.POST or None, request.FILES or None, instance=cycle, **extra)
    if _rechecked(request, form):
        context = {"cycle": cycle, "form": form, "step": template.split("/")[-1][:-5]}
        return render(request, template, context)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, success)
        return redirect(next_step, cycle_id=cycle.pk)
    context = {"cycle": cycle, "form": form, "step": template.split("/")[-1][:-5]}
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def focus(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    return _model_form_page(
        request,
        cycle,
        forms.FocusForm,
        "inquiry/focus.html",
        "Focus saved.",
        "inquiry:look_fors",
        touched=touched_fields(request),
    )


@require_GET
@login_required
@private_no_store
def data_file(request: AuthenticatedRequest, cycle_id: int) -> FileResponse:
    """The focus's data file, for the cycle's participants, only ever as a download."""
    cycle = access.cycle_for_participant(request.user, cycle_id)
    if not cycle.data_file or not cycle.data_file.storage.exists(cycle.data_file.name):
        raise Http404("This cycle has no data file.")
    return attachment(cycle.data_file)


@require_http_methods(["GET", "POST"])
@login_required
def settings(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    return _model_form_page(
        request,
        cycle,
        forms.SettingsForm,
        "inquiry/settings.html",
        "Settings saved.",
        "inquiry:cycle",
    )


@require_GET
@login_required
def evidence_tool_preview(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    """The tool as an observer will see it on a phone (nothing is recorded here)."""
    cycle = access.cycle_for_participant(request.user, cycle_id)
    context = {"cycle": cycle, **tool_drawn(cycle=cycle)}
    return render(request, "inquiry/evidence_tool_preview.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def pre_brief(request: AuthenticatedRequest, cycle_id: int, host_id: int) -> HttpResponse:
    cycle = access.cycle_for_participant(request.user, cycle_id)
    host = access.pre_brief_host_for_editor(request.user, cycle, host_id)
    instance = PreBrief.objects.filter(cycle=cycle, host=host).first()
    form = forms.PreBriefForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.pre_brief_save(cycle=cycle, host=host, **form.cleaned_data)
        messages.success(request, "Pre-brief saved: observers see it before the visit.")
        return redirect("inquiry:cycle", cycle_id=cycle.pk)
    # The host attaches a lesson plan or slides; a facilitator writing it with them sees them.
    artifacts = list(instance.artifacts.all()) if instance else []
    context = {"cycle": cycle, "host": host, "form": form, "pre_brief": instance}
    context["artifacts"] = artifacts
    return render(request, "inquiry/pre_brief.html", context, status=400 if form.errors else 200)
