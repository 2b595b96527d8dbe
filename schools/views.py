"""Pages for a school's master schedule and its imports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest
from rosters.csvfiles import write_rows

from .forms import (
    AuditFilterForm,
    ImportApplyForm,
    PeopleFilterForm,
    PersonAddForm,
    PersonEmailForm,
    PersonRolesForm,
    ScheduleImportForm,
    SchoolSettingsForm,
)
from .models import ImportStatus, Meeting, Role, School
from .schedule_diff import SchedulePreview
from .selectors import audit_entries, schedule_grid, school_people, teacher_week, term_current
from .services import (
    InvitationRefused,
    PeopleChangeRefused,
    import_apply_start,
    import_start,
    people_invite_all,
    people_to_invite,
    person_active_set,
    person_add,
    person_email_set,
    person_invite,
    person_roles_set,
)
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
            send_invitations=form.cleaned_data["send_invitations"],
            actor=request.user,
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
    context = {"school": school, "form": form, "leads": access.leads_school(request.user, school)}
    return render(request, "schools/settings.html", context, status=400 if form.errors else 200)


# People and roles at a school: its principals and the district's leaders.

AUDIT_PER_PAGE = 50


def _people_page(
    request: AuthenticatedRequest,
    school: School,
    add_form: PersonAddForm,
    *,
    may_grant: bool,
    status: int = 200,
) -> HttpResponse:
    filter_form = PeopleFilterForm(request.GET)
    filters = filter_form.filters()
    rows = school_people(school=school, **filters)
    for row in rows:
        row.form = PersonRolesForm(  # type: ignore[attr-defined]
            initial={"roles": row.roles},
            may_grant_district_leader=may_grant,
            prefix=f"p{row.person.pk}",
        )
        row.email_form = PersonEmailForm(  # type: ignore[attr-defined]
            initial={"email": row.person.email}, prefix=f"e{row.person.pk}"
        )
    context = {
        "school": school,
        "rows": rows,
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "add_form": add_form,
        "me": request.user.pk,
        # Only the district's leaders erase the personal data of someone who left.
        "may_erase": may_grant,
        "to_invite": people_to_invite(school=school).count(),
    }
    return render(request, "schools/people.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def people(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_people_manager(request.user, slug)
    may_grant = access.leads_district(request.user, school.district_id)
    form = PersonAddForm(
        request.POST if request.method == "POST" else None, may_grant_district_leader=may_grant
    )
    if request.method == "POST" and form.is_valid():
        person = person_add(
            school=school,
            actor=request.user,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
            roles=set(form.cleaned_data["roles"]),
            may_grant_district_leader=may_grant,
            invite=form.cleaned_data["invite"],
        )
        messages.success(
            request,
            f"{person} added and invited: {person.email} gets an email with a link to set a "
            "password."
            if person.invited_at
            else f"{person} added. They can sign in once you send them an invitation.",
        )
        return redirect("schools:people", slug=school.slug)
    status = 400 if form.errors else 200
    return _people_page(request, school, form, may_grant=may_grant, status=status)


@require_POST
@login_required
def person_roles(request: AuthenticatedRequest, slug: str, person_id: int) -> HttpResponse:
    school, person = access.member_for_people_manager(request.user, slug, person_id)
    may_grant = access.leads_district(request.user, school.district_id)
    form = PersonRolesForm(
        request.POST, may_grant_district_leader=may_grant, prefix=f"p{person.pk}"
    )
    if not form.is_valid():
        messages.error(request, f"Roles of {person} not saved: choose roles from the list.")
        return redirect("schools:people", slug=school.slug)
    roles = set(form.cleaned_data["roles"])
    if not may_grant and Role.DISTRICT_LEADER in access.roles_at(person, school):
        roles.add(Role.DISTRICT_LEADER)  # not offered to a principal: kept as it is
    if not roles:
        messages.error(
            request,
            f"Roles of {person} not saved: tick at least one role. Someone who left is "
            "deactivated instead, so what they wrote stays theirs.",
        )
        return redirect("schools:people", slug=school.slug)
    try:
        changed = person_roles_set(
            school=school,
            actor=request.user,
            person=person,
            roles=roles,
            may_grant_district_leader=may_grant,
        )
    except PeopleChangeRefused as refused:
        messages.error(request, f"Roles of {person} not saved: {refused.reason}")
    else:
        messages.success(
            request, f"Roles of {person} saved." if changed else f"{person}'s roles are unchanged."
        )
    return redirect("schools:people", slug=school.slug)


@require_POST
@login_required
def person_email(request: AuthenticatedRequest, slug: str, person_id: int) -> HttpResponse:
    """Set the address of someone who has not signed in yet, and send them the invitation."""
    school, person = access.member_for_people_manager(request.user, slug, person_id)
    form = PersonEmailForm(request.POST, prefix=f"e{person.pk}")
    if not form.is_valid():
        problem = " ".join(str(error) for error in form.errors.get("email", ["Type an address."]))
        messages.error(request, f"Email of {person} not saved: {problem}")
        return redirect("schools:people", slug=school.slug)
    email = form.cleaned_data["email"]
    try:
        changed = person_email_set(
            school=school,
            actor=request.user,
            person=person,
            email=email,
            may_grant_district_leader=access.leads_district(request.user, school.district_id),
            manages_everywhere=access.manages_people_everywhere(request.user, person),
        )
    except PeopleChangeRefused as refused:
        messages.error(request, f"Email of {person} not saved: {refused.reason}")
        return redirect("schools:people", slug=school.slug)
    if not changed:
        messages.info(request, f"{person}'s address is {email} already.")
    elif not form.cleaned_data["invite"]:
        messages.success(request, f"{person}'s address is now {email}; no invitation was sent.")
    else:
        try:
            person_invite(school=school, person=person, actor=request.user)
        except InvitationRefused as refused:
            messages.success(request, f"{person}'s address is now {email}.")
            messages.error(request, refused.reason)
        else:
            messages.success(
                request, f"{person}'s address is now {email}, and the invitation was sent there."
            )
    return redirect("schools:people", slug=school.slug)


def _active_set(request: AuthenticatedRequest, slug: str, person_id: int, active: bool):
    school, person = access.member_for_people_manager(request.user, slug, person_id)
    try:
        person_active_set(
            school=school,
            actor=request.user,
            person=person,
            active=active,
            may_grant_district_leader=access.leads_district(request.user, school.district_id),
        )
    except PeopleChangeRefused as refused:
        messages.error(request, refused.reason)
    else:
        messages.success(
            request,
            f"{person} can sign in again."
            if active
            else f"{person} is deactivated: they can no longer sign in, and what they wrote "
            "stays, in their name.",
        )
    return redirect("schools:people", slug=school.slug)


@require_POST
@login_required
def person_deactivate(request: AuthenticatedRequest, slug: str, person_id: int) -> HttpResponse:
    return _active_set(request, slug, person_id, active=False)


@require_POST
@login_required
def person_reactivate(request: AuthenticatedRequest, slug: str, person_id: int) -> HttpResponse:
    return _active_set(request, slug, person_id, active=True)


@require_POST
@login_required
def person_invitation(request: AuthenticatedRequest, slug: str, person_id: int) -> HttpResponse:
    """Send (or send again) one person's invitation. htmx gets the person's invitation cell
    back with the outcome in it; a plain POST goes back to the page with a message."""
    school, person = access.member_for_people_manager(request.user, slug, person_id)
    try:
        person_invite(school=school, person=person, actor=request.user)
    except InvitationRefused as refused:
        note, sent = refused.reason, False
    else:
        note, sent = f"Invitation sent to {person.email}.", True
    if request.htmx:
        context = {"school": school, "person": person, "note": note, "sent": sent}
        return render(request, "schools/_invitation.html", context)
    (messages.success if sent else messages.error)(request, note)
    return redirect("schools:people", slug=school.slug)


@require_POST
@login_required
def people_invitations(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_people_manager(request.user, slug)
    invited = people_invite_all(school=school, actor=request.user)
    if invited:
        messages.success(
            request,
            f"Invitations sent to {invited} {'person' if invited == 1 else 'people'}: each gets "
            "an email with a link to set a password.",
        )
    else:
        messages.info(request, "Everyone who can be invited already was.")
    return redirect("schools:people", slug=school.slug)


@require_GET
@login_required
def audit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    district = access.district_for_leader(request.user, slug)
    schools = list(district.schools.order_by("name"))
    form = AuditFilterForm(request.GET, schools=schools)
    school_id = form.school_id()
    entries = Paginator(
        audit_entries(district_id=district.pk, school_id=school_id), AUDIT_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {"district": district, "form": form, "entries": entries, "school_id": school_id}
    return render(request, "schools/audit.html", context)
