"""Pages of the protocol library (browse, read, copy, write, edit, share) and of the live
runner (start, follow, lead, take notes, attach the work under discussion, end). A visit's
debrief runs its protocol with the same runner: its run is led and followed on the debrief's
page (visits.views.debrief), where these pages send back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from growth.selectors import own_goals_at
from opendoors import access
from opendoors.http import AuthenticatedRequest
from opendoors.security import private_no_store
from opendoors.uploads import attachment
from schools.models import Person

from . import protocol_services as services
from . import runner
from .models import Attendance, Protocol, ProtocolRun, TeamMeeting
from .protocol_forms import (
    AttachmentForm,
    EndForm,
    MoveForm,
    NoteForm,
    ProtocolForm,
    RunStartForm,
    ShareForm,
    StepForm,
    StepMoveForm,
)


def _refused(request: AuthenticatedRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# The library.


@require_GET
@login_required
def library(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_viewer(request.user, slug)
    protocols = list(
        access.protocols_for_school(school)
        .select_related("school", "created_by")
        .annotate(total=Sum("steps__minutes"), step_count=Count("steps"))
        .order_by("title", "id")
    )
    running = (
        ProtocolRun.objects.filter(
            ended_at__isnull=True,
            meeting__team__members__person=request.user,
            meeting__team__school=school,
        )
        .select_related("meeting__team", "protocol")
        .distinct()
    )
    context = {
        "school": school,
        "shipped": [p for p in protocols if p.library_key],
        "own": [p for p in protocols if p.school_id == school.pk],
        "district": [
            p for p in protocols if p.school_id not in (None, school.pk) and not p.library_key
        ],
        "running": running,
        "can_write": access.can_write_protocols(request.user, school),
    }
    return render(request, "teams/protocols/library.html", context)


@require_GET
@login_required
def protocol_detail(request: AuthenticatedRequest, slug: str, protocol_id: int) -> HttpResponse:
    school, protocol = access.protocol_for_viewer(request.user, slug, protocol_id)
    can_write = access.can_write_protocols(request.user, school)
    steps = list(protocol.steps.all())
    context = {
        "school": school,
        "protocol": protocol,
        "steps": steps,
        "total": sum(step.minutes for step in steps),
        "can_write": can_write,
        "can_edit": can_write and protocol.school_id == school.pk,
        "is_author": protocol.created_by_id == request.user.pk and protocol.school_id == school.pk,
    }
    return render(request, "teams/protocols/detail.html", context)


@require_POST
@login_required
def protocol_copy(request: AuthenticatedRequest, slug: str, protocol_id: int) -> HttpResponse:
    school = access.school_for_protocol_writer(request.user, slug)
    _, protocol = access.protocol_for_viewer(request.user, slug, protocol_id)
    copy = services.protocol_copy(protocol=protocol, school=school, by=request.user)
    messages.success(request, f"“{copy.title}” is now your school's to edit.")
    return redirect("protocols:edit", protocol_id=copy.pk)


@require_http_methods(["GET", "POST"])
@login_required
def protocol_new(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_protocol_writer(request.user, slug)
    form = ProtocolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        protocol = services.protocol_write(school=school, by=request.user, **form.cleaned_data)
        messages.success(request, "Protocol saved: now add its steps.")
        return redirect("protocols:edit", protocol_id=protocol.pk)
    status = 400 if form.errors else 200
    return render(
        request, "teams/protocols/new.html", {"school": school, "form": form}, status=status
    )


def _edit_page(
    request: AuthenticatedRequest,
    protocol: Protocol,
    *,
    form: ProtocolForm | None = None,
    add_form: StepForm | None = None,
    bound_step: tuple[int, StepForm] | None = None,
) -> HttpResponse:
    steps = []
    for step in protocol.steps.all():
        if bound_step and bound_step[0] == step.pk:
            steps.append((step, bound_step[1]))
        else:
            initial = {f: getattr(step, f) for f in services.STEP_FIELDS}
            steps.append((step, StepForm(initial=initial, prefix=f"step-{step.pk}")))
    context = {
        "school": protocol.school,
        "protocol": protocol,
        "form": form
        or ProtocolForm(initial={"title": protocol.title, "purpose": protocol.purpose}),
        "add_form": add_form or StepForm(prefix="new"),
        "steps": steps,
        "total": sum(step.minutes for step, _ in steps),
        "is_author": protocol.created_by_id == request.user.pk,
    }
    refused = bool(form and form.errors) or bool(add_form and add_form.errors) or bound_step
    return render(request, "teams/protocols/edit.html", context, status=400 if refused else 200)


@require_http_methods(["GET", "POST"])
@login_required
def protocol_edit(request: AuthenticatedRequest, protocol_id: int) -> HttpResponse:
    protocol = access.protocol_for_editor(request.user, protocol_id)
    if request.method == "POST":
        form = ProtocolForm(request.POST)
        if form.is_valid():
            services.protocol_change(protocol=protocol, **form.cleaned_data)
            messages.success(request, "Title and purpose saved.")
            return redirect("protocols:edit", protocol_id=protocol.pk)
        return _edit_page(request, protocol, form=form)
    return _edit_page(request, protocol)


@require_POST
@login_required
def step_add(request: AuthenticatedRequest, protocol_id: int) -> HttpResponse:
    protocol = access.protocol_for_editor(request.user, protocol_id)
    form = StepForm(request.POST, prefix="new")
    if not form.is_valid():
        return _edit_page(request, protocol, add_form=form)
    services.step_add(protocol=protocol, **form.cleaned_data)
    messages.success(request, f"Step “{form.cleaned_data['title']}” added.")
    return redirect(reverse("protocols:edit", args=[protocol.pk]) + "#steps")


@require_POST
@login_required
def step_change(request: AuthenticatedRequest, protocol_id: int, step_id: int) -> HttpResponse:
    """One step changed, moved up or down, or removed: the button pressed says which."""
    step = access.step_for_editor(request.user, protocol_id, step_id)
    back = redirect(reverse("protocols:edit", args=[protocol_id]) + "#steps")
    if "remove" in request.POST:
        services.step_remove(step=step)
        messages.success(request, f"Step “{step.title}” removed.")
        return back
    if "move" in request.POST:
        move = StepMoveForm(request.POST)
        if move.is_valid():
            services.step_move(step=step, by=move.cleaned_data["move"])
        return back
    form = StepForm(request.POST, prefix=f"step-{step.pk}")
    if not form.is_valid():
        return _edit_page(request, step.protocol, bound_step=(step.pk, form))
    services.step_change(step=step, **form.cleaned_data)
    messages.success(request, f"Step “{step.title}” saved.")
    return back


@require_POST
@login_required
def protocol_share(request: AuthenticatedRequest, protocol_id: int) -> HttpResponse:
    protocol = access.protocol_for_author(request.user, protocol_id)
    form = ShareForm(request.POST)
    form.is_valid()  # an unticked box is "stop sharing": a BooleanField is always valid here
    try:
        services.protocol_share(protocol=protocol, share=form.cleaned_data["share"])
    except ValidationError as error:
        _refused(request, error)
    else:
        if protocol.shared_with_id:
            messages.success(request, "Shared to the district's library, with your name.")
        else:
            messages.success(request, "No longer in the district's library.")
    assert protocol.school is not None  # protocol_for_author: a school's own
    return redirect("protocols:detail", slug=protocol.school.slug, protocol_id=protocol.pk)


# The live runner.


def _members(meeting: TeamMeeting) -> QuerySet[Person]:
    return Person.objects.filter(team_memberships__team=meeting.team_id).order_by(
        "last_name", "first_name", "username"
    )


@require_http_methods(["GET", "POST"])
@login_required
def run_start(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_run_facilitator(request.user, meeting_id)
    under_way = meeting.runs.filter(ended_at__isnull=True).first()
    if under_way:
        return redirect("protocols:run", run_id=under_way.pk)
    form = RunStartForm(
        request.POST if request.method == "POST" else None,
        protocols=access.protocols_for_school(meeting.team.school).order_by("title", "id"),
        members=_members(meeting),
        # The protocol on the meeting's agenda, when the team put one there.
        initial={
            "recorder": request.user.pk,
            "protocol": meeting.agenda.filter(protocol__isnull=False)
            .values_list("protocol", flat=True)
            .first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = runner.run_start(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("protocols:run", run_id=run.pk)
    context = {"meeting": meeting, "form": form}
    status = 400 if form.errors else 200
    return render(request, "teams/run/start.html", context, status=status)


def run_home(run: ProtocolRun) -> str:
    """Where a run is followed: its own page, or for a debrief's run the debrief's page, beside
    the patterns the group talks about."""
    if run.meeting_id is None:
        return reverse("visits:debrief", args=[run.debrief.visit_id]) + "#protocol"
    return reverse("protocols:run", args=[run.pk])


def run_context(request: AuthenticatedRequest, run: ProtocolRun) -> dict[str, object]:
    """What the run's partials (`teams/run/_step.html`, `_attachment.html`) draw, for a member
    (or the debrief's group) of a run read through access.run_for_member."""
    now = timezone.now()
    facilitating = access.leads_run(request.user, run)
    return {
        "run": run,
        "view": runner.run_view(run, now),
        "now_ms": round(now.timestamp() * 1000),
        "facilitating": facilitating,
        "note_taker": facilitating or access.takes_run_notes(request.user, run),
        "attacher": facilitating or run.recorder_id == request.user.pk,
        "attachment_form": AttachmentForm(),
    }


@require_GET
@login_required
def run_page(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    run, member = access.run_for_viewer(request.user, run_id)
    if run.meeting is None:
        return redirect(run_home(run))
    if not member:
        # The school's principals and coaches off the team: that it was held, and how many
        # attended; never its notes.
        totals = Attendance.objects.filter(meeting=run.meeting).aggregate(
            attended=Count("pk", filter=Q(attended=True)), marked=Count("pk")
        )
        context = {"run": run, "meeting": run.meeting, "totals": totals}
        return render(request, "teams/run/summary.html", context)
    context = run_context(request, run)
    notes = {note.step: note for note in run.notes.select_related("updated_by")}
    context["notes"] = [(i, step, notes.get(i)) for i, step in enumerate(run.steps)]
    asked = request.GET.get("step", "")  # the step whose notes to open; the current one else
    step = int(asked) if asked.isdigit() and int(asked) < len(run.steps) else run.current_step
    context["note_form"] = NoteForm(
        initial={"step": step, "text": notes[step].text if step in notes else ""}
    )
    context["note_step"] = step
    if run.ended_at:
        context["goal_cycles"] = (
            access.cycles_visible_to(request.user)
            .filter(agenda_items__meeting=run.meeting)
            .distinct()
        )
        context["attendance"] = Attendance.objects.filter(
            meeting=run.meeting, attended=True
        ).count()
        # Each member's own goal, set at this meeting: theirs alone (growth.views).
        context["my_goals"] = own_goals_at(request.user, run.meeting)
    return render(request, "teams/run/run.html", context)


@require_GET
@login_required
def run_state(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    """The current step as a fragment for the screens that follow the run: nothing (204) while
    the version they hold is still the run's, so a poll every 2 s costs one small query."""
    run = access.run_for_member(request.user, run_id)
    if request.GET.get("v") == str(run.version):
        return HttpResponse(status=204)
    context = run_context(request, run)
    context["projector"] = request.GET.get("projector") == "1"
    return render(request, "teams/run/_step.html", context)


@require_GET
@login_required
def run_projector(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    run = access.run_for_member(request.user, run_id)
    context = run_context(request, run)
    context["projector"] = True
    return render(request, "teams/run/projector.html", context)


@require_POST
@login_required
def run_move(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    run = access.run_for_facilitator(request.user, run_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Press Next, Back or an extension on the run's page.")
        return redirect(run_home(run))
    move, seen = form.cleaned_data["move"], form.cleaned_data["version"]
    try:
        if move == "next":
            runner.run_next(run=run, seen=seen)
        elif move == "back":
            runner.run_back(run=run, seen=seen)
        else:
            runner.run_extend(run=run, seen=seen, minutes=int(move.removeprefix("extend")))
    except ValidationError as error:
        _refused(request, error)
    return redirect(run_home(run))


@require_POST
@login_required
def run_note(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    run = access.run_for_note_taker(request.user, run_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Notes of up to 5,000 characters, for a step of this protocol.")
        return redirect(run_home(run))
    try:
        runner.note_save(run=run, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "Notes saved.")
    return redirect(run_home(run).split("#")[0] + "#notes")


@require_http_methods(["GET", "POST"])
@login_required
def run_end(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    run = access.run_for_facilitator(request.user, run_id)
    meeting = run.meeting
    if meeting is None:
        # A debrief's takeaways and next step are written on its page: ending only ends.
        if request.method == "POST":
            runner.run_end(run=run, takeaways="", next_step="", attended=set())
            messages.success(request, "The protocol has ended: write the takeaways and next step.")
        return redirect(run_home(run).split("#")[0] + "#takeaways")
    members = _members(meeting)
    marked = dict(Attendance.objects.filter(meeting=meeting).values_list("person_id", "attended"))
    initial = {
        "takeaways": meeting.takeaways,
        "next_step": meeting.next_step,
        "attended": [p.pk for p in members if marked.get(p.pk, True)],
    }
    form = EndForm(
        request.POST if request.method == "POST" else None, members=members, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        runner.run_end(
            run=run,
            takeaways=form.cleaned_data["takeaways"],
            next_step=form.cleaned_data["next_step"],
            attended={p.pk for p in form.cleaned_data["attended"]},
        )
        messages.success(request, "Saved: the meeting is marked held, with who attended.")
        return redirect("protocols:run", run_id=run.pk)
    context = {"run": run, "meeting": meeting, "form": form}
    status = 400 if form.errors else 200
    return render(request, "teams/run/end.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@private_no_store
def run_attachment(request: AuthenticatedRequest, run_id: int) -> HttpResponse | FileResponse:
    """The student work or data under discussion: the recorder or a facilitator attaches it
    (a new file replaces the one before); the run's members download it, never view it in
    the page (opendoors.uploads.attachment)."""
    if request.method == "POST":
        run = access.run_for_attacher(request.user, run_id)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            runner.run_attach(run=run, upload=form.cleaned_data["file"])
            messages.success(request, f"“{run.attachment_name}” attached.")
        else:
            for error in form["file"].errors:
                messages.error(request, str(error))
        return redirect(run_home(run).split("#")[0] + "#attachment")
    run = access.run_for_member(request.user, run_id)
    if not run.attachment or not run.attachment.storage.exists(run.attachment.name):
        raise Http404("Nothing is attached to this protocol.")
    return attachment(run.attachment, filename=run.attachment_name or None)
