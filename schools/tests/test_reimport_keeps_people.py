"""Re-importing keeps people: a teacher who disappears from the export is deactivated, never
deleted, and keeps everything they authored; one who holds another role here or belongs to
another school only loses their meetings; one deactivated who is back in the export stays
deactivated until someone reactivates them. The preview and the command line say all of it,
and every choosing list leaves out whoever is deactivated."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from growth.models import Goal
from growth.services import goal_set
from inquiry.models import Participant, ParticipantRole
from inquiry.tests.factories import make_round
from rosters.schedule_csv import read_schedule_csv
from schools.models import AuditEntry, Meeting, Person, SourceId
from schools.services import person_active_set, schedule_apply, schedule_preview
from schools.tests.factories import HEADER_ROW, SMALL_SCHEDULE, make_school
from visits.models import Evidence, VisitObserver
from visits.scheduling import cycle_problem

pytestmark = pytest.mark.django_db

# Lincoln's schedule without Ben Lee (the colleague): only Ana Ortiz teaches.
WITHOUT_BEN = HEADER_ROW + "".join(
    line + "\n" for line in SMALL_SCHEDULE.splitlines()[1:] if line.startswith("teacher,")
)


def schedule(text: str, name: str = "export.csv"):
    return read_schedule_csv(text.encode(), name)


def also_teaches_at_lincoln(personas, person: Person, period: str) -> str:
    """Give someone a source id at Lincoln and a lesson there: a schedule row for them."""
    SourceId.objects.create(school=personas.school, person=person, value=person.username)
    return f"{person.username},{person},Wed,{period},X-{person.username},,,,\n"


def test_a_teacher_who_left_is_deactivated_and_keeps_all_they_authored(personas):
    cycle, visit = make_round(personas, held=True)
    ben = personas.colleague
    Evidence.objects.create(
        id="00000000-0000-0000-0000-000000000001",
        classroom=visit.classrooms.get(),
        author=ben,
        kind="note",
        text="Most pairs explained their strategy",
        recorded_at=timezone.now() - timedelta(days=7),
        fingerprint="x",
    )
    goal = goal_set(
        person=ben, cycle=cycle, visit=visit, text="Try turn and talk", try_by=visit.date
    )

    applied = schedule_apply(
        school=personas.school,
        data=schedule(WITHOUT_BEN),
        allow_removals=True,
        actor=personas.principal,
    )

    assert applied.teachers_deactivated == ["Ben Lee"]
    ben.refresh_from_db()
    assert not ben.is_active  # deactivated, not deleted
    assert Evidence.objects.get().author == ben
    assert Goal.objects.get(pk=goal.pk).person == ben
    assert VisitObserver.objects.get(visit=visit, person=ben)
    assert Participant.objects.filter(cycle=cycle, person=ben).exists()
    assert not Meeting.objects.filter(teacher=ben).exists()  # only the lessons went
    entry = AuditEntry.objects.get(action="person_deactivated")
    assert (entry.actor, entry.subject, entry.school) == (personas.principal, ben, personas.school)
    assert "no longer in the imported schedule (export.csv)" in entry.summary
    # Ana, still in the export, is untouched.
    personas.teacher.refresh_from_db()
    assert personas.teacher.is_active


def test_someone_with_another_role_or_school_only_loses_their_meetings(personas):
    """The coach teaches a class here, the outsider teaches at Roosevelt and here, and Ben
    taught here and at a school since archived: only Ben is deactivated."""
    closed = make_school("closed")
    closed.archived_at = timezone.now()
    closed.save()
    ben = personas.colleague
    ben.memberships.create(school=closed, role="teacher")
    extra = also_teaches_at_lincoln(personas, personas.coach, "1")
    extra += also_teaches_at_lincoln(personas, personas.outsider, "2")
    schedule_apply(school=personas.school, data=schedule(SMALL_SCHEDULE + extra))

    preview = schedule_preview(school=personas.school, data=schedule(WITHOUT_BEN))

    assert preview.teachers_deactivated == ["Ben Lee"]
    assert preview.teachers_kept == [
        "coach (kept: also a coach and facilitator / teacher leader at Lincoln School)",
        "outsider (kept: also a teacher at Roosevelt School)",
    ]
    schedule_apply(school=personas.school, data=schedule(WITHOUT_BEN), allow_removals=True)
    for person in (ben, personas.coach, personas.outsider):
        person.refresh_from_db()
    assert (ben.is_active, personas.coach.is_active, personas.outsider.is_active) == (
        False,
        True,
        True,
    )
    assert not Meeting.objects.filter(teacher__in=[personas.coach, personas.outsider]).exists()
    assert AuditEntry.objects.filter(action="person_deactivated").count() == 1


def test_a_deactivated_teacher_back_in_the_export_is_not_reactivated_silently(personas):
    person_active_set(
        school=personas.school,
        actor=personas.principal,
        person=personas.teacher,
        active=False,
        may_grant_district_leader=False,
    )

    preview = schedule_preview(school=personas.school, data=schedule(SMALL_SCHEDULE))
    assert preview.teachers_inactive == ["Ana Ortiz"]
    assert preview.teachers_deactivated == [] and preview.changes_nothing

    schedule_apply(school=personas.school, data=schedule(SMALL_SCHEDULE))
    personas.teacher.refresh_from_db()
    assert not personas.teacher.is_active
    # Nor is someone already deactivated deactivated again when they leave the export.
    only_ben = HEADER_ROW + "".join(
        line + "\n" for line in SMALL_SCHEDULE.splitlines()[1:] if line.startswith("colleague,")
    )
    preview = schedule_preview(school=personas.school, data=schedule(only_ben))
    assert preview.teachers.removed == ["Ana Ortiz"]
    assert preview.teachers_deactivated == [] and preview.teachers_inactive == []


def test_a_delta_export_deactivates_nobody(personas):
    data = schedule(WITHOUT_BEN)
    data.delta = True  # a delta lists only what changed: who it leaves out did not leave
    assert schedule_preview(school=personas.school, data=data).teachers_deactivated == []
    schedule_apply(school=personas.school, data=data, allow_removals=True)
    personas.colleague.refresh_from_db()
    assert personas.colleague.is_active


def test_the_command_line_says_who_is_deactivated_and_who_is_kept(personas, tmp_path, capsys):
    extra = also_teaches_at_lincoln(personas, personas.coach, "1")
    schedule_apply(school=personas.school, data=schedule(SMALL_SCHEDULE + extra))
    personas.teacher.is_active = False
    personas.teacher.save()
    path = tmp_path / "export.csv"
    path.write_text(WITHOUT_BEN)

    call_command("import_schedule", str(path), school="lincoln", allow_removals=True)

    out = capsys.readouterr().out
    assert "will be deactivated (no longer in the export): Ben Lee" in out
    assert "kept, losing only their meetings: coach (kept: also a coach and" in out
    assert (
        "Ana Ortiz is in the export but deactivated; reactivate them on the People page if "
        "they are back" in out
    )
    entry = AuditEntry.objects.get(action="person_deactivated")
    assert entry.actor is None and entry.summary.startswith("The command-line import deactivated")


@pytest.mark.django_db(transaction=True)
def test_the_preview_page_says_it_and_the_one_who_applies_is_in_the_audit_log(
    client, personas, run_tasks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from schools.models import ScheduleImport

    client.force_login(personas.principal)
    client.post(
        "/schools/lincoln/imports/new/",
        {"kind": "schedule_csv", "file": SimpleUploadedFile("export.csv", WITHOUT_BEN.encode())},
    )
    run_tasks()
    job = ScheduleImport.objects.get()
    page = client.get(f"/schools/lincoln/imports/{job.pk}/").content.decode()
    assert "Will be deactivated (no longer in the export):</strong> Ben Lee" in page

    client.force_login(personas.coach)  # the coach reviews and applies the principal's upload
    client.post(f"/schools/lincoln/imports/{job.pk}/apply/", {"confirm_removals": "on"})
    run_tasks()

    page = client.get(f"/schools/lincoln/imports/{job.pk}/").content.decode()
    assert "Deactivated (no longer in the export):</strong> Ben Lee" in page
    entry = AuditEntry.objects.get(action="person_deactivated")
    assert (entry.actor, entry.subject) == (personas.coach, personas.colleague)


# --- Every choosing list leaves out someone deactivated -------------------------------------


def test_the_scheduler_gives_no_visits_to_a_deactivated_observer(personas):
    cycle, visit = make_round(personas)
    Participant.objects.create(cycle=cycle, person=personas.bystander, role="observer")
    personas.bystander.is_active = False
    personas.bystander.save()

    problem = cycle_problem(cycle, monday=visit.date - timedelta(days=visit.date.weekday()))

    observers = {o for request in problem.requests for o in request.observers}
    assert str(personas.bystander.pk) not in observers
    assert str(personas.colleague.pk) in observers


def test_the_cycle_s_people_page_refuses_a_part_for_someone_deactivated(client, personas):
    cycle, _ = make_round(personas)
    personas.bystander.is_active = False
    personas.bystander.save()
    client.force_login(personas.coach)

    page = client.get(f"/cycles/{cycle.pk}/people/").content.decode()
    assert "Bo Stander" not in page
    client.post(
        f"/cycles/{cycle.pk}/people/",
        {"person": personas.bystander.pk, "role": ParticipantRole.OBSERVER, "on": "on"},
    )
    assert not Participant.objects.filter(cycle=cycle, person=personas.bystander).exists()
