"""The demo's five cycles at Lincoln, one per structure, each at a different stage.

Visits are placed through the same service and rules as the pages, in real slots
of the demo master schedule, without emailing anyone. No stage is set by hand: each
follows from what happened (`inquiry.stages.stage_due`): the round's visits are next week
(scheduled), the lab has none yet (planning), the micro-observations were last week and
wait for their debriefs (debriefing), the swap day was debriefed two weeks ago (following
up) and the learning walk's follow-up window is over (closed).

The visits that were held have what their observers captured (`_captured`), sent through the
same path as a phone; evidence moves no stage, so the micro-observations still wait for their
debriefs. Ids, tap counts and talk times come from one seeded random generator, used in a fixed
order: the same district every time.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from growth.services import follow_up_answer, goal_set
from inquiry.models import Cycle
from inquiry.services import (
    cycle_start,
    look_for_add,
    participants_set,
    pre_brief_save,
    tool_part_add,
)
from inquiry.structures import EvidencePart, Structure
from schools.models import Meeting, Person, School, Slot, Unavailability
from teams.runner import run_end
from visits.capture import Entry, evidence_record
from visits.models import Debrief, EvidenceKind, Visit
from visits.rules import ObserverPlan, VisitPlan
from visits.services import debrief_run_start, debrief_save, visit_schedule

from .district import SEED

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


def _pairs(school, coach, structure, title, weeks, today, rng, *, debriefed: bool = False) -> None:
    """Pair visits (swap day, micro-observations): an observer free in a colleague's lesson,
    who captured what students did and said; a debriefed pair has written its takeaways and
    its observer set a goal."""
    cycle = cycle_start(school=school, structure=structure, title=title, by=coach)
    look_for_add(cycle=cycle, text="Students ask open questions", kind="oral")
    look_for_add(cycle=cycle, text="Students build on a classmate's answer", kind="oral")
    _tool_offers(cycle, EvidencePart.CHECKLIST, EvidencePart.NOTES)
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
        _captured(visit, [observer], PAIR_WORDS[structure], rng)
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


def _walk(
    school: School, coach: Person, principal: Person, today: date, rng: random.Random
) -> None:
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
    _tool_offers(cycle, EvidencePart.CHECKLIST, EvidencePart.TALK_TIME)
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
    _captured(visit, observers, WALK_WORDS, rng)
    # The walk's debrief ran its library protocol (the student experience debrief) to its end.
    run = debrief_run_start(visit=visit, by=coach)
    debrief_save(
        visit=visit,
        by=coach,
        takeaways="Students talked most where the task asked them to compare two answers.",
        team_next_step="Each of us plans one “compare two answers” task this month.",
        notes=["Most students worked in pairs; fewer spoke to the whole class."],
    )
    run_end(run=run, takeaways="", next_step="", attended=set())
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


@dataclass(frozen=True)
class Words:
    """Words an observer wrote in a classroom: a note, a bright moment, an answer to a prompt
    about students, a what / so what / now what; `about` is the look-for a note is tagged with,
    by its place among the cycle's look-fors."""

    kind: str
    text: str
    label: str = ""
    about: int | None = None


SAID = "What are students saying?"
# One set of words per observer and classroom, taken in turn.
WALK_WORDS = [
    [Words(EvidenceKind.STUDENT_PROMPT, "“I think it's 12 because 3 groups of 4…”", SAID, 1)],
    [
        Words(
            EvidenceKind.STUDENT_PROMPT,
            "Two students disagreed about the answer and checked with a drawing.",
            SAID,
            1,
        )
    ],
    [
        Words(
            EvidenceKind.STUDENT_PROMPT,
            "“Can you say more about that?” — a student to a partner",
            SAID,
            1,
        )
    ],
]
PAIR_WORDS = {
    Structure.SWAP: [
        [
            Words(EvidenceKind.WHAT, "Students at two tables asked “what if it was 100 instead?”"),
            Words(
                EvidenceKind.SO_WHAT,
                "Their own question made them test whether the pattern always works.",
            ),
            Words(EvidenceKind.NOW_WHAT, "Leave time for students to write the next question."),
            Words(EvidenceKind.NOTE, "“Why does it work for both of them?” — a student", about=0),
            Words(
                EvidenceKind.BRIGHT_MOMENT,
                "A quiet student asked the class “how do you know?”, and three hands went up.",
                about=1,
            ),
        ],
        [
            Words(EvidenceKind.WHAT, "Pairs compared two answers before anyone asked the teacher."),
            Words(
                EvidenceKind.SO_WHAT,
                "Comparing gave every student a reason to explain, not only the fast ones.",
            ),
            Words(EvidenceKind.NOW_WHAT, "Try one task with two right answers in my own class."),
            Words(EvidenceKind.NOTE, "“I agree with Sam, and I'd add…” — a student", about=1),
            Words(EvidenceKind.NOTE, "Most questions came in the last ten minutes, in pairs."),
        ],
    ],
    Structure.MICRO: [
        [
            Words(
                EvidenceKind.NOTE, "“Could there be another way to get 24?” — a student", about=0
            ),
            Words(EvidenceKind.NOTE, "After a 5-second wait, four more hands went up."),
            Words(
                EvidenceKind.BRIGHT_MOMENT,
                "A student answered a classmate before the teacher could.",
                about=1,
            ),
        ],
        [
            Words(EvidenceKind.NOTE, "“Is that always true, or only here?” — a student", about=0),
            Words(
                EvidenceKind.NOTE,
                "“Building on what Ana said…” — a student, to the class",
                about=1,
            ),
        ],
    ],
}
TALLY_TAPS = (2, 6)  # taps per label of a tally, at least and at most
LOOK_FOR_TAPS = (3, 6)  # look-for taps per observer and classroom


def _tool_offers(cycle: Cycle, *parts: str) -> None:
    """The cycle's evidence tool, with the parts its demo observers use added: as a facilitator
    adds them, so that the capture page offers what was captured (the look-for checklist
    first)."""
    have = {part.get("kind") for part in cycle.evidence_tool}
    for part in parts:
        if part not in have:
            first = part == EvidencePart.CHECKLIST
            tool_part_add(cycle=cycle, part={"kind": part}, index=0 if first else None)


def _captured(visit: Visit, observers, words: list[list[Words]], rng: random.Random) -> None:
    """What the visit's observers captured, sent through the same path as a phone: in each
    classroom, taps and talk time where the cycle's tool has them, a bright-moment tap now and
    then (the bar always offers it), and one set of `words`, taken in turn."""
    cycle = visit.cycle
    tool = {part["kind"]: part for part in cycle.evidence_tool}
    look_fors = list(cycle.look_fors.filter(retired=False))
    zone = ZoneInfo(cycle.school.time_zone)
    start = datetime.combine(visit.date, visit.slot.starts_at or time(9), tzinfo=zone)
    seconds = cycle.visit_minutes * 60
    for o, observer in enumerate(observers):
        entries = []
        # The group goes from classroom to classroom, one visit length in each.
        for r, room in enumerate(visit.classrooms.order_by("position", "id")):
            taps: list[dict] = []
            if EvidencePart.CHECKLIST in tool and look_fors:
                taps += [
                    {"kind": EvidenceKind.LOOK_FOR, "look_for": rng.choice(look_fors).pk}
                    for _ in range(rng.randint(*LOOK_FOR_TAPS))
                ]
            for label in tool.get(EvidencePart.TALLY, {}).get("labels", []):
                taps += [{"kind": EvidenceKind.TALLY, "label": label}] * rng.randint(*TALLY_TAPS)
            if rng.random() < 0.5:
                taps.append({"kind": EvidenceKind.BRIGHT_MOMENT})
            rng.shuffle(taps)
            # The words among the taps, in the order they were written.
            written = words[(o + r) % len(words)]
            places = sorted(rng.sample(range(len(taps) + len(written)), len(written)))
            for place, said in zip(places, written, strict=True):
                about = look_fors[said.about].pk if said.about is not None else None
                taps.insert(
                    place,
                    {"kind": said.kind, "text": said.text, "label": said.label, "look_for": about},
                )
            if EvidencePart.TALK_TIME in tool:  # saved when the observer stops the tracker
                timed = seconds - rng.randint(60, 180)
                teacher = round(timed * rng.uniform(0.3, 0.55))
                silence = round(timed * rng.uniform(0.1, 0.2))
                taps.append(
                    {
                        "kind": EvidenceKind.TALK_TIME,
                        "teacher_talk_seconds": teacher,
                        "student_talk_seconds": timed - teacher - silence,
                        "silence_seconds": silence,
                    }
                )
            step = seconds // (len(taps) + 1)
            entries += [
                Entry(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    classroom=room.pk,
                    recorded_at=start + timedelta(seconds=r * seconds + (n + 1) * step),
                    **fields,
                )
                for n, fields in enumerate(taps)
            ]
        outcomes = evidence_record(visit=visit, author=observer, entries=entries)
        refused = [outcome.message for outcome in outcomes if outcome.status == "refused"]
        if refused:
            raise ValueError(f"demo evidence refused: {refused}")


@transaction.atomic
def demo_cycles_load(school: School, *, today: date) -> None:
    """One cycle per structure; a school that already has cycles is left as it is."""
    if Cycle.objects.filter(school=school).exists():
        return
    coach = Person.objects.get(username="coach")
    principal = Person.objects.get(username="principal")
    _round(school, coach, principal, today)
    _lab(school, coach, Person.objects.get(username="teacher1"), today)
    rng = random.Random(SEED)
    swap, micro = "Grade 6 coverage swap day", "Micro-observations: questioning patterns"
    _pairs(school, coach, Structure.SWAP, swap, -2, today, rng, debriefed=True)
    _pairs(school, coach, Structure.MICRO, micro, -1, today, rng)
    _walk(school, coach, principal, today, rng)
