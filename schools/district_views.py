"""A district's own pages: its first run (superusers), its settings and its schools (its
leaders). Access is decided in opendoors.access; writes are in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest

from .credits import conversion_in_words
from .district_forms import (
    DesignationForm,
    DistrictCreditsForm,
    DistrictSettingsForm,
    DistrictSetupForm,
    SchoolAddForm,
    SchoolRenameForm,
)
from .models import CreditDesignation, District
from .selectors import district_schools
from .services import (
    DistrictChangeRefused,
    designation_add,
    designation_change,
    designation_remove,
    district_credits_change,
    district_settings_change,
    district_setup,
    school_add,
    school_archived_set,
    school_rename,
)


@require_http_methods(["GET", "POST"])
@login_required
def setup(request: AuthenticatedRequest) -> HttpResponse:
    access.superuser_or_404(request.user)
    form = DistrictSetupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = district_setup(**form.cleaned_data, actor=request.user)
        except DistrictChangeRefused as refused:
            form.add_error(None, refused.reason)
        else:
            if not done.created:
                form.add_error(
                    "slug",
                    f"The district “{done.district}” already has this web address: "
                    "nothing was changed.",
                )
            else:
                messages.success(
                    request,
                    f"{done.district} is set up with {done.school}; {done.leader} leads it.",
                )
                return redirect("district:schools", slug=done.district.slug)
    status = 400 if form.errors else 200
    return render(request, "schools/district_setup.html", {"form": form}, status=status)


def _settings_page(
    request: AuthenticatedRequest,
    district: District,
    *,
    form: DistrictSettingsForm | None = None,
    credits_form: DistrictCreditsForm | None = None,
    add_form: DesignationForm | None = None,
    editing: tuple[int, DesignationForm] | None = None,
) -> HttpResponse:
    """The settings page; a form posted with errors is shown bound (and the page is a 400)."""
    copy = District.objects.get(pk=district.pk)  # each form's own copy; saved by the services
    designations = list(CreditDesignation.objects.filter(district=district))
    for designation in designations:
        bound = editing[1] if editing and editing[0] == designation.pk else None
        designation.form = bound or DesignationForm(  # type: ignore[attr-defined]
            initial={
                "name": designation.name,
                "description": designation.description,
                "activities": designation.activities,
            },
            auto_id=f"designation-{designation.pk}-%s",
        )
        designation.open = bound is not None  # type: ignore[attr-defined]
    forms = {
        "form": form or DistrictSettingsForm(instance=copy),
        "credits_form": credits_form or DistrictCreditsForm(instance=copy, auto_id="credits-%s"),
        "add_form": add_form or DesignationForm(auto_id="designation-new-%s"),
    }
    failed = any(f.errors for f in forms.values()) or editing is not None
    context = {
        "district": district,
        "conversion": conversion_in_words(district),
        "designations": designations,
        **forms,
    }
    return render(request, "schools/district_settings.html", context, status=400 if failed else 200)


@require_http_methods(["GET", "POST"])
@login_required
def settings(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    district = access.district_for_leader(request.user, slug)
    if request.method == "GET":
        return _settings_page(request, district)
    form = DistrictSettingsForm(request.POST, instance=District.objects.get(pk=district.pk))
    if not form.is_valid():
        return _settings_page(request, district, form=form)
    changed = district_settings_change(
        district=district, actor=request.user, values=form.cleaned_data
    )
    messages.success(
        request,
        f"Saved: {', '.join(changed)}." if changed else "Nothing to save: no setting changed.",
    )
    return redirect("district:settings", slug=district.slug)


@require_POST
@login_required
def credits(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    district = access.district_for_leader(request.user, slug)
    form = DistrictCreditsForm(
        request.POST, instance=District.objects.get(pk=district.pk), auto_id="credits-%s"
    )
    if not form.is_valid():
        return _settings_page(request, district, credits_form=form)
    changed = district_credits_change(
        district=district, actor=request.user, values=form.cleaned_data
    )
    messages.success(
        request,
        f"Saved: {', '.join(changed)}. Credits now: {conversion_in_words(district)}."
        if changed
        else "Nothing to save: no credit rule changed.",
    )
    return redirect(f"{reverse('district:settings', kwargs={'slug': district.slug})}#credits")


def _designations_url(district: District) -> str:
    return f"{reverse('district:settings', kwargs={'slug': district.slug})}#designations"


@require_POST
@login_required
def designation_new(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    district = access.district_for_leader(request.user, slug)
    form = DesignationForm(request.POST, auto_id="designation-new-%s")
    if form.is_valid():
        try:
            designation = designation_add(district=district, actor=request.user, **form.values())
        except DistrictChangeRefused as refused:
            form.add_error("name", refused.reason)
        else:
            messages.success(request, f"Designation “{designation}” added.")
            return redirect(_designations_url(district))
    return _settings_page(request, district, add_form=form)


@require_POST
@login_required
def designation_edit(request: AuthenticatedRequest, slug: str, designation_id: int) -> HttpResponse:
    designation = access.designation_for_leader(request.user, slug, designation_id)
    district = designation.district
    form = DesignationForm(request.POST, auto_id=f"designation-{designation.pk}-%s")
    if form.is_valid():
        try:
            changed = designation_change(
                designation=designation, actor=request.user, **form.values()
            )
        except DistrictChangeRefused as refused:
            form.add_error("name", refused.reason)
        else:
            messages.success(
                request,
                f"Designation “{designation}” saved." if changed else "Nothing to save.",
            )
            return redirect(_designations_url(district))
    return _settings_page(request, district, editing=(designation.pk, form))


@require_POST
@login_required
def designation_delete(
    request: AuthenticatedRequest, slug: str, designation_id: int
) -> HttpResponse:
    designation = access.designation_for_leader(request.user, slug, designation_id)
    designation_remove(designation=designation, actor=request.user)
    messages.success(request, f"Designation “{designation}” removed.")
    return redirect(_designations_url(designation.district))


def _schools_page(
    request: AuthenticatedRequest, district: District, form: SchoolAddForm, status: int = 200
) -> HttpResponse:
    rows = list(district_schools(district_id=district.pk))
    for school in rows:
        school.rename_form = SchoolRenameForm(  # type: ignore[attr-defined]
            initial={"name": school.name}, auto_id=f"rename-{school.pk}-%s"
        )
    context = {
        "district": district,
        "schools": rows,
        "add_form": form,
    }
    return render(request, "schools/district_schools.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def schools(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    district = access.district_for_leader(request.user, slug)
    form = SchoolAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            school = school_add(district=district, actor=request.user, **form.cleaned_data)
        except DistrictChangeRefused as refused:
            form.add_error("slug", refused.reason)
        else:
            messages.success(
                request,
                f"{school} added, with the district's time zone and coverage limits. "
                "Next: import its schedule and add its people.",
            )
            return redirect("district:schools", slug=district.slug)
    return _schools_page(request, district, form, status=400 if form.errors else 200)


@require_POST
@login_required
def school_rename_view(request: AuthenticatedRequest, slug: str, school_id: int) -> HttpResponse:
    school = access.school_of_district_for_leader(request.user, slug, school_id)
    form = SchoolRenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{school} not renamed: give it a name.")
    elif school_rename(school=school, actor=request.user, name=form.cleaned_data["name"]):
        messages.success(request, f"Renamed to {school}.")
    return redirect("district:schools", slug=school.district.slug)


def _archived_set(request: AuthenticatedRequest, slug: str, school_id: int, archived: bool):
    school = access.school_of_district_for_leader(request.user, slug, school_id)
    if school_archived_set(school=school, actor=request.user, archived=archived):
        messages.success(
            request,
            f"{school} is archived: it keeps its history and leaves the lists of schools."
            if archived
            else f"{school} is back in the lists of schools.",
        )
    return redirect("district:schools", slug=school.district.slug)


@require_POST
@login_required
def school_archive(request: AuthenticatedRequest, slug: str, school_id: int) -> HttpResponse:
    return _archived_set(request, slug, school_id, archived=True)


@require_POST
@login_required
def school_unarchive(request: AuthenticatedRequest, slug: str, school_id: int) -> HttpResponse:
    return _archived_set(request, slug, school_id, archived=False)
