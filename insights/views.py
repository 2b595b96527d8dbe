"""The school's patterns page: what classrooms show together, never one classroom."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opendoors import access
from opendoors.http import AuthenticatedRequest

from .forms import PatternsRangeForm
from .selectors import (
    look_fors_by_period,
    patterns_by_goal,
    patterns_by_problem,
    patterns_over_time,
    talk_chart,
)


@require_GET
@login_required
def patterns(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_viewer(request.user, slug)
    terms = list(school.terms.filter(starts_on__isnull=False, ends_on__isnull=False))
    terms.sort(key=lambda term: (term.starts_on, term.pk))
    form = PatternsRangeForm(request.GET or None, terms=terms)
    held_from, held_to = form.held()
    cycles = access.school_patterns_for(request.user, school, held_from=held_from, held_to=held_to)
    periods = patterns_over_time(cycles, terms)
    context = {
        "school": school,
        "form": form,
        "filtered": bool(held_from or held_to),
        "patterns": cycles,
        "periods": periods,
        "period_talk": talk_chart(periods),
        "period_look_fors": look_fors_by_period(periods),
        "by_goal": patterns_by_goal(cycles),
        "by_problem": patterns_by_problem(cycles),
        "k": school.district.min_classrooms_for_aggregates,
    }
    return render(request, "insights/patterns.html", context, status=400 if form.errors else 200)
