"""Pages for a school's teams: the list, a team (members, common time, meetings, parking
lot), forming or changing one, placing its PLC meetings, and a meeting's agenda."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest
from opendoors.navigation import url_or_none
from schools.selectors import school_people, term_current

from . import forms, services
from .models import AgendaItem, MeetingStatus, ParkingLotItem, Team, TeamMeeting
from .selectors import (
    meeting_agenda,
    meeting_held_summary,
    meetings_held,
    open_parking_lot,
    period_minutes,
    school_pickable_people,
    school_teams,
    team_week,
    upcoming_meetings,
)


@require_GET
@login_required
def team_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_viewer(request.user, slug)
    teams = list(school_teams(school))
    visible = set(
        access.teams_visible_to(request.user).filter(school=school).values_list("pk", flat=True)
    )
    context = {
        "school": school,
        "teams": teams,
        "visible": visible,
        "can_form": access.can_form_team(request.user, school),
    }
    return render(request, "teams/team_list.html", context)


def _team_form(request: AuthenticatedRequest, school, team: Team | None) -> forms.TeamForm:
    facts = {
        row.person.pk: ", ".join(row.subjects)
        + (f", grade {', '.join(row.grades)}" if row.grades else "")
        for row in school_people(school=school, status="active")
        if row.subjects or row.grades
    }
    posted = request.POST if request.method == "POST" else None
    return forms.TeamForm(posted, people=school_pickable_people(school), facts=facts, team=team)


def _team_save(request: AuthenticatedRequest, school, team: Team | None) -> HttpResponse:
    form = _team_form(request, school, team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_save(
                school=school,
                name=data["name"],
                kind=data["kind"],
                members=data["members"],
                facilitators=data["facilitators"],
                by=request.user,
                by_manager=access.manages_teams(request.user, school),
                team=team,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"{team.name} is saved.")
            return redirect("teams:detail", team_id=team.pk)
    status = 400 if request.method == "POST" else 200
    context = {"school": school, "team": team, "form": form}
    return render(request, "teams/team_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def team_new(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    school = access.school_for_team_former(request.user, slug)
    return _team_save(request, school, None)


@require_http_methods(["GET", "POST"])
@login_required
def team_edit(request: AuthenticatedRequest, team_id: int) -> HttpResponse:
    team = access.team_for_leader(request.user, team_id)
    return _team_save(request, team.school, team)


@require_GET
@login_required
def team_detail(request: AuthenticatedRequest, team_id: int) -> HttpResponse:
    team = access.team_for_viewer(request.user, team_id)
    week = team_week(team)
    context = {
        "team": team,
        "school": team.school,
        "week": week,
        "meetings": list(upcoming_meetings(team, today=timezone.localdate())),
        "held": list(meetings_held(team)),
        "attendance_shown": access.attendance_shown(request.user, team, len(week.members)),
        "parking_lot": list(open_parking_lot(team)),
        "can_lead": access.can_lead_team(request.user, team),
        "parking_form": forms.ParkingLotForm(),
    }
    return render(request, "teams/team_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_new(request: AuthenticatedRequest, team_id: int) -> HttpResponse:
    """Place a recurring meeting, usually from a free period on the team's page."""
    team = access.team_for_leader(request.user, team_id)
    term = term_current(team.school)
    if term is None:
        messages.error(request, "The school has no master schedule yet: import it first.")
        return redirect("teams:detail", team_id=team.pk)
    initial = {"slot": request.GET.get("slot", "")} if request.method == "GET" else None
    posted = request.POST if request.method == "POST" else None
    form = forms.MeetingSeriesForm(posted, term=term, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dates = services.meeting_dates(
            slot=data["slot"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            repeat=data["repeat"],
            chosen=data["dates"],
        )
        try:
            placed = services.meetings_schedule(
                team=team, slot=data["slot"], dates=dates, by=request.user
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                f"{len(placed)} meeting{'s' if len(placed) != 1 else ''} placed; they are in "
                "every member's calendar feed.",
            )
            return redirect("teams:detail", team_id=team.pk)
    status = 400 if request.method == "POST" else 200
    context = {"team": team, "school": team.school, "form": form, "term": term}
    return render(request, "teams/meeting_new.html", context, status=status)


def _said(refused: ValidationError) -> str:
    return " ".join(refused.messages)


@require_POST
@login_required
def parking_lot_add(request: AuthenticatedRequest, team_id: int) -> HttpResponse:
    team = access.team_for_viewer(request.user, team_id)
    form = forms.ParkingLotForm(request.POST)
    if form.is_valid():
        services.parking_lot_add(team=team, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, "Kept in the parking lot.")
    else:
        messages.error(request, "Write what the team should come back to (500 characters).")
    return redirect("teams:detail", team_id=team.pk)


@require_POST
@login_required
def parking_lot_done(request: AuthenticatedRequest, team_id: int, item_id: int) -> HttpResponse:
    team = access.team_for_leader(request.user, team_id)
    item = get_object_or_404(ParkingLotItem, team=team, pk=item_id)
    services.parking_lot_done(item=item)
    return redirect("teams:detail", team_id=team.pk)


@require_GET
@login_required
def meeting_detail(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_viewer(request.user, meeting_id)
    return _meeting_page(request, meeting)


def _meeting_page(
    request: AuthenticatedRequest,
    meeting: TeamMeeting,
    *,
    item_form: forms.AgendaItemForm | None = None,
    announcements_form: forms.AnnouncementsForm | None = None,
) -> HttpResponse:
    """The meeting's page; a refused form comes back bound, with what was typed and why
    (status 400), instead of a redirect that would lose a long digest."""
    agenda = meeting_agenda(meeting)
    can_lead = access.can_lead_team(request.user, meeting.team)
    context = {
        "meeting": meeting,
        "team": meeting.team,
        "school": meeting.team.school,
        "agenda": agenda,
        "total": sum(item.minutes for item in agenda) + meeting.end_slot_minutes,
        "length": period_minutes(meeting.slot),
        "can_lead": can_lead,
        # The live runner (protocol_views) starts from here, when the site has it.
        "run_url": url_or_none("protocols:run_start", meeting_id=str(meeting.pk)),
        # Each member sets their own goal here (growth.views); no counts of who did are shown.
        "sets_goal": access.can_set_goal_at(request.user, meeting),
    }
    if meeting.status == MeetingStatus.HELD:
        context["held"] = meeting_held_summary(
            meeting, with_notes=access.reads_meeting_notes(request.user, meeting)
        )
    if can_lead:
        context |= {
            "item_form": item_form or forms.AgendaItemForm(school=meeting.team.school),
            "announcements_form": announcements_form
            or forms.AnnouncementsForm(
                initial={"digest": meeting.digest, "end_slot_minutes": meeting.end_slot_minutes}
            ),
            "cancel_form": forms.CancelForm(),
        }
    refused = item_form is not None or announcements_form is not None
    return render(request, "teams/meeting_detail.html", context, status=400 if refused else 200)


@require_POST
@login_required
def agenda_add(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_leader(request.user, meeting_id)
    form = forms.AgendaItemForm(request.POST, school=meeting.team.school)
    if not form.is_valid():
        return _meeting_page(request, meeting, item_form=form)
    data = form.cleaned_data
    try:
        services.agenda_item_add(
            meeting=meeting,
            kind=data["kind"],
            minutes=data.get("minutes"),
            protocol=data.get("protocol"),
            cycle=data.get("cycle"),
        )
    except ValidationError as refused:
        form.add_error(None, _said(refused))
        return _meeting_page(request, meeting, item_form=form)
    return redirect("teams:meeting", meeting_id=meeting.pk)


@require_POST
@login_required
def agenda_change(request: AuthenticatedRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = access.meeting_for_leader(request.user, meeting_id)
    item = get_object_or_404(AgendaItem, meeting=meeting, pk=item_id)
    form = forms.AgendaChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Up, Down, Remove or Park.")
        return redirect("teams:meeting", meeting_id=meeting.pk)
    action = form.cleaned_data["action"]
    try:
        if action in ("up", "down"):
            services.agenda_item_move(item=item, up=action == "up")
        else:
            services.agenda_item_remove(item=item, park=action == "park", by=request.user)
            if action == "park":
                messages.success(request, f"“{item}” is in the parking lot for a later meeting.")
    except ValidationError as refused:
        messages.error(request, _said(refused))
    return redirect("teams:meeting", meeting_id=meeting.pk)


@require_POST
@login_required
def announcements(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_leader(request.user, meeting_id)
    form = forms.AnnouncementsForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, announcements_form=form)
    try:
        services.meeting_announcements_set(
            meeting=meeting,
            digest=form.cleaned_data["digest"],
            end_slot_minutes=form.cleaned_data["end_slot_minutes"],
        )
    except ValidationError as refused:
        form.add_error(None, _said(refused))
        return _meeting_page(request, meeting, announcements_form=form)
    messages.success(request, "Announcements saved.")
    return redirect("teams:meeting", meeting_id=meeting.pk)


@require_POST
@login_required
def meeting_cancel(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_leader(request.user, meeting_id)
    form = forms.CancelForm(request.POST)
    rest = form.is_valid() and form.cleaned_data["scope"] == "series"
    count = services.meeting_cancel(meeting=meeting, rest_of_series=rest)
    messages.success(
        request, f"{count} meeting{'s' if count != 1 else ''} cancelled; calendars are updated."
    )
    return redirect("teams:detail", team_id=meeting.team_id)
