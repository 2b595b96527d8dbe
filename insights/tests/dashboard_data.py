"""Rows the dashboard tests build straight in the database: visits held with their hosts,
observers and covers, and hours-ledger entries, on the dates a story needs."""

from datetime import date

from growth.models import EntryStatus, LedgerEntry
from inquiry.models import Cycle
from inquiry.services import cycle_start
from inquiry.structures import Structure
from schools.models import Person, School, Section, Slot, Term
from visits.models import Visit, VisitClassroom, VisitObserver


def any_slot_and_section(school: School) -> tuple[Slot, Section]:
    term = Term.objects.filter(school=school).first() or Term.objects.create(school=school)
    slot = Slot.objects.filter(term=term).first()
    if slot is None:
        day = term.days.create(label="Mon", position=0)
        period = term.periods.create(label="1", position=0)
        slot = Slot.objects.create(term=term, day=day, period=period)
    section = Section.objects.filter(term=term).first() or Section.objects.create(
        term=term, code="X1"
    )
    return slot, section


def a_cycle(school: School, by: Person) -> Cycle:
    return cycle_start(school=school, structure=Structure.ROUNDS, title="Discourse", by=by)


def visit_on(
    cycle: Cycle,
    on: date,
    hosts: list[Person],
    observers: list[Person] = (),  # type: ignore[assignment]
    *,
    covered_by: Person | None = None,
    substitute: bool = False,
) -> Visit:
    """A visit held on `on`: each host's classroom, each observer covered as asked."""
    slot, section = any_slot_and_section(cycle.school)
    visit = Visit.objects.create(cycle=cycle, date=on, slot=slot)
    for i, host in enumerate(hosts):
        VisitClassroom.objects.create(visit=visit, host=host, section=section, position=i)
    for person in observers:
        VisitObserver.objects.create(
            visit=visit, person=person, covered_by=covered_by, substitute=substitute
        )
    return visit


def ledger(person: Person, school: School, on: date, activity: str, minutes: int = 30) -> None:
    LedgerEntry.objects.create(
        person=person,
        district=school.district,
        school=school,
        date=on,
        activity=activity,
        title=activity,
        minutes=minutes,
        status=EntryStatus.VERIFIED,
    )
