"""The demo's five cycles at Lincoln, one per structure, each at a different stage.

Visits are placed through the same service and rules as the pages, in real slots
of the demo master schedule, without emailing anyone. No stage is set by hand: each
follows from what happened (`inquiry.stages.stage_due`): the round's visits are next week
(scheduled), the lab has none yet (planning), the micro-observations were last week and
wait for their debriefs (debriefing), the swap day was debriefed two weeks ago (following
up) and the learning walk's follow-up window is over (closed).
"""

import uuid
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from growth.services import follow_up_answer, goal_set
from inquiry.models import Cycle
from inquiry.services import cycle_start, look_for_add, participants_set, pre_brief_save
from inquiry.structures import Structure
from schools.models import Meeting, Person, School, Slot, Unavailability
from visits.capture import Entry, evidence_record
from visits.models import Debrief
from visits.rules import ObserverPlan, VisitPlan
from visits.services import visit_schedule

ROUNDS_LOOK_FORS = [
    ("Students explain their reasoning to a partner", "oral"),
    ("Students ask each other clarifying questions", "oral"),
    ("Students refer to anchor charts or notes while they work", "visual"),
    ("Students use manipulatives or drawings to show their thinking", "visual"),
]


def _monday(weeks_from_now: int, today: date) -> date:
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=weeks_from_now)


def _teaching(slot: Slot) -> dict[int, Meeting]:
    return {m.teacher_id: m for m in Meeting.objects.filter(slot=slot).select_related("section")}


def _free(school: School, slot: Slot, teaching: dict[int, Meeting]) -> list[Person]:
    on_duty = set(Unavailability.objects.filter(slot=slot).values_list("person_id", flat=True))
    teachers = Person.objects.filter(memberships__school=school, memberships__role="teacher")
    return [p for p in teachers.distinct() if p.pk not in teaching and p.pk not in on_duty]


def _slot(school: School, day: str, period: str) -> Slot:
    return Slot.objects.get(term__school=school, day__label=day, period__label=period)


def _round(school: School, coach: Person, principal: Person, today: date) -> None:
    cycle = cycle_start(
        school=school,
        structure=Structure.ROUNDS,
        title="Grade 7 rounds: students explaining their reasoning",
        by=coach,
    )
    cycle.problem_of_practice = (
        "What is the evidence that students explain and justify their mathematical reasoning, "
        "to each other and in writing?"
    )
    cycle.theory_of_action = (
        "If students regularly explain their reasoning to a partner before they write, then "
        "more of them will justify their answers in writing."
    )
    cycle.informed_by = "Fall interim: constructed-response items were the weakest strand."
    cycle.initiative = "Math practice standard 3: construct viable arguments"
    for name in (
        "focuses_on_instructional_core",
        "is_directly_observable",
        "is_actionable",
        "connects_to_strategy",
        "is_high_leverage",
    ):
        setattr(cycle, name, True)
    cycle.save()
    for text, kind in ROUNDS_LOOK_FORS:
        look_for_add(cycle=cycle, text=text, kind=kind)
    slot = _slot(school, "Mon", "2")
    teaching = _teaching(slot)
    grade7 = [m.teacher for m in teaching.values() if "7" in m.section.grades][:3]
    free = _free(school, slot, teaching)
    busy = [p for p in Person.objects.filter(pk__in=teaching) if p not in grade7]
    observers = [principal, *free[:2], busy[0]]
    participants_set(cycle=cycle, observers=observers, hosts=grade7, facilitators=[coach])
    visit_schedule(
        cycle=cycle,
        plan=VisitPlan(
            date=_monday(1, today),
            slot=slot,
            classrooms=[(host, teaching[host.pk].section) for host in grade7],
            observers=[ObserverPlan(p) for p in observers[:3]]
            + [ObserverPlan(busy[0], covered_by=free[2])],
        ),
        notify=False,
    )


def _lab(school: School, coach: Person, host: Person, today: date) -> None:
    cycle = cycle_start(
        school=school, structure=Structure.LAB, title="Peer learning lab: number talks", by=coach
    )
    cycle.problem_of_practice = "How do number talks get more students to share a strategy?"
    cycle.save()
    look_for_add(cycle=cycle, text="Students share more than one strategy", kind="oral")
    look_for_add(cycle=cycle, text="Students record strategies on the board", kind="visual")
    observers = list(
        Person.objects.filter(memberships__school=school, memberships__role="teacher")
        .exclude(pk=host.pk)
        .distinct()[3:6]
    )
    participants_set(cycle=cycle, observers=observers, hosts=[host], facilitators=[coach])
    pre_brief_save(
        cycle=cycle,
        host=host,
        instructional_goal="Students compare two strategies for 18 × 5 and say which is "
        "more efficient.",
        expectations="Sit beside a table group; listen more than you talk.",
        focus="Who shares a strategy, and what helps a quiet student share?",
    )


def _pairs(school, coach, structure, title, weeks, today, *, debriefed: bool = False) -> None:
    """Pair visits (swap day, micro-observations): an observer free in a colleague's lesson;
    a debriefed pair has written its takeaways and its observer set a goal."""
    cycle = cycle_start(school=school, structure=structure, title=title, by=coach)
    look_for_add(cycle=cycle, text="Students ask open questions", kind="oral")
    slot = _slot(school, "Tue", "4")
    teaching = _teaching(slot)
    free = _free(school, slot, teaching)
    hosts = [m.teacher for m in list(teaching.values())[:2]]
    observers = free[3:5]
    participants_set(cycle=cycle, observers=observers, hosts=hosts, facilitators=[coach])
    for n, (host, observer) in enumerate(zip(hosts, observers, strict=True)):
        visit = visit_schedule(
            cycle=cycle,
            plan=VisitPlan(
                date=_monday(weeks, today) + timedelta(days=1),
                slot=slot,
                classrooms=[(host, teaching[host.pk].section)],
                observers=[ObserverPlan(observer)],
            ),
            notify=False,
        )
        if not debriefed:
            continue
        Debrief.objects.create(
            visit=visit,
            takeaways="Students asked more open questions once the task had two right answers.",
            team_next_step="Try a “two right answers” task in my own class next week.",
        )
        # One goal shared with the facilitator, one kept private: the board counts only the first.
        goal_set(
            person=observer,
            cycle=cycle,
            visit=visit,
            text="Plan one task a week with two right answers and ask students to compare them.",
            try_by=visit.date + timedelta(days=7),
            shared_with_facilitators=n == 0,
        )


def _walk(school: School, coach: Person, principal: Person, today: date) -> None:
    cycle = cycle_start(
        school=school,
        structure=Structure.WALK,
        title="Cross-grade learning walk: student talk",
        by=coach,
    )
    cycle.initiative = "Academic discourse, school-wide"
    cycle.save()
    slot = _slot(school, "Thu", "5")
    teaching = _teaching(slot)
    hosts = [m.teacher for m in list(teaching.values())[:3]]
    observers = [principal, *_free(school, slot, teaching)[:2]]
    participants_set(cycle=cycle, observers=observers, hosts=hosts, facilitators=[coach])
    for text, kind in WALK_LOOK_FORS:
        look_for_add(cycle=cycle, text=text, kind=kind)
    visit = visit_schedule(
        cycle=cycle,
        plan=VisitPlan(
            # Over three weeks ago: its follow-up window is over, so the walk is closed.
            date=_monday(-5, today) + timedelta(days=3),
            slot=slot,
            classrooms=[(host, teaching[host.pk].section) for host in hosts],
            observers=[ObserverPlan(p) for p in observers],
        ),
        notify=False,
    )
    _walk_evidence(visit, observers)
    Debrief.objects.create(
        visit=visit,
        step_notes={"Did": "Most students worked in pairs; fewer spoke to the whole class."},
        takeaways="Students talked most where the task asked them to compare two answers.",
        team_next_step="Each of us plans one “compare two answers” task this month.",
    )
    for person in observers[1:]:
        goal = goal_set(
            person=person,
            cycle=cycle,
            visit=visit,
            text="Open one lesson a week with a “which answer is right, and why?” prompt.",
            try_by=visit.date + timedelta(days=7),
        )
        follow_up_answer(
            follow_up=goal.follow_up,
            tried=True,
            results="partly",
            why="More students talked, but the same few explained their reasoning.",
        )


WALK_LOOK_FORS = [
    ("Students talk with a partner about the task", "oral"),
    ("Students explain why, not only what", "oral"),
    ("Students use a visible resource (chart, notes, manipulatives)", "visual"),
]
WALK_QUOTES = [
    "“I think it's 12 because 3 groups of 4…”",
    "Two students disagreed about the answer and checked with a drawing.",
    "“Can you say more about that?” — a student to a partner",
]


def _walk_evidence(visit, observers) -> None:
    """What the walk's observers captured, sent through the same path as a phone."""
    look_fors = list(visit.cycle.look_fors.all())
    at = datetime.combine(visit.date, time(13, 15), tzinfo=UTC)
    for o, observer in enumerate(observers):
        entries = []
        for r, room in enumerate(visit.classrooms.all()):
            for n in range(3 + (o + r) % 4):
                entries.append(_entry(room, "look_for", at, look_for=look_fors[(n + r) % 3].pk))
            entries.append(
                _entry(
                    room,
                    "student_prompt",
                    at,
                    text=WALK_QUOTES[(o + r) % 3],
                    look_for=look_fors[1].pk,
                    label="What are students saying?",
                )
            )
            entries.append(
                _entry(
                    room,
                    "talk_time",
                    at,
                    teacher_talk_seconds=200 + 60 * r,
                    student_talk_seconds=300 - 40 * r,
                    silence_seconds=100,
                )
            )
        evidence_record(visit=visit, author=observer, entries=entries)


def _entry(room, kind: str, at: datetime, **fields) -> Entry:
    return Entry(id=uuid.uuid4(), classroom=room.pk, kind=kind, recorded_at=at, **fields)


@transaction.atomic
def demo_cycles_load(school: School, *, today: date) -> None:
    """One cycle per structure; a school that already has cycles is left as it is."""
    if Cycle.objects.filter(school=school).exists():
        return
    coach = Person.objects.get(username="coach")
    principal = Person.objects.get(username="principal")
    _round(school, coach, principal, today)
    _lab(school, coach, Person.objects.get(username="teacher1"), today)
    _pairs(school, coach, Structure.SWAP, "Grade 6 coverage swap day", -2, today, debriefed=True)
    _pairs(school, coach, Structure.MICRO, "Micro-observations: questioning patterns", -1, today)
    _walk(school, coach, principal, today)
