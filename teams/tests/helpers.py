"""What the team tests share: the personas' school with a teacher leader, a team formed
through the page, and dates on the schedule's weekdays."""

from datetime import date, timedelta

from schools.models import Slot
from schools.tests.factories import make_person


def teacher_leader(personas):
    """A teacher who is also the school's teacher leader (Role.FACILITATOR)."""
    return make_person(
        "leader", personas.school, "teacher", "facilitator", first_name="Lee", last_name="Dair"
    )


def slot(personas, day: str, period: str) -> Slot:
    return Slot.objects.select_related("day", "period").get(
        term__school=personas.school, day__label=day, period__label=period
    )


def next_monday(after: date | None = None) -> date:
    start = (after or date.today()) + timedelta(days=1)
    return start + timedelta(days=(0 - start.weekday()) % 7)
