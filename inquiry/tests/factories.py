"""`make_*` helpers for cycles and their visits."""

from datetime import date, timedelta

from inquiry.models import Cycle
from inquiry.services import cycle_start, look_for_add, participants_set
from inquiry.structures import Grouping, Structure
from schools.models import Meeting
from visits.models import Visit
from visits.rules import ObserverPlan, VisitPlan
from visits.services import visit_schedule


def next_weekday(weekday: int, *, after: date | None = None) -> date:
    """The next Monday (0) … Sunday (6) after a day, a week ahead at most."""
    start = (after or date.today()) + timedelta(days=1)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def make_round(
    personas, *, structure: str = Structure.ROUNDS, held: bool = False
) -> tuple[Cycle, Visit]:
    """The coach's round: the teacher hosts; the colleague and the assistant principal observe
    her Monday period 1 (the colleague alone, in structures that visit in pairs). Next Monday,
    or, `held`, a Monday at least a week ago (a debrief opens once its visit has started)."""
    cycle = cycle_start(
        school=personas.school, structure=structure, title="Student discourse", by=personas.coach
    )
    look_for_add(cycle=cycle, text="Students explain their reasoning to a partner", kind="oral")
    look_for_add(cycle=cycle, text="Students use the anchor chart", kind="visual")
    observers = [personas.colleague]
    if cycle.grouping == Grouping.GROUP:
        observers.append(personas.vice)
    participants_set(
        cycle=cycle,
        observers=observers,
        hosts=[personas.teacher],
        facilitators=[personas.coach],
    )
    lesson = Meeting.objects.select_related("slot", "section").get(
        teacher=personas.teacher, slot__day__label="Mon", slot__period__label="1"
    )
    visit = visit_schedule(
        cycle=cycle,
        plan=VisitPlan(
            date=next_weekday(0),
            slot=lesson.slot,
            classrooms=[(personas.teacher, lesson.section)],
            observers=[ObserverPlan(person) for person in observers],
        ),
    )
    if held:
        visit_held(visit)
    return cycle, visit


def visit_held(visit: Visit) -> Visit:
    """Move a visit placed ahead to the same weekday two weeks earlier: it has happened."""
    visit.date -= timedelta(weeks=2)
    Visit.objects.filter(pk=visit.pk).update(date=visit.date)
    return visit
