"""The home page: where a signed-in person starts, with their upcoming visits and, for a
facilitator, the board of their cycles."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from growth.models import FollowUp
from inquiry.board import facilitator_board
from inquiry.leaders import cycles_by_stage
from visits.selectors import classrooms_left_by, upcoming_visits_for

from .access import people_managed_by, schools_with_rights
from .http import AuthenticatedRequest
from .navigation import url_or_none


@require_GET
@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    people_schools, led_districts = people_managed_by(request.user)
    schools = schools_with_rights(request.user)
    # A school's leaders (its principals, the district's leaders) see its cycles by stage.
    led = cycles_by_stage(
        {school.pk for school, _, _ in schools if school.pk in people_schools}, now=timezone.now()
    )
    for school, _, _ in schools:
        if school.pk in led:
            school.cycle_stages = led[school.pk]  # type: ignore[attr-defined]
            school.dashboard_url = url_or_none(  # type: ignore[attr-defined]
                "insights:school_dashboard", slug=school.slug
            )
    context = {
        "schools": schools,
        "people_schools": people_schools,
        "led_districts": led_districts,
        "upcoming": upcoming_visits_for(request.user, today=timezone.localdate()),
        "board": facilitator_board(request.user, now=timezone.now()),
        "left_classrooms": classrooms_left_by(request.user),
        "follow_ups": FollowUp.objects.filter(
            goal__person=request.user, answered_at__isnull=True
        ).select_related("goal__cycle", "goal__meeting__team")[:10],
    }
    return render(request, "home.html", context)
