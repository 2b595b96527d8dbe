"""The school's and the district's dashboards, and their CSV and PDF downloads."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from opendoors import access
from opendoors.http import AuthenticatedRequest
from opendoors.navigation import url_or_none
from opendoors.security import private_no_store

from . import report
from .dashboard import common_time_offered, district_numbers
from .dashboard_filters import filter_choices, school_numbers, teacher_groups
from .dashboard_forms import FilterForm, SpanForm


def _download(body: bytes | str, kind: str, filename: str) -> HttpResponse:
    content_type = "application/pdf" if kind == "pdf" else "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


@require_GET
@login_required
@private_no_store
def school_dashboard(request: AuthenticatedRequest, slug: str, kind: str = "") -> HttpResponse:
    school = access.school_for_leader(request.user, slug)
    form = SpanForm(request.GET or None)
    span = form.span()
    k = school.district.min_classrooms_for_aggregates
    today = timezone.localdate()
    groups = teacher_groups(school)
    choices = filter_choices(school, groups, k=k)
    filter_form = FilterForm(request.GET or None, choices=choices)
    chosen = filter_form.chosen()
    numbers = school_numbers(school, span, chosen, k=k, groups=groups, choices=choices, today=today)
    context = report.school_context(
        numbers,
        span,
        k=k,
        today=today,
        team_time=common_time_offered(school, k=k),
        chosen=chosen,
    )
    if kind:
        name = report.filename(school.slug, span, kind, chosen)
        body = (
            report.as_pdf(context)
            if kind == "pdf"
            else report.school_csv(numbers, span, k=k, chosen=chosen)
        )
        return _download(body, kind, name)
    context |= {"form": form, "filter_form": filter_form, "query": request.GET.urlencode()}
    return render(request, "insights/dashboard.html", context)


@require_GET
@login_required
@private_no_store
def district_dashboard(request: AuthenticatedRequest, slug: str, kind: str = "") -> HttpResponse:
    district = access.district_for_leader(request.user, slug)
    form = SpanForm(request.GET or None)
    span = form.span()
    numbers = district_numbers(district, span)
    context = report.district_context(numbers, span, today=timezone.localdate())
    if kind:
        name = report.filename(district.slug, span, kind)
        body = report.as_pdf(context) if kind == "pdf" else report.district_csv(numbers, span)
        return _download(body, kind, name)
    context |= {
        "form": form,
        "query": request.GET.urlencode(),
        "strategy_url": url_or_none("district:strategy", slug=district.slug),
    }
    return render(request, "insights/district_dashboard.html", context)
