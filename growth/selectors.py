"""Reads for goals (one's own set at a meeting) and for celebrations: what the weekly digest
tells each person."""

from datetime import datetime

from django.db.models import Q

from schools.models import Membership, Person
from teams.models import TeamMeeting, TeamMember

from .models import Audience, Goal, ShoutOut


def own_goals_at(person: Person, meeting: TeamMeeting) -> list[Goal]:
    """The goals a person set at a team's meeting: theirs alone, nobody else's are read."""
    return list(Goal.objects.filter(person=person, meeting=meeting).order_by("created_at"))


def celebrations_digest(*, since: datetime, until: datetime) -> dict[Person, list[ShoutOut]]:
    """Person -> the shout-outs shared with them (their team's, their school's) between
    `since` and `until`, not those about themselves (they saw them first). Only people with
    an email who want optional emails (`email_reminders`). Three queries, however many."""
    shared = list(
        ShoutOut.objects.filter(
            audience_chosen_at__gte=since,
            audience_chosen_at__lt=until,
            audience__in=[Audience.TEAM, Audience.SCHOOL],
        ).select_related("celebrated", "author", "team")
    )
    if not shared:
        return {}
    schools = {item.school_id for item in shared}
    teams = {item.team_id for item in shared if item.audience == Audience.TEAM}
    wants = Q(person__is_active=True, person__email_reminders=True) & ~Q(person__email="")
    people: dict[int, Person] = {}
    school_of: dict[int, set[int]] = {}
    for membership in Membership.objects.filter(wants, school__in=schools).select_related("person"):
        people[membership.person_id] = membership.person
        school_of.setdefault(membership.person_id, set()).add(membership.school_id)
    team_of: dict[int, set[int]] = {}
    for member in TeamMember.objects.filter(wants, team__in=teams).select_related("person"):
        people[member.person_id] = member.person
        team_of.setdefault(member.person_id, set()).add(member.team_id)
    digest: dict[Person, list[ShoutOut]] = {}
    for pk, person in people.items():
        items = [
            item
            for item in shared
            if item.celebrated_id != pk
            and (
                (item.audience == Audience.SCHOOL and item.school_id in school_of.get(pk, set()))
                or (item.audience == Audience.TEAM and item.team_id in team_of.get(pk, set()))
            )
        ]
        if items:
            digest[person] = items
    return digest
