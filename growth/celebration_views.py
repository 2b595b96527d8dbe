"""Celebrations: shout-outs to colleagues, and bright moments from a host's own classroom.

The person celebrated chooses who sees each one (only them, a team they are on, the
school). Nothing here is counted per person: no points, no badges, no leaderboards.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest
from schools.models import School

from .forms import AudienceForm, ShoutOutForm, audience_choices
from .models import Audience, ShoutOut
from .services import (
    CelebrationRefused,
    bright_moment_share,
    shout_out_audience_set,
    shout_out_give,
)

# The school page shows the most recent; older ones stay in each person's own list.
RECENT = 50

SAID = {
    Audience.PRIVATE: "Kept for you alone.",
    Audience.TEAM: "Shown to your team.",
    Audience.SCHOOL: "Shown to your school.",
}


@login_required
def my_celebrations(request: AuthenticatedRequest) -> HttpResponse:
    """Shout-outs to me (I choose who sees them), bright moments from my classroom (they
    reach me first), and those I gave."""
    person = request.user
    received = list(
        ShoutOut.objects.filter(celebrated=person)
        .select_related("author", "school", "team", "goal")
        .order_by("-created_at", "-id")
    )
    shared = set(
        ShoutOut.objects.filter(celebrated=person, bright_moment__isnull=False).values_list(
            "bright_moment_id", flat=True
        )
    )
    moments = [m for m in access.bright_moments_of_host(person) if m.pk not in shared]
    given = ShoutOut.objects.filter(author=person).select_related("celebrated", "school")
    schools = [school for school, _, _ in access.schools_with_rights(person)]
    choices: dict[int, tuple] = {}

    def choices_at(school: School) -> dict:
        if school.pk not in choices:
            choices[school.pk] = audience_choices(person, school)
        teams, goals = choices[school.pk]
        return {"teams": teams, "goals": goals}

    audience_forms = {
        item.pk: AudienceForm(
            initial={"audience": item.audience, "team": item.team_id, "goal": item.goal_id},
            prefix=f"s{item.pk}",
            **choices_at(item.school),
        )
        for item in received
    }
    moment_forms = [
        (
            moment,
            AudienceForm(
                initial={"audience": Audience.TEAM},
                prefix=f"m{moment.pk.hex[:8]}",
                **choices_at(moment.classroom.visit.cycle.school),
            ),
        )
        for moment in moments
    ]
    context = {
        "received": [(item, audience_forms[item.pk]) for item in received],
        "moments": moment_forms,
        "given": given,
        "schools": schools,
    }
    return render(request, "growth/celebrations/mine.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def school_celebrations(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The school's celebrations a person may see, and a shout-out to give."""
    school = access.school_for_viewer(request.user, slug)
    posted = request.POST if request.method == "POST" else None
    form = ShoutOutForm(posted, school=school, author=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            shout_out = shout_out_give(school=school, author=request.user, **form.cleaned_data)
        except CelebrationRefused as refused:
            form.add_error(None, refused.reason)
        else:
            messages.success(
                request,
                f"Sent to {shout_out.celebrated}. They choose whether their team or the school "
                "sees it.",
            )
            return redirect("growth:school_celebrations", slug=school.slug)
    visible = (
        access.shout_outs_visible_to(request.user, school)
        .exclude(audience=Audience.PRIVATE)
        .select_related("celebrated", "author", "team")[:RECENT]
    )
    context = {"school": school, "form": form, "shout_outs": visible}
    status = 400 if form.errors else 200
    return render(request, "growth/celebrations/school.html", context, status=status)


@require_POST
@login_required
def shout_out_audience(request: AuthenticatedRequest, shout_out_id: int) -> HttpResponse:
    shout_out = access.shout_out_for_celebrated(request.user, shout_out_id)
    teams, goals = audience_choices(request.user, shout_out.school)
    form = AudienceForm(request.POST, teams=teams, goals=goals, prefix=f"s{shout_out.pk}")
    if form.is_valid():
        shout_out_audience_set(shout_out=shout_out, **form.cleaned_data)
        messages.success(request, SAID[form.cleaned_data["audience"]])
    else:
        messages.error(request, _first_error(form))
    return redirect("growth:my_celebrations")


@require_POST
@login_required
def bright_moment_share_view(request: AuthenticatedRequest, evidence_id: UUID) -> HttpResponse:
    moment = get_object_or_404(access.bright_moments_of_host(request.user), pk=evidence_id)
    school: School = moment.classroom.visit.cycle.school
    teams, goals = audience_choices(request.user, school)
    form = AudienceForm(request.POST, teams=teams, goals=goals, prefix=f"m{moment.pk.hex[:8]}")
    if form.is_valid():
        try:
            bright_moment_share(
                host=request.user,
                moment=moment,
                school=school,
                audience=form.cleaned_data["audience"],
                team=form.cleaned_data["team"],
            )
        except CelebrationRefused as refused:
            messages.error(request, refused.reason)
        else:
            messages.success(request, SAID[form.cleaned_data["audience"]])
    else:
        messages.error(request, _first_error(form))
    return redirect("growth:my_celebrations")


def _first_error(form: AudienceForm) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return "Choose who may see it."
