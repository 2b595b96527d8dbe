"""The home page: where a signed-in person starts, with their upcoming visits and, for a
facilitator, the board of their cycles."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from growth.models import FollowUp
from inquiry.board import facilitator_board
from visits.selectors import classrooms_left_by, upcoming_visits_for

from .access import people_managed_by, schools_with_rights
from .http import AuthenticatedRequest


@require_GET
@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    people_schools, led_districts = people_managed_by(request.user)
    context = {
        "schools": schools_with_rights(request.user),
        "people_schools": people_schools,
        "led_districts": led_districts,
        "upcoming": upcoming_visits_for(request.user, today=timezone.localdate()),
        "board": facilitator_board(request.user, now=timezone.now()),
        "left_classrooms": classrooms_left_by(request.user),
        "follow_ups": FollowUp.objects.filter(
            goal__person=request.user, answered_at__isnull=True
        ).select_related("goal__cycle")[:10],
    }
    return render(request, "home.html", context)
