"""A district's own pages: its first run (superusers), its settings and its schools (its
leaders). Access is decided in opendoors.access; writes are in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest

from .district_forms import (
    DistrictSettingsForm,
    DistrictSetupForm,
    SchoolAddForm,
    SchoolRenameForm,
)
from .models import District
from .selectors import district_schools
from .services import (
    DistrictChangeRefused,
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


@require_http_methods(["GET", "POST"])
@login_required
def settings(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    district = access.district_for_leader(request.user, slug)
    form = DistrictSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=District.objects.get(pk=district.pk),  # the form's copy; saved by the service
    )
    if request.method == "POST" and form.is_valid():
        changed = district_settings_change(
            district=district, actor=request.user, values=form.cleaned_data
        )
        messages.success(
            request,
            f"Saved: {', '.join(changed)}." if changed else "Nothing to save: no setting changed.",
        )
        return redirect("district:settings", slug=district.slug)
    context = {"district": district, "form": form}
    return render(
        request, "schools/district_settings.html", context, status=400 if form.errors else 200
    )


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
