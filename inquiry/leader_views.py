"""The leaders' pages: a school's cycles for its principals and the district's leaders (the plan,
the schedule with its coverage, and each step as counts) and the district's strategy with each
school's goals and the cycles serving them. What they may read is decided in inquiry.leaders
and opendoors.access."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from opendoors import access
from opendoors.http import AuthenticatedRequest
from opendoors.navigation import url_or_none
from schools.models import ImprovementGoal

from .forms import LeaderCycleFilterForm
from .leaders import (
    CycleFilters,
    district_strategy,
    leader_cycle,
    school_cycles_for_leaders,
    stage_counts,
)
from .selectors import cycle_overview


@require_GET
@login_required
def school_cycles(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_leader(request.user, slug)
    goals = list(ImprovementGoal.objects.filter(school=school, archived_at__isnull=True))
    form = LeaderCycleFilterForm(request.GET, goals=goals)
    chosen = form.filters()
    filters = CycleFilters(
        stage=chosen.get("stage", ""),
        structure=chosen.get("structure", ""),
        goal=int(chosen["goal"]) if "goal" in chosen else None,
    )
    rows = school_cycles_for_leaders(school, now=timezone.now(), filters=filters)
    stages = stage_counts(rows)
    context = {
        "school": school,
        "form": form,
        "filtered": bool(chosen),
        "rows": rows,
        "stage_rows": [
            {"label": stage.label, "value": n, "max": max(c for _, c in stages)}
            for stage, n in stages
        ],
        "k": school.district.min_classrooms_for_aggregates,
        "dashboard_url": url_or_none("insights:school_dashboard", slug=school.slug),
        "leads_district": access.leads_district(request.user, school.district_id),
    }
    return render(request, "inquiry/leaders/school_cycles.html", context)


@require_GET
@login_required
def school_cycle(request: AuthenticatedRequest, slug: str, cycle_id: int) -> HttpResponse:
    """One cycle's plan, schedule and coverage for the school's leaders: no pre-brief's,
    debrief's, goal's or answer's words (cycle_overview reads the pre-briefs; the template
    shows only how many were written)."""
    cycle = access.cycle_for_leader(request.user, slug, cycle_id)
    overview = cycle_overview(cycle=cycle, viewer=request.user)
    context = {
        "school": cycle.school,
        "cycle": cycle,
        "row": leader_cycle(cycle, now=timezone.now()),
        "facilitators": overview["facilitators"],
        "observers": overview["observers"],
        "hosts": [host for host, _ in overview["hosts"]],
        "visits": overview["visits"],
        "k": cycle.school.district.min_classrooms_for_aggregates,
        "takes_part": access.cycles_visible_to(request.user).filter(pk=cycle.pk).exists(),
    }
    return render(request, "inquiry/leaders/school_cycle.html", context)


@require_GET
@login_required
def strategy(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    district = access.district_for_leader(request.user, slug)
    context = {
        "district": district,
        "schools": district_strategy(district, now=timezone.now()),
        "dashboard_url": url_or_none("insights:district_dashboard", slug=district.slug),
    }
    return render(request, "inquiry/leaders/strategy.html", context)
