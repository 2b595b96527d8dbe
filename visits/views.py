"""Pages for placing visits, reading one, and calendars (one visit, or a private feed)."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inquiry.evidence_tool import tool_drawn
from inquiry.stages import visit_started
from inquiry.structures import classroom_label
from opendoors import access
from opendoors.forms import touched_fields
from opendoors.http import AuthenticatedRequest
from opendoors.security import private_no_store
from schools.models import Meeting
from schools.selectors import term_current
from teams.protocol_views import run_context
from teams.selectors import calendar_meetings_for

from . import services
from .calendar import calendar_bytes, cover_lesson, room_of, site_url
from .capture import evidence_reads_log
from .forms import SUBSTITUTE, DebriefAttendanceForm, DebriefForm, ProposeForm, VisitPlanForm
from .models import Debrief, EvidenceKind, Visit
from .patterns import visit_patterns
from .rules import cover_candidates
from .selectors import calendar_visits_for, debrief_group, reads_by_reader, with_people

READS_PER_PAGE = 50


def _plan_page(
    request,
    cycle,
    *,
    visit: Visit | None = None,
    initial=None,
    propose_form: ProposeForm | None = None,
) -> HttpResponse:
    term = term_current(cycle.school)
    if term is None:
        messages.error(request, "Import the school's master schedule before placing visits.")
        return redirect("inquiry:cycle", cycle_id=cycle.pk)
    # A refused "Propose a schedule" posts here too: its data is not the visit form's.
    data = request.POST if request.method == "POST" and propose_form is None else None
    placing = data is not None and data.get("action") != "check"
    form = VisitPlanForm(
        data,
        cycle=cycle,
        term=term,
        covers=cover_candidates(cycle),
        initial=initial,
        touched=touched_fields(request),
    )
    if placing and form.is_valid():
        try:
            if visit is None:
                visit = services.visit_schedule(cycle=cycle, plan=form.cleaned_data["plan"])
                messages.success(request, "Visit placed. Everyone in it gets an email.")
            else:
                services.visit_change(
                    visit=visit,
                    plan=form.cleaned_data["plan"],
                    remove_hosts_with_evidence=form.cleaned_data["confirm_removal"],
                )
                messages.success(request, "Visit changed. Everyone in it gets an email.")
            return redirect("visits:plan", cycle_id=cycle.pk)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
    visits = with_people(cycle.visits.all()).order_by("date", "slot__period__position")
    context = {
        "cycle": cycle,
        "form": form,
        "visits": visits,
        "visit": visit,
        "captured": _captured_by_host(visit),
        "step": "visits",
        "days": list(term.days.values_list("label", flat=True)),
        "propose_form": propose_form or ProposeForm(term=term),
        # The visit form posts to this page, also when it answers a refused proposal.
        "form_action": request.path
        if propose_form is None
        else reverse("visits:plan", args=[cycle.pk]),
    }
    status = 400 if (placing and form.errors) or propose_form is not None else 200
    return render(request, "visits/plan.html", context, status=status)


def plan_page_with(request, cycle, *, propose_form: ProposeForm) -> HttpResponse:
    """The Visits page answering a refused "Propose a schedule", its errors under its fields."""
    return _plan_page(request, cycle, propose_form=propose_form)


def _captured_by_host(visit: Visit | None) -> list[tuple[object, int]]:
    """(host, entries) for the visit's classrooms that hold evidence: removing them is asked."""
    if visit is None:
        return []
    counts = access.evidence_entries_per_host(visit)
    return [
        (room.host, counts[room.host_id])
        for room in visit.classrooms.select_related("host")
        if room.host_id in counts
    ]


@require_http_methods(["GET", "POST"])
@login_required
def plan(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    return _plan_page(request, cycle)


@require_GET
@login_required
def detail(request: AuthenticatedRequest, visit_id: int) -> HttpResponse:
    """The visit as its people need it before they walk in: when, which rooms, the problem of
    practice, each host's pre-brief; a cover sees only the class they cover."""
    visit = access.visit_for_participant(request.user, visit_id)
    # Prefetched on the visit already read: one query per relation, whatever the visit holds.
    prefetch_related_objects(
        [visit],
        "classrooms__host",
        Prefetch(
            "classrooms__section__meetings",
            queryset=Meeting.objects.only("id", "section_id", "slot_id", "teacher_id", "room"),
        ),
        "observers__person",
        "observers__covered_by",
    )
    seats = access.seats_covered_only_by(request.user, visit)
    if seats:
        # Covering is not taking part: the class to cover, nothing of the visit's learning.
        prefetch_related_objects([visit], "observers__person__meetings__section")
        context = {"visit": visit, "classes": [cover_lesson(visit, seat) for seat in seats]}
        return render(request, "visits/cover.html", context)
    is_facilitator = access.facilitates_visit(request.user, visit)
    cycle = visit.cycle
    is_observer = any(seat.person_id == request.user.pk for seat in visit.observers.all())
    rooms = list(visit.classrooms.all())
    # A pre-brief saved with every field blank is not written: it is still asked for.
    pre_briefs = {
        p.host_id: p
        for p in cycle.pre_briefs.filter(host__in=[r.host_id for r in rooms]).prefetch_related(
            "artifacts"
        )
        if p.instructional_goal or p.expectations or p.focus or p.artifacts.all()
    }
    classrooms = [
        {
            "room": room,
            "label": classroom_label(room, cycle),
            "number": room_of(visit, room),
            "pre_brief": pre_briefs.get(room.host_id),
            "mine": room.host_id == request.user.pk,
        }
        for room in rooms
    ]
    context = {
        "visit": visit,
        "cycle": cycle,
        "look_fors": cycle.look_fors.filter(retired=False),
        "classrooms": classrooms,
        "numbers": [c["number"] for c in classrooms if c["number"]],
        "my_classroom": next((c for c in classrooms if c["mine"]), None),
        "show_pre_briefs": cycle.needs_pre_brief or bool(pre_briefs),
        "is_facilitator": is_facilitator,
        "is_observer": is_observer,
        "in_group": is_observer or is_facilitator,
        "hosts": any(c["mine"] for c in classrooms),
        # "Debrief" and "Set my goal" wait for the visit: there is nothing to say before it.
        "started": visit_started(visit, timezone.now()),
    }
    return render(request, "visits/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def change(request: AuthenticatedRequest, visit_id: int) -> HttpResponse:
    visit = access.visit_for_facilitator(request.user, visit_id)
    seats = list(visit.observers.all())
    initial = {
        "visit": visit,
        "date": visit.date,
        "slot": visit.slot_id,
        "hosts": [room.host_id for room in visit.classrooms.all()],
        "observers": [seat.person_id for seat in seats],
    }
    for seat in seats:
        cover = SUBSTITUTE if seat.substitute else seat.covered_by_id
        initial[f"cover_{seat.person_id}"] = str(cover or "")
    return _plan_page(request, visit.cycle, visit=visit, initial=initial)


@require_POST
@login_required
def cancel(request: AuthenticatedRequest, visit_id: int) -> HttpResponse:
    visit = access.visit_for_facilitator(request.user, visit_id)
    services.visit_cancel(visit=visit)
    messages.success(request, "Visit cancelled. Everyone in it gets an email.")
    return redirect("visits:plan", cycle_id=visit.cycle_id)


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
@private_no_store
def visit_ics(request: AuthenticatedRequest, visit_id: int) -> HttpResponse:
    visit = access.visit_for_participant(request.user, visit_id)
    visit = with_people(Visit.objects.filter(pk=visit.pk)).get()
    body = calendar_bytes(
        [visit], name=visit.cycle.title, person=request.user, base_url=site_url(request)
    )
    return _ics(body, f"visit-{visit.pk}.ics")


@require_GET
@private_no_store
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's private feed: no sign-in, the secret token is the key."""
    person = access.feed_for_token(token).person
    today = timezone.localdate()
    body = calendar_bytes(
        calendar_visits_for(person, today=today),
        name="OpenDoors visits",
        person=person,
        base_url=site_url(request),
        meetings=calendar_meetings_for(person, today=today),
    )
    return _ics(body, "opendoors.ics")


@require_GET
@login_required
def calendar(request: AuthenticatedRequest) -> HttpResponse:
    feed_row = services.calendar_feed_for(request.user)
    url = request.build_absolute_uri(reverse("visits:feed", args=[feed_row.token]))
    return render(request, "visits/calendar.html", {"feed_url": url})


@require_POST
@login_required
def calendar_reset(request: AuthenticatedRequest) -> HttpResponse:
    services.calendar_feed_reset(person=request.user)
    messages.success(request, "Your calendar address is new: the old one no longer works.")
    return redirect("visits:calendar")


@require_GET
@login_required
@private_no_store
def capture(request: AuthenticatedRequest, visit_id: int) -> HttpResponse:
    """The observer's phone page: the tool is drawn here, capture.js records and sends what is
    tapped; the service worker keeps a copy of the page for its person to open offline."""
    visit = access.visit_for_observer(request.user, visit_id)
    cycle = visit.cycle
    rooms = visit.classrooms.select_related("host", "section")
    context = {
        "visit": visit,
        "cycle": cycle,
        "rooms": [{"id": r.pk, "label": classroom_label(r, cycle)} for r in rooms],
        "kind_labels": dict(EvidenceKind.choices),
        # What a note can be about ("About" chips: the current ones), in the page so that
        # tagging works offline; retired ones still name entries waiting on the phone.
        "look_fors": [
            {"id": lf.pk, "text": lf.text, "retired": lf.retired} for lf in cycle.look_fors.all()
        ],
        **tool_drawn(cycle=cycle),
    }
    return render(request, "visits/capture.html", context)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker lives at /visits/sw.js so that it may serve every /visits/ page."""
    body = (Path(__file__).parent / "static" / "visits" / "sw.js").read_bytes()
    response = HttpResponse(body, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@require_http_methods(["GET", "POST"])
@login_required
@private_no_store
def debrief(request: AuthenticatedRequest, visit_id: int) -> HttpResponse:
    """Patterns across classrooms; the structure's library protocol, run live with the teams'
    runner (the group's screens follow the step the facilitator leads); notes per step,
    takeaways and one next step."""
    visit = access.visit_for_group(request.user, visit_id)
    if not visit_started(visit, timezone.now()):
        # A debrief written ahead of the visit would move the cycle's stage with nothing seen.
        context = {"visit": visit, "cycle": visit.cycle, "started": False}
        status = 400 if request.method == "POST" else 200
        return render(request, "visits/debrief.html", context, status=status)
    preset = visit.cycle.preset
    record = Debrief.objects.filter(visit=visit).select_related("run__protocol").first()
    run = record.run if record else None
    marking = request.POST.get("section") == "attendance"
    attendance = _debrief_attendance(request, visit, record, marking)
    if isinstance(attendance, HttpResponse):
        return attendance
    notes = dict(run.notes.values_list("step", "text")) if run else {}
    form = DebriefForm(
        None if marking else request.POST or None,
        instance=record,
        steps=run.steps if run else [],
        notes=notes,
    )
    # A round's next step is its team's; a micro-observation's is the observer's and the host's.
    form.fields["team_next_step"].label = preset.next_step_label
    if request.method == "POST" and form.is_valid():
        services.debrief_save(
            visit=visit,
            by=request.user,
            takeaways=form.cleaned_data["takeaways"],
            team_next_step=form.cleaned_data["team_next_step"],
            notes=form.notes(),
        )
        messages.success(request, "Debrief saved.")
        return redirect("visits:debrief", visit_id=visit.pk)
    rooms, evidence = access.classrooms_and_evidence_for(request.user, visit)
    patterns = visit_patterns(
        visit, rooms=rooms, evidence=evidence, quotes_page=request.GET.get("quotes")
    )
    evidence_reads_log(
        reader=request.user, classrooms=[c.classroom for c in patterns.classrooms], where="debrief"
    )
    context = {
        "visit": visit,
        "cycle": visit.cycle,
        "patterns": patterns,
        "form": form,
        "started": True,
        "attendance": attendance,
        "leads": attendance is not None,  # the cycle's facilitators (_debrief_attendance)
    }
    if run is None:
        context["protocol_steps"] = preset.debrief_protocol.steps
    else:
        context.update(run_context(request, run))
        context["steps"] = list(zip(run.steps, form.step_fields(), strict=True))
    failed = form.errors or (attendance is not None and attendance.errors)
    return render(request, "visits/debrief.html", context, status=400 if failed else 200)


@require_http_methods(["GET", "POST"])
@login_required
@private_no_store
def debrief_run(request: AuthenticatedRequest, visit_id: int) -> HttpResponse:
    """The debrief's protocol: a facilitator starts it (POST). The group's debrief pages ask
    (GET, by htmx every few seconds) whether it has started: nothing (204) until it has, then
    htmx reloads the page, which shows the live step."""
    back = reverse("visits:debrief", args=[visit_id]) + "#protocol"
    if request.method == "POST":
        visit = access.visit_for_facilitator(request.user, visit_id)
        if not visit_started(visit, timezone.now()):
            messages.error(request, "The debrief opens when the visit starts.")
            return redirect(back)
        try:
            services.debrief_run_start(visit=visit, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(back)
    visit = access.visit_for_group(request.user, visit_id)
    if not Debrief.objects.filter(visit=visit, run__isnull=False).exists():
        return HttpResponse(status=204)
    if request.headers.get("HX-Request"):
        return HttpResponse(headers={"HX-Refresh": "true"})
    return redirect(back)


def _debrief_attendance(
    request: AuthenticatedRequest, visit: Visit, record: Debrief | None, marking: bool
) -> DebriefAttendanceForm | HttpResponse | None:
    """The cycle's facilitators mark who attended the debrief (the hours ledger counts it);
    saved, the answer is a redirect. Nobody else sees the form."""
    if not access.facilitates_visit(request.user, visit):
        if marking:
            raise PermissionDenied("Only the cycle's facilitators mark who attended.")
        return None
    group = debrief_group(visit)
    form = DebriefAttendanceForm(
        request.POST if marking else None, group=group, debrief=record, prefix="attendance"
    )
    if form.is_valid():
        services.debrief_attendance_save(
            visit=visit,
            group=group,
            attended=set(form.cleaned_data["attended"]),
            minutes=form.cleaned_data["minutes"],
        )
        messages.success(request, "Attendance saved: it counts in the hours of those who came.")
        return redirect("visits:debrief", visit_id=visit.pk)
    return form


@require_GET
@login_required
@private_no_store
def my_classroom(request: AuthenticatedRequest, visit_id: int) -> HttpResponse:
    """A host sees everything captured in their own classroom, drawn as the debrief draws it
    (for this classroom only), and who else has read it."""
    room = access.classroom_for_host(request.user, visit_id)
    visit = room.visit
    rooms, evidence = access.classrooms_and_evidence_for(request.user, visit)
    entries = evidence.filter(classroom=room)
    patterns = visit_patterns(
        visit,
        rooms=[r for r in rooms if r.pk == room.pk],
        evidence=entries,
        quotes_page=request.GET.get("quotes"),
    )
    # One line per reader, a page at a time; a page number that is not one shows the nearest.
    reads = Paginator(reads_by_reader(room), READS_PER_PAGE)
    context = {
        "room": room,
        "visit": visit,
        "cycle": visit.cycle,
        "patterns": patterns,
        "entries": entries.select_related("author", "look_for"),
        "reads": reads.get_page(request.GET.get("page")),
    }
    return render(request, "visits/my_classroom.html", context)
