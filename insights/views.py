"""The school's patterns page: what classrooms show together, never one classroom."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opendoors import access
from opendoors.http import AuthenticatedRequest


@require_GET
@login_required
def patterns(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_viewer(request.user, slug)
    context = {
        "school": school,
        "patterns": access.school_patterns_for(request.user, school),
        "k": school.district.min_classrooms_for_aggregates,
    }
    return render(request, "insights/patterns.html", context)
