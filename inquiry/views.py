"""Pages for planning a cycle of inquiry; participants read its overview and pre-briefs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest
from opendoors.security import private_no_store
from opendoors.uploads import attachment

from . import forms, services
from .evidence_tool import tool_drawn
from .models import LookFor, ParticipantRole, PreBrief
from .selectors import (
    cycle_overview,
    cycles_for_school_page,
    earlier_follow_ups,
    goals_of_cycle,
    school_staff,
)
from .structures import EvidencePart, default_tool


@require_GET
@login_required
def cycle_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_viewer(request.user, slug)
    context = {
        "school": school,
        "cycles": cycles_for_school_page(access.cycles_visible_to(request.user), school),
        "can_start": access.can_start_cycle(request.user, school),
    }
    return render(request, "inquiry/cycle_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def cycle_start(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_cycle_starter(request.user, slug)
    form = forms.CycleStartForm(request.POST or None)
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
    return render(request, "inquiry/cycle_detail.html", context)


def _model_form_page(request, cycle, form_class, template, success, next_step):
    form = form_class(request.POST or None, request.FILES or None, instance=cycle)
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
        request, cycle, forms.FocusForm, "inquiry/focus.html", "Focus saved.", "inquiry:look_fors"
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


@require_http_methods(["GET", "POST"])
@login_required
def look_fors(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    form = forms.LookForForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.look_for_add(cycle=cycle, **form.cleaned_data)
        if "student" not in form.cleaned_data["text"].lower():
            messages.warning(
                request,
                "Look-fors work best phrased about students: what students do, say or think.",
            )
        return redirect("inquiry:look_fors", cycle_id=cycle.pk)
    context = {
        "cycle": cycle,
        "form": form,
        "merge_form": forms.MergeForm(cycle=cycle),
        "look_fors": cycle.look_fors.select_related("merged_into"),
        "step": "look_fors",
    }
    return render(request, "inquiry/look_fors.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def look_for_change(request: AuthenticatedRequest, cycle_id: int, look_for_id: int) -> HttpResponse:
    """Move a look-for up or down, retire it or bring it back."""
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    look_for = get_object_or_404(LookFor, cycle=cycle, pk=look_for_id)
    form = forms.LookForChangeForm(request.POST)
    action = form.cleaned_data["action"] if form.is_valid() else None
    if action in {"up", "down"}:
        services.look_for_move(look_for=look_for, step=-1 if action == "up" else 1)
    elif action in {"retire", "restore"}:
        services.look_for_retire(look_for=look_for, retired=action == "retire")
    else:
        messages.error(request, "Choose up, down, retire or restore.")
    return redirect("inquiry:look_fors", cycle_id=cycle.pk)


@require_POST
@login_required
def look_for_merge(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    form = forms.MergeForm(request.POST, cycle=cycle)
    if form.is_valid():
        services.look_for_merge(**form.cleaned_data)
        messages.success(request, "Look-fors merged.")
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(str(message) for message in error))
    return redirect("inquiry:look_fors", cycle_id=cycle.pk)


@require_http_methods(["GET", "POST"])
@login_required
def evidence_tool(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    if request.method == "POST" and request.POST.get("action") == "template":
        cycle.evidence_tool = default_tool(cycle.structure)
        cycle.save(update_fields=["evidence_tool"])
        messages.success(request, "The evidence tool is back to its template.")
        return redirect("inquiry:evidence_tool", cycle_id=cycle.pk)
    form = forms.EvidenceToolForm(request.POST or None, tool=cycle.evidence_tool)
    if request.method == "POST" and form.is_valid():
        cycle.evidence_tool = form.cleaned_data["tool"]
        cycle.save(update_fields=["evidence_tool"])
        messages.success(request, "Evidence tool saved.")
        return redirect("inquiry:evidence_tool", cycle_id=cycle.pk)
    context = {
        "cycle": cycle,
        "form": form,
        "parts": EvidencePart.choices,
        "look_fors": cycle.look_fors.filter(retired=False),
        "step": "evidence_tool",
    }
    return render(
        request, "inquiry/evidence_tool.html", context, status=400 if form.errors else 200
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
def people(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    staff = school_staff(cycle.school)
    current: dict[str, list[int]] = {role: [] for role in ParticipantRole.values}
    for role, person_id in cycle.participants.values_list("role", "person_id"):
        current[role].append(person_id)
    form = forms.PeopleForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        services.participants_set(cycle=cycle, **form.cleaned_data)
        messages.success(request, "Participants saved.")
        return redirect("inquiry:people", cycle_id=cycle.pk)
    if form.is_bound:
        current = form.ticked()
    context = {"cycle": cycle, "form": form, "staff": staff, "current": current, "step": "people"}
    return render(request, "inquiry/people.html", context, status=400 if form.errors else 200)


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
    context = {"cycle": cycle, "host": host, "form": form}
    return render(request, "inquiry/pre_brief.html", context, status=400 if form.errors else 200)
