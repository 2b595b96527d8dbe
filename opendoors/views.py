"""The home page: where a signed-in person starts."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from schools.access import can_manage_schedule, schools_visible_to


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    schools = [
        (school, can_manage_schedule(request.user, school))
        for school in schools_visible_to(request.user).select_related("district")
    ]
    return render(request, "home.html", {"schools": schools})
