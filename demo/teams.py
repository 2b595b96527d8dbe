"""The demo's teams at Lincoln: the grade 7 and grade 8 teams, each with a run of weekly PLC
meetings in a period every member has free, found the way the team page finds it
(`teams.selectors.team_week`) and placed through the same service and checks
(`teams.services.meetings_schedule`). Running it again changes nothing."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from rosters.ordering import weekday_of
from schools.models import Person, School
from teams.models import AgendaItem, AgendaKind, Protocol, ProtocolRun, TeamKind, TeamMeeting
from teams.runner import note_save, run_end, run_start
from teams.selectors import team_week
from teams.services import (
    Repeat,
    meeting_dates,
    meeting_problems,
    meetings_schedule,
    team_save,
)

MEETINGS = 4  # weekly, from next week
# The grade 7 team's semester so far: a meeting every other week before the tuning protocol,
# each running one protocol of the library, so its members' hours span several months.
SEMESTER_WEEKS_AGO = range(4, 17, 2)
SEMESTER_PROTOCOLS = [
    "teach-one-another",
    "consultancy",
    "goal-check-in",
    "atlas-looking-at-data",
    "save-the-last-word",
    "success-analysis",
    "celebrate-successes",
]
# (name, the teachers on it, its facilitator): teacher1-9 teach grade 7, teacher19-27 grade 8.
TEAMS = [
    ("Grade 7 team", [f"teacher{n}" for n in range(1, 10)], "teacher1"),
    ("Grade 8 team", [f"teacher{n}" for n in range(19, 28)], "coach"),
]


@transaction.atomic
def demo_teams_load(school: School, *, today: date) -> None:
    for name, usernames, facilitator in TEAMS:
        if school.teams.filter(name=name).exists():
            continue
        people = list(Person.objects.filter(username__in=usernames))
        lead = Person.objects.get(username=facilitator)
        team = team_save(
            school=school,
            name=name,
            kind=TeamKind.GRADE_LEVEL,
            members=people,
            facilitators=[lead],
            by=lead,
            by_manager=True,
        )
        week = team_week(team)
        # Tuesdays when the team shares one, else its first common period.
        free = sorted(week.all_free, key=lambda s: s.day.label != "Tue")
        if not free:
            continue
        slot = free[0]
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
        dates = meeting_dates(
            slot=slot,
            starts_on=monday,
            ends_on=monday + timedelta(weeks=MEETINGS - 1, days=6),
            repeat=Repeat.WEEKLY,
        )
        # A date on which a member is already in a visit is left out.
        dates = [on for on in dates if not meeting_problems(team=team, slot=slot, dates=[on])]
        if dates:
            meetings_schedule(team=team, slot=slot, dates=dates, by=lead)
        if name == TEAMS[0][0]:
            _a_tuning_protocol_held(team, slot, lead, before=monday)
            _a_semester_of_meetings(team, slot, lead, before=monday)


# The tuning protocol the grade 7 team ran last week: notes on its steps, what they took away,
# their next step, and who attended (all but one), so the team page, the run's page and the
# members' hours have something to show.
TUNING_NOTES = {
    0: "Ana shared her exit ticket on ratios: can students explain why, not just compute?",
    3: "Warm: every student wrote something. Cool: the second question invites recall only.",
    5: "Ana will rewrite question 2 as 'Convince a partner who disagrees'.",
}


def _a_tuning_protocol_held(team, slot, lead: Person, *, before: date) -> None:
    weekday = weekday_of(slot.day.label)
    if weekday is None:
        return
    held_on = before - timedelta(weeks=2) + timedelta(days=weekday)
    meeting = TeamMeeting.objects.create(team=team, date=held_on, slot=slot, created_by=lead)
    tuning = Protocol.objects.get(library_key="tuning")
    AgendaItem.objects.create(
        meeting=meeting,
        kind=AgendaKind.PROTOCOL,
        title=tuning.title,
        minutes=tuning.total_minutes,
        protocol=tuning,
    )
    run = run_start(meeting=meeting, protocol=tuning, by=lead, recorder=lead)
    for step, text in TUNING_NOTES.items():
        note_save(run=run, step=step, text=text, by=lead)
    members = list(team.members.values_list("person_id", flat=True))
    run_end(
        run=run,
        takeaways="Exit tickets show thinking when the question asks students to convince.",
        next_step="Each of us rewrites one exit ticket question and brings student work next week.",
        attended=set(members[:-1]),
    )
    at = timezone.make_aware(datetime.combine(held_on, time(14, 0)))
    ProtocolRun.objects.filter(pk=run.pk).update(started_at=at, step_started_at=at, ended_at=at)


def _a_semester_of_meetings(team, slot, lead: Person, *, before: date) -> None:
    """Meetings held every other week since the semester began, each with its protocol run
    and everyone attending: the ledger counts them through the runner, as on the page."""
    weekday = weekday_of(slot.day.label)
    if weekday is None:
        return
    members = set(team.members.values_list("person_id", flat=True))
    protocols = {p.library_key: p for p in Protocol.objects.filter(library_key__isnull=False)}
    for weeks, key in zip(SEMESTER_WEEKS_AGO, SEMESTER_PROTOCOLS, strict=True):
        held_on = before - timedelta(weeks=weeks) + timedelta(days=weekday)
        protocol = protocols[key]
        meeting = TeamMeeting.objects.create(team=team, date=held_on, slot=slot, created_by=lead)
        AgendaItem.objects.create(
            meeting=meeting,
            kind=AgendaKind.PROTOCOL,
            title=protocol.title,
            minutes=protocol.total_minutes,
            protocol=protocol,
        )
        run = run_start(meeting=meeting, protocol=protocol, by=lead, recorder=lead)
        run_end(run=run, takeaways="", next_step="", attended=members)
        at = timezone.make_aware(datetime.combine(held_on, time(14, 0)))
        ProtocolRun.objects.filter(pk=run.pk).update(started_at=at, step_started_at=at, ended_at=at)
