"""Planning pages edited in place: look-fors, the evidence tool's parts and the cycle's people.

Every change is a POST that htmx sends and answers with the changed fragment (the list, the
item, the person's card); without JavaScript the same POST redirects back to the page
(POST → redirect), which shows the same fragment. A removal answers with an "Undo" line
where the item was; without JavaScript the line waits in the session for the next page.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest

from . import forms, services
from .models import Cycle, LookFor, ParticipantRole
from .selectors import look_for_rows, school_staff, staff_for_cycle, staff_matching, tool_rows
from .structures import EvidencePart, default_tool

NOT_ABOUT_STUDENTS = "Look-fors work best phrased about students: what students do, say or think."


def _undo_key(cycle: Cycle, what: str) -> str:
    return f"undo:{what}:{cycle.pk}"


def _refusals(refused: ValidationError) -> list[str | SafeString]:
    """What a refused change says; a part kept for a visit still to come links that visit,
    where the facilitator changes or cancels it."""
    said: list[str | SafeString] = []
    for error in refused.error_list:
        if isinstance(error, services.PartInVisitAhead):
            url = reverse("visits:change", kwargs={"visit_id": error.visit.pk})
            said.append(
                format_html(
                    '{} {} <a href="{}">the visit on {}</a>: change or cancel that visit first.',
                    error.person,
                    error.does,
                    url,
                    error.when,
                )
            )
        else:
            said.extend(error.messages)
    return said


def _joined(said: list[str | SafeString]) -> SafeString:
    return mark_safe(" ".join(conditional_escape(line) for line in said))


def _status(request, *, htmx: int = 200, page: int = 400) -> int:
    """htmx swaps only 2xx answers: a fragment with errors answers 200 to htmx, 400 to a page."""
    return htmx if request.htmx else page


# Look-fors ---------------------------------------------------------------------------------


def _look_for_editor(request, cycle, *, form=None, removed=None, note="", status=200):
    rows, retired = look_for_rows(cycle, removed=removed)
    edit = request.GET.get("edit", "")
    context = {
        "cycle": cycle,
        "rows": rows,
        "retired": retired,
        "form": form or forms.LookForForm(),
        "note": note,
        "editing": int(edit) if edit.isdigit() and len(edit) < 19 else None,
        "step": "look_fors",
    }
    if request.htmx:
        return render(request, "inquiry/_look_fors_editor.html", context, status=status)
    context["merge_form"] = forms.MergeForm(cycle=cycle)
    context["edit_form"] = forms.LookForForm(
        instance=next((r.item for r in rows if r.item and r.item.pk == context["editing"]), None)
    )
    return render(request, "inquiry/look_fors.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def look_fors(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    """The look-fors: add one (the list grows in place, the form clears and keeps focus)."""
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    removed = None
    if request.method == "GET" and not request.htmx:
        stashed = request.session.pop(_undo_key(cycle, "look_for"), None)
        removed = services.Removed(**stashed) if stashed else None
    if request.method != "POST":
        return _look_for_editor(request, cycle, removed=removed)
    form = forms.LookForForm(request.POST)
    if not form.is_valid():
        return _look_for_editor(request, cycle, form=form, status=_status(request))
    data = form.cleaned_data
    try:
        services.look_for_add(
            cycle=cycle, text=data["text"], kind=data["kind"], position=data.get("position")
        )
    except ValidationError as refused:
        # Also an "Undo" sent twice: the look-for is back once, and the second one says so.
        if request.htmx:
            form.add_error("text", refused)
            return _look_for_editor(request, cycle, form=form)
        messages.error(request, " ".join(refused.messages))
        return redirect("inquiry:look_fors", cycle_id=cycle.pk)
    note = "" if "student" in data["text"].lower() else NOT_ABOUT_STUDENTS
    if request.htmx:
        return _look_for_editor(request, cycle, note=note)
    if note:
        messages.warning(request, note)
    return redirect("inquiry:look_fors", cycle_id=cycle.pk)


def _look_for_item(request, cycle, look_for, *, form=None, status=200) -> HttpResponse:
    context = {"cycle": cycle, "lf": look_for, "edit_form": form, "editing": look_for.pk}
    if form is None:
        context["editing"] = None
    return render(request, "inquiry/_look_for.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def look_for_change(request: AuthenticatedRequest, cycle_id: int, look_for_id: int) -> HttpResponse:
    """One look-for: GET draws it (htmx; `?edit=1` as a small form), POST changes it: save
    its words and kind, move it up or down, remove it (with "Undo"), retire or restore it."""
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    look_for = get_object_or_404(LookFor, cycle=cycle, pk=look_for_id)
    page = reverse("inquiry:look_fors", kwargs={"cycle_id": cycle.pk})
    if request.method == "GET":
        if not request.htmx:
            query = f"?{urlencode({'edit': look_for.pk})}" if "edit" in request.GET else ""
            return redirect(f"{page}{query}#lf-{look_for.pk}")
        editing = "edit" in request.GET
        form = forms.LookForForm(instance=look_for) if editing else None
        return _look_for_item(request, cycle, look_for, form=form)
    if request.POST.get("action") == "save":
        form = forms.LookForForm(request.POST, instance=look_for)
        if not form.is_valid():
            if request.htmx:
                return _look_for_item(request, cycle, look_for, form=form)
            for error in form.errors.values():
                messages.error(request, " ".join(str(message) for message in error))
            return redirect(f"{page}?{urlencode({'edit': look_for.pk})}#lf-{look_for.pk}")
        services.look_for_change(
            look_for=look_for, text=form.cleaned_data["text"], kind=form.cleaned_data["kind"]
        )
        if request.htmx:
            return _look_for_item(request, cycle, look_for)
        return redirect(f"{page}#lf-{look_for.pk}")
    change = forms.LookForChangeForm(request.POST)
    action = change.cleaned_data["action"] if change.is_valid() else None
    removed = None
    if action in {"up", "down"}:
        services.look_for_move(look_for=look_for, step=-1 if action == "up" else 1)
    elif action == "remove":
        removed = services.look_for_remove(look_for=look_for)
    elif action in {"retire", "restore"}:
        services.look_for_retire(look_for=look_for, retired=action == "retire")
    elif not request.htmx:
        messages.error(request, "Choose up, down, remove, retire or restore.")
    if request.htmx:
        return _look_for_editor(request, cycle, removed=removed)
    if removed is not None:
        request.session[_undo_key(cycle, "look_for")] = removed.__dict__
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


# The evidence tool -------------------------------------------------------------------------


def _tool_context(cycle, *, removed=None, error="") -> dict:
    cycle.refresh_from_db(fields=["evidence_tool"])
    rows, addable = tool_rows(cycle.evidence_tool)
    return {
        "cycle": cycle,
        "rows": rows,
        "addable": addable,
        "removed": removed,
        "error": error,
        "look_fors": cycle.look_fors.filter(retired=False),
        "step": "evidence_tool",
    }


@require_http_methods(["GET", "POST"])
@login_required
def evidence_tool(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    """The tool's parts, each added, changed, moved or removed in place (`tool_part`)."""
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    if request.method == "POST":
        # The one POST left here: start again from the structure's template.
        if request.POST.get("action") != "template":
            messages.error(request, "Change the tool's parts with their own buttons.")
            return redirect("inquiry:evidence_tool", cycle_id=cycle.pk)
        cycle.evidence_tool = default_tool(cycle.structure)
        cycle.save(update_fields=["evidence_tool"])
        messages.success(request, "The evidence tool is back to its template.")
        return redirect("inquiry:evidence_tool", cycle_id=cycle.pk)
    removed = request.session.pop(_undo_key(cycle, "tool_part"), None)
    return render(request, "inquiry/evidence_tool.html", _tool_context(cycle, removed=removed))


@require_POST
@login_required
def tool_part(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    form = forms.ToolPartForm(request.POST)
    removed, error = None, ""
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        action, index = form.cleaned_data["action"], form.cleaned_data["index"]
        if action in {"add", "restore"}:
            services.tool_part_add(cycle=cycle, part=form.part(), index=index)
        elif action == "save":
            services.tool_part_change(cycle=cycle, index=index, part=form.part())
        elif action in {"up", "down"}:
            services.tool_part_move(cycle=cycle, index=index, step=-1 if action == "up" else 1)
        else:
            part = services.tool_part_remove(cycle=cycle, index=index)
            lines = part.get("labels") or part.get("prompts") or []
            label = EvidencePart(part["kind"]).label
            removed = {"index": index, "part": part, "label": label, "lines": "\n".join(lines)}
    except ValidationError as refused:
        error = " ".join(refused.messages)
    if request.htmx:
        context = _tool_context(cycle, removed=removed, error=error)
        return render(request, "inquiry/_tool_parts.html", context)
    if error:
        messages.error(request, error)
    if removed is not None:
        request.session[_undo_key(cycle, "tool_part")] = removed
    return redirect("inquiry:evidence_tool", cycle_id=cycle.pk)


# People ------------------------------------------------------------------------------------

FILTERS = ("q", "subject", "grade", "experience", "free", "part")


def _people_context(request, cycle) -> dict:
    staff = staff_for_cycle(cycle)
    query = request.GET if request.method == "GET" else QueryDict(request.POST.get("back", ""))
    filter_form = forms.PeopleFilterForm(
        {k: query.get(k, "") for k in FILTERS},
        subjects=staff.subjects,
        grades=staff.grades,
        slots=staff.slots,
    )
    filters = filter_form.filters()
    counts = {role: 0 for role in ParticipantRole.values}
    for member in staff.members:
        for role in member.parts:
            counts[role] += 1
    return {
        "cycle": cycle,
        "members": staff_matching(staff, filters),
        "total": len(staff.members),
        "all_staff": staff,
        "filter_form": filter_form,
        "back": urlencode(filters),
        "counts": counts,
        "step": "people",
    }


@require_http_methods(["GET", "POST"])
@login_required
def people(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    """The school's staff with what they teach, their experience and free periods, filtered
    in place; each person's part switched on or off in place ("Eli observes")."""
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    if request.method == "POST" and "role" not in request.POST:
        return _people_saved_at_once(request, cycle)
    if request.method == "POST":
        return _person_part(request, cycle)
    context = _people_context(request, cycle)
    template = "inquiry/_people_list.html" if request.htmx else "inquiry/people.html"
    return render(request, template, context)


def _person_part(request, cycle) -> HttpResponse:
    form = forms.PersonPartForm(request.POST, staff=school_staff(cycle.school))
    error: str | SafeString = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.participant_part_set(
                cycle=cycle, person=data["person"], role=data["role"], on=data["on"]
            )
        except ValidationError as refused:
            error = _joined(_refusals(refused))
    else:
        error = "Choose someone on this page, and observer, host or facilitator."
    back = QueryDict(request.POST.get("back", ""))
    if not request.htmx or not form.is_valid():
        if error:
            messages.error(request, error)
        query = urlencode({k: back[k] for k in FILTERS if back.get(k)})
        person = form.cleaned_data.get("person") if form.is_valid() else None
        anchor = f"#person-{person.pk}" if person else ""
        url = reverse("inquiry:people", kwargs={"cycle_id": cycle.pk})
        return redirect(f"{url}{'?' + query if query else ''}{anchor}")
    context = _people_context(request, cycle)
    person = form.cleaned_data["person"]
    member = next(m for m in context["all_staff"].members if m.person.pk == person.pk)
    context |= {"member": member, "error": error, "oob": True}
    return HttpResponse(
        render_to_string("inquiry/_person.html", context, request)
        + render_to_string("inquiry/_people_summary.html", context, request)
    )


def _people_saved_at_once(request, cycle) -> HttpResponse:
    """Everyone's parts in one post (observers, hosts, facilitators): the page's form before
    parts were switched one by one, kept for scripts and bookmarks of that form."""
    staff = school_staff(cycle.school)
    form = forms.PeopleForm(request.POST, staff=staff)
    if form.is_valid():
        try:
            services.participants_set(cycle=cycle, **form.cleaned_data)
        except ValidationError as refused:
            for said in _refusals(refused):
                messages.error(request, said)
        else:
            messages.success(request, "Participants saved.")
            return redirect("inquiry:people", cycle_id=cycle.pk)
    for errors in form.errors.values():
        messages.error(request, " ".join(str(message) for message in errors))
    context = _people_context(request, cycle)
    return render(request, "inquiry/people.html", context, status=400)
