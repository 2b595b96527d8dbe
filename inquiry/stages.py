"""When a cycle moves from one stage to the next: one rule, `stage_due`, computed on read from
what has happened, never stored. A facilitator may set a stage by hand instead
(`Cycle.stage_by_hand`); it holds until they choose "Follow the steps" again.

The rule, from facts every participant can see on the cycle's pages (its visits and whether
each was debriefed):

- planning: no visit is in the schedule (cancelled visits do not count);
- scheduled: visits are published and some have not happened yet, and no debrief is open;
- debriefing: every visit's time has passed, or a visit that has started has its debrief
  opened, and some visit's debrief has no takeaways yet;
- following up: every visit's debrief has its takeaways, until the follow-up window ends,
  `FOLLOW_UP_WINDOW` after the last visit;
- closed: after that.

Why a window, not "every follow-up answered": goals and follow-up answers are their
authors' (README, "Security and privacy"); a stage that moved when the last answer came in
would tell the facilitator, who chooses the participants, that one person answered. The
window is when the check-in of a goal tried within a week of the visit comes due (check-ins
come two weeks after the goal's date: growth.services.FOLLOW_UP_AFTER). A facilitator who
is done sooner closes the cycle by hand.

A debrief is "opened" once something is written in it (`debrief_written`): a debrief saved
empty is not. And only the debrief of a visit that has started counts: the debrief page
opens when its visit starts (`visit_started`, which the visit page also asks before it
offers "Debrief" and "Set my goal"), so a debrief of a visit days ahead cannot move the
cycle to debriefing before anything was seen.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef

from teams.models import StepNote
from visits.models import Visit, VisitStatus

from .models import Cycle, Stage

# A week to try a goal, then two weeks to its check-in (growth.services.FOLLOW_UP_AFTER).
FOLLOW_UP_WINDOW = timedelta(weeks=3)


@dataclass(frozen=True)
class VisitFacts:
    """What the stage needs to know of one scheduled visit."""

    visit_id: int
    on: date
    ends_at: time | None  # the slot's bell time; without one, the visit lasts its whole day
    debrief_opened: bool  # something is written in its debrief (`debrief_written`)
    debrief_done: bool  # its takeaways are written
    starts_at: time | None = None  # without a bell time, the visit starts with its day

    def over(self, local_now: datetime) -> bool:
        """Whether the visit's time has passed, `local_now` being the school's clock."""
        end = datetime.combine(self.on, self.ends_at or time.max)
        return end <= local_now.replace(tzinfo=None)

    def started(self, local_now: datetime) -> bool:
        """Whether the visit's time has come, `local_now` being the school's clock."""
        start = datetime.combine(self.on, self.starts_at or time.min)
        return start <= local_now.replace(tzinfo=None)


@dataclass(frozen=True)
class StageFacts:
    time_zone: str  # the school's: a visit's date and bell times are its local time
    visits: tuple[VisitFacts, ...] = ()

    def local(self, now: datetime) -> datetime:
        return now.astimezone(ZoneInfo(self.time_zone))

    def visits_over(self, now: datetime) -> list[VisitFacts]:
        local_now = self.local(now)
        return [visit for visit in self.visits if visit.over(local_now)]

    def debrief_opened(self, now: datetime) -> bool:
        """Whether a visit that has started has something written in its debrief."""
        local_now = self.local(now)
        return any(v.debrief_opened and v.started(local_now) for v in self.visits)

    @property
    def follow_up_ends(self) -> date | None:
        """The first day of the closed stage, once visits are in the schedule."""
        return max(v.on for v in self.visits) + FOLLOW_UP_WINDOW if self.visits else None


def stage_due(facts: StageFacts, now: datetime) -> Stage:
    """The stage the cycle's steps have reached at `now` (an aware datetime)."""
    if not facts.visits:
        return Stage.PLANNING
    all_over = len(facts.visits_over(now)) == len(facts.visits)
    if not all_over and not facts.debrief_opened(now):
        return Stage.SCHEDULED
    if not all(v.debrief_done for v in facts.visits):
        return Stage.DEBRIEFING
    ends = facts.follow_up_ends
    if ends is not None and facts.local(now).date() < ends:
        return Stage.FOLLOWING_UP
    return Stage.CLOSED


def stage_of(cycle: Cycle, facts: StageFacts, now: datetime) -> Stage:
    """The stage a cycle shows: the facilitator's choice when they set one, else the steps'."""
    if cycle.stage_by_hand:
        return Stage(cycle.stage_by_hand)
    return stage_due(facts, now)


# A step's notes "hold words" when they have a character other than white space.
WORDS = r"\S"


def debrief_written(noted: bool, takeaways: str, next_step: str) -> bool:
    """Whether a debrief holds anything: notes with words in a step of its protocol run
    (`noted`: StepNote text matching WORDS), its takeaways or its next step; one saved with
    every field blank was not opened (the one place that says so)."""
    return noted or any(text.strip() for text in (takeaways or "", next_step or ""))


def _facts_of(visit: Visit) -> VisitFacts:
    return VisitFacts(visit.pk, visit.date, visit.slot.ends_at, False, False, visit.slot.starts_at)


def visit_started(visit: Visit, now: datetime) -> bool:
    """Whether a visit's time has come in its school's time zone (its cycle's school and its
    slot must be loaded or select_related)."""
    return _facts_of(visit).started(now.astimezone(ZoneInfo(visit.cycle.school.time_zone)))


def visit_over(visit: Visit, now: datetime) -> bool:
    """Whether a visit's time has passed in its school's time zone (as `visit_started`)."""
    return _facts_of(visit).over(now.astimezone(ZoneInfo(visit.cycle.school.time_zone)))


def stage_facts(cycles: Iterable[Cycle]) -> dict[int, StageFacts]:
    """Each cycle's facts, in one query however many cycles (their school must be loaded or
    select_related: its time zone is read)."""
    cycles = list(cycles)
    rows = (
        Visit.objects.filter(cycle__in=[c.pk for c in cycles], status=VisitStatus.SCHEDULED)
        .annotate(
            noted=Exists(
                StepNote.objects.filter(run__debrief__visit=OuterRef("pk"), text__regex=WORDS)
            )
        )
        .order_by("date", "slot__period__position")
        .values_list(
            "pk",
            "cycle_id",
            "date",
            "slot__starts_at",
            "slot__ends_at",
            "noted",
            "debrief__takeaways",
            "debrief__team_next_step",
        )
    )
    visits: dict[int, list[VisitFacts]] = {}
    for pk, cycle_id, on, starts_at, ends_at, noted, takeaways, next_step in rows:
        opened = debrief_written(noted, takeaways, next_step)
        done = bool(takeaways and takeaways.strip())
        facts = VisitFacts(pk, on, ends_at, opened, done, starts_at)
        visits.setdefault(cycle_id, []).append(facts)
    return {c.pk: StageFacts(c.school.time_zone, tuple(visits.get(c.pk, ()))) for c in cycles}


@dataclass(frozen=True)
class CycleStage:
    """A cycle's stage as its pages show it."""

    stage: Stage
    due: Stage  # where the steps are, also when the stage was set by hand
    by_hand: bool
    facts: StageFacts

    @property
    def label(self) -> str:
        return self.stage.label

    @property
    def what_moves_it(self) -> str:
        """What moves the stage on, as the overview tells its facilitator."""
        ends = self.facts.follow_up_ends
        if self.due == Stage.PLANNING:
            return "It moves to “Visits scheduled” when the first visit is published."
        if self.due == Stage.SCHEDULED:
            return (
                "It moves to “Debriefing” once the last visit is over, or once a debrief is "
                "written for a visit that has started."
            )
        if self.due == Stage.DEBRIEFING:
            return "It moves to “Following up” once every visit's debrief has its takeaways."
        if self.due == Stage.FOLLOWING_UP and ends is not None:
            return (
                f"It closes on {ends:%b %-d}, three weeks after the last visit, when goals' "
                "check-ins have come due."
            )
        return "Its follow-up window is over."

    @property
    def value(self) -> str:
        return self.stage.value


def cycle_stage(cycle: Cycle, now: datetime) -> CycleStage:
    """One cycle's stage (one query)."""
    facts = stage_facts([cycle])[cycle.pk]
    return stage_shown(cycle, facts, now)


def stage_shown(cycle: Cycle, facts: StageFacts, now: datetime) -> CycleStage:
    due = stage_due(facts, now)
    return CycleStage(stage_of(cycle, facts, now), due, bool(cycle.stage_by_hand), facts)
