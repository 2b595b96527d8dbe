"""The demo's hours ledger at Lincoln: every past visit's debrief marked as attended by its
whole group, the ledger counted from the demo's cycles and meetings, and a few pieces of
learning teachers reported in a district that asks for their approval (approved by the coach,
one returned with a comment, two waiting for review, one of them teacher1's). Made through
the same services as the pages; running it again changes nothing."""

from datetime import date, timedelta

from django.db import transaction

from growth.models import LedgerEntry
from growth.services import Learning, learning_report, learning_review, ledger_refresh
from insights.services import ledger_months_mark
from schools.models import District, Person, School
from visits.models import Debrief, Visit, VisitStatus
from visits.selectors import debrief_group
from visits.services import debrief_attendance_save

# (teacher, days ago, activity, minutes, title, reflection, review: "approve", a comment or None)
REPORTED = [
    (
        "teacher1",
        75,
        "reading",
        60,
        "Read “Mathematical Mindsets”, chapter 5",
        "Low floor, high ceiling tasks: try one in the ratios unit.",
        "approve",
    ),
    (
        "teacher1",
        20,
        "lesson_study",
        90,
        "Lesson study: fractions on a number line",
        "Students placed 3/4 before 2/3 until they folded paper strips.",
        "approve",
    ),
    (
        "teacher2",
        12,
        "reading",
        60,
        "Read “Make It Stick”, chapters 2–3",
        "Retrieval practice at the start of class, no grades.",
        "Which pages? Add them to the title and send it again.",
    ),
    (
        "teacher1",
        4,
        "coaching",
        40,
        "Coaching session: planning questions for the ratios lab",
        "Which question makes students convince each other?",
        None,
    ),
    (
        "teacher3",
        5,
        "mentoring",
        45,
        "Mentoring a first-year teacher: planning a launch",
        "We planned the first five minutes together.",
        None,
    ),
]


@transaction.atomic
def demo_hours_load(school: School, *, today: date) -> None:
    for debrief in Debrief.objects.filter(
        visit__cycle__school=school,
        visit__status=VisitStatus.SCHEDULED,
        visit__date__lt=today,
        attendance_marked_at__isnull=True,
    ).select_related("visit"):
        visit: Visit = debrief.visit
        group = debrief_group(visit)
        debrief_attendance_save(
            visit=visit, group=group, attended={p.pk for p in group}, minutes=None
        )
    ledger_refresh(district=school.district)
    if LedgerEntry.objects.filter(school=school, source="").exists():
        return
    # The demo district asks for approval, so that the coach's queue has learning waiting.
    District.objects.filter(pk=school.district_id).update(self_reported_needs_approval=True)
    ledger_months_mark(districts=[school.district_id])
    people = {p.username: p for p in Person.objects.filter(memberships__school=school)}
    coach = people["coach"]
    for username, days, activity, minutes, title, reflection, review in REPORTED:
        entry = learning_report(
            person=people[username],
            school=school,
            learning=Learning(
                date=today - timedelta(days=days),
                activity=activity,
                minutes=minutes,
                title=title,
                reflection=reflection,
            ),
        )
        if review is not None:
            learning_review(
                entry=entry,
                reviewer=coach,
                approve=review == "approve",
                comment="" if review == "approve" else review,
            )
