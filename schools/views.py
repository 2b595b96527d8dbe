"""Pages for a school's master schedule and its imports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest
from rosters.csvfiles import write_rows

from .forms import ImportApplyForm, ScheduleImportForm, SchoolSettingsForm
from .models import ImportStatus, Meeting
from .schedule_diff import SchedulePreview
from .selectors import schedule_grid, teacher_week, term_current
from .services import import_apply_start, import_start
from .services import import_retry as import_retry_start


@require_GET
@login_required
def schedule(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_viewer(request.user, slug)
    grid = schedule_grid(
        school=school,
        day_label=request.GET.get("day", ""),
        subject=request.GET.get("subject", ""),
        grade=request.GET.get("grade", ""),
    )
    context = {
        "school": school,
        "grid": grid,
        "can_manage": access.can_manage_schedule(request.user, school),
        "filters": request.GET,
    }
    return render(request, "schools/schedule.html", context)


@require_GET
@login_required
def teacher(request: AuthenticatedRequest, slug: str, person_id: int) -> HttpResponse:
    school = access.school_for_viewer(request.user, slug)
    person = access.teacher_at_school(school, person_id)
    week = teacher_week(school=school, teacher=person)
    return render(request, "schools/teacher_week.html", {"school": school, "week": week})


@require_GET
@login_required
def schedule_csv(request: AuthenticatedRequest, slug: str) -> StreamingHttpResponse:
    school = access.school_for_viewer(request.user, slug)
    meetings = (
        Meeting.objects.filter(section__term=term_current(school))
        .select_related("teacher", "section", "slot__day", "slot__period")
        .order_by(
            "teacher__last_name", "teacher_id", "slot__day__position", "slot__period__position"
        )
        .prefetch_related("teacher__source_ids")
    )
    header = [
        "teacher_id",
        "teacher_name",
        "day",
        "period",
        "section",
        "course",
        "subject",
        "grade",
        "room",
    ]
    rows = (
        [
            next(
                (s.value for s in m.teacher.source_ids.all() if s.school_id == school.pk),
                m.teacher.username,
            ),
            str(m.teacher),
            m.slot.day.label,
            m.slot.period.label,
            m.section.code,
            m.section.course,
            m.section.subject,
            m.section.grade,
            m.room,
        ]
        for m in meetings
    )
    response = StreamingHttpResponse(write_rows([header, *rows]), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{school.slug}-schedule.csv"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def import_new(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_schedule_manager(request.user, slug)
    form = ScheduleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        schedule_import = import_start(
            school=school,
            uploaded_by=request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            bell_upload=form.cleaned_data.get("bell_file"),
            org=form.cleaned_data["org"],
        )
        return redirect("schools:import_detail", slug=school.slug, import_id=schedule_import.pk)
    recent = school.imports.select_related("uploaded_by")[:10]
    context = {"school": school, "form": form, "recent": recent}
    return render(request, "schools/import_new.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def import_detail(request: AuthenticatedRequest, slug: str, import_id: int) -> HttpResponse:
    schedule_import = access.import_for_manager(request.user, slug, import_id)
    preview = (
        SchedulePreview.from_dict(schedule_import.preview) if schedule_import.preview else None
    )
    context = {"school": schedule_import.school, "job": schedule_import, "preview": preview}
    template = "schools/_import_status.html" if request.htmx else "schools/import_detail.html"
    return render(request, template, context)


@require_POST
@login_required
def import_apply(request: AuthenticatedRequest, slug: str, import_id: int) -> HttpResponse:
    schedule_import = access.import_for_manager(request.user, slug, import_id)
    form = ImportApplyForm(request.POST)
    if schedule_import.status == ImportStatus.PREVIEW and form.is_valid():
        refusal = import_apply_start(
            schedule_import=schedule_import,
            removals_confirmed=form.cleaned_data["confirm_removals"],
        )
        if refusal:
            messages.error(request, f"Not applied: {refusal}")
    return redirect("schools:import_detail", slug=slug, import_id=import_id)


@require_POST
@login_required
def import_retry(request: AuthenticatedRequest, slug: str, import_id: int) -> HttpResponse:
    schedule_import = access.import_for_manager(request.user, slug, import_id)
    if not import_retry_start(schedule_import=schedule_import):
        messages.error(request, "This import is neither failed nor stalled: nothing to retry.")
    return redirect("schools:import_detail", slug=slug, import_id=import_id)


@require_http_methods(["GET", "POST"])
@login_required
def school_settings(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_schedule_manager(request.user, slug)
    form = SchoolSettingsForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("schools:settings", slug=school.slug)
    context = {"school": school, "form": form}
    return render(request, "schools/settings.html", context, status=400 if form.errors else 200)
