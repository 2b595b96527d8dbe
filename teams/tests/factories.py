"""Teams, meetings and protocol runs for tests, made directly with the models."""

from datetime import date

from schools.models import Person, School, Slot
from teams.models import Protocol, ProtocolRun, Team, TeamMeeting, TeamMember
from teams.protocol_services import library_sync
from teams.runner import run_start


def library_loaded() -> None:
    """The shipped library, as the data migration loads it: a transactional test (threads, the
    browser) starts from a flushed database, which no longer holds the migration's rows."""
    if not Protocol.objects.filter(library_key__isnull=False).exists():
        library_sync()


def make_team(
    school: School,
    name: str,
    *,
    members: list[Person],
    facilitators: list[Person] = (),  # type: ignore[assignment]
) -> Team:
    """A team of `members`; `facilitators` are on it too and lead its meetings."""
    team = Team.objects.create(school=school, name=name)
    for person in [*facilitators, *members]:
        TeamMember.objects.get_or_create(
            team=team, person=person, defaults={"is_facilitator": person in facilitators}
        )
    return team


def make_team_meeting(team: Team, on: date | None = None) -> TeamMeeting:
    """A meeting of the team in the first period of the school's week."""
    slot = Slot.objects.filter(term__school=team.school).order_by("id").first()
    assert slot is not None, "make_schedule(school) first"
    return TeamMeeting.objects.create(team=team, date=on or date.today(), slot=slot)


def make_protocol_run(
    meeting: TeamMeeting, by: Person, key: str = "tuning", recorder: Person | None = None
) -> ProtocolRun:
    """The library protocol `key` started for the meeting by one of its facilitators."""
    library_loaded()
    return run_start(
        meeting=meeting,
        protocol=Protocol.objects.get(library_key=key),
        by=by,
        recorder=recorder or by,
    )
