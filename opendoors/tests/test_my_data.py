"""My data: each person sees what OpenDoors holds about them and downloads all of it as one
ZIP, and nothing of anyone else's: two people in the same visit each get only their own."""

import csv
import io
import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.utils import timezone

from growth.models import Goal
from growth.services import follow_up_answer, goal_set
from inquiry.tests.factories import make_round
from opendoors import access
from opendoors.my_data import zip_stream
from rosters.csvfiles import spreadsheet_safe
from schools.models import ImportKind, ScheduleImport
from schools.services import audit_record
from schools.tests.factories import SHARED_DATA
from visits.models import Evidence, EvidenceRead, VisitObserver

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)

FILES = {
    "README.txt",
    "profile.json",
    "visits.csv",
    "cycles.csv",
    "evidence.csv",
    "evidence_in_my_classroom.csv",
    "evidence_reads.csv",
    "goals.csv",
    "follow_ups.csv",
    "pre_briefs.csv",
    "shout_outs.csv",
    "hours.csv",
    "artifacts.csv",
    "portfolio_shares.csv",
    "credentials.csv",
    "audit.csv",
    "uploads.csv",
}


def captured(visit, author, text: str, **fields) -> Evidence:
    """An entry as the capture API stores it."""
    return Evidence.objects.create(
        id=uuid.uuid4(),
        classroom=visit.classrooms.get(),
        author=author,
        kind=fields.pop("kind", "note"),
        text=text,
        recorded_at=datetime.combine(visit.date, datetime.min.time(), tzinfo=UTC),
        fingerprint="x",
        **fields,
    )


def download(client, person) -> zipfile.ZipFile:
    client.force_login(person)
    response = client.get("/account/data/download/")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def everything(archive: zipfile.ZipFile) -> str:
    return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


@pytest.fixture
def round_held(personas):
    """The teacher hosts a held round; the colleague and the assistant principal observe and
    each capture, set a goal, and the assistant principal reads the debrief."""
    cycle, visit = make_round(personas, held=True)
    captured(visit, personas.colleague, "Pairs compared answers", look_for=cycle.look_fors.first())
    captured(visit, personas.colleague, "Students used the chart", kind="what")
    captured(visit, personas.vice, "VICE ONLY: a quiet table")
    mine = goal_set(
        person=personas.colleague,
        cycle=cycle,
        visit=visit,
        text="Ask students to explain to a partner first",
        try_by=visit.date,
    )
    follow_up_answer(follow_up=mine.follow_up, tried=True, results="partly", why="Time ran short")
    goal_set(person=personas.vice, cycle=cycle, text="VICE ONLY goal", try_by=visit.date)
    EvidenceRead.objects.create(
        classroom=visit.classrooms.get(), reader=personas.vice, where="debrief"
    )
    return cycle, visit


def test_the_zip_holds_each_file_with_what_the_observer_did(client, personas, round_held):
    cycle, visit = round_held
    archive = download(client, personas.colleague)
    assert set(archive.namelist()) == FILES
    assert archive.testzip() is None

    evidence = sorted(rows(archive, "evidence.csv"), key=lambda e: e["text"])
    assert [e["text"] for e in evidence] == ["Pairs compared answers", "Students used the chart"]
    assert evidence[0]["look_for"] == cycle.look_fors.first().text
    assert evidence[0]["cycle"] == "Student discourse"
    assert evidence[0]["visit_date"] == visit.date.isoformat()
    assert evidence[0]["classroom"] == "Classroom A"  # as observers name it in a round
    assert evidence[1]["kind"] == "What we saw and heard"
    assert rows(archive, "evidence_in_my_classroom.csv") == []  # the colleague hosted nothing

    [seat] = rows(archive, "visits.csv")
    assert (seat["part"], seat["cycle"], seat["date"]) == (
        "observing",
        cycle.title,
        str(visit.date),
    )
    [goal] = rows(archive, "goals.csv")
    assert goal["goal"] == "Ask students to explain to a partner first"
    [follow_up] = rows(archive, "follow_ups.csv")
    assert (follow_up["tried"], follow_up["results_as_anticipated"], follow_up["why"]) == (
        "yes",
        "Partly",
        "Time ran short",
    )
    assert follow_up["answered_at"]
    [part] = rows(archive, "cycles.csv")
    assert (part["cycle"], part["my_parts"]) == (cycle.title, "observer")

    profile = json.loads(archive.read("profile.json"))
    assert (profile["username"], profile["last_name"]) == ("colleague", "Lee")
    assert profile["schools"] == [
        {"school": "Lincoln School", "district": "Riverbend", "role": "Teacher"}
    ]
    readme = archive.read("README.txt").decode()
    assert all(name in readme for name in FILES - {"README.txt"})
    assert "starts with an added '" in readme


def test_another_person_in_the_same_visit_never_appears(client, personas, round_held):
    archive = download(client, personas.colleague)
    assert "VICE ONLY" not in everything(archive)
    assert rows(archive, "evidence_reads.csv") == []  # the vice read the host's classroom

    theirs = download(client, personas.vice)
    assert "Pairs compared answers" not in everything(theirs)
    assert "Ask students to explain" not in everything(theirs)
    assert [e["text"] for e in rows(theirs, "evidence.csv")] == ["VICE ONLY: a quiet table"]


def test_the_host_gets_what_was_captured_in_their_classroom_and_who_read_it(
    client, personas, round_held
):
    cycle, _ = round_held
    archive = download(client, personas.teacher)
    assert rows(archive, "evidence.csv") == []  # the host captured nothing
    entries = rows(archive, "evidence_in_my_classroom.csv")
    assert sorted((e["text"], e["captured_by"]) for e in entries) == [
        ("Pairs compared answers", "Ben Lee"),
        ("Students used the chart", "Ben Lee"),
        ("VICE ONLY: a quiet table", "Vi Assistant"),
    ]
    [read] = rows(archive, "evidence_reads.csv")
    assert (read["reader"], read["where"], read["cycle"]) == (
        "Vi Assistant",
        "debrief",
        cycle.title,
    )
    [hosting] = rows(archive, "visits.csv")
    assert hosting["part"] == "hosting" and hosting["class"]
    assert rows(archive, "goals.csv") == [] and rows(archive, "follow_ups.csv") == []


def test_a_host_taken_off_the_visit_after_capture_keeps_their_classroom_s_evidence(
    client, personas, round_held
):
    _, visit = round_held
    visit.classrooms.update(removed_at=timezone.now())
    archive = download(client, personas.teacher)
    assert len(rows(archive, "evidence_in_my_classroom.csv")) == 3
    [hosting] = rows(archive, "visits.csv")
    assert hosting["taken_off_at"]


def test_a_cover_s_row_names_the_class_and_nothing_of_the_visit(client, personas, round_held):
    cycle, visit = round_held
    VisitObserver.objects.filter(visit=visit, person=personas.vice).update(
        covered_by=personas.bystander
    )
    archive = download(client, personas.bystander)
    [covering] = rows(archive, "visits.csv")
    assert covering["part"] == "covering"
    assert covering["class"] and covering["cycle"] == "" and covering["structure"] == ""
    assert cycle.title not in everything(archive)
    assert rows(archive, "evidence_in_my_classroom.csv") == []


def test_the_facilitator_s_visits_are_theirs_to_lead_once_each(client, personas, round_held):
    cycle, visit = round_held
    [led] = rows(download(client, personas.coach), "visits.csv")
    assert (led["part"], led["cycle"], led["date"]) == (
        "facilitating",
        cycle.title,
        str(visit.date),
    )


def test_the_download_is_an_attachment_never_kept_in_a_cache(client, personas):
    client.force_login(personas.outsider)
    response = client.get("/account/data/download/")
    assert response["Content-Type"] == "application/zip"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="opendoors-my-data-')
    assert disposition.endswith('.zip"')
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert rows(archive, "visits.csv") == []
    assert archive.read("visits.csv").decode().startswith("date,period,school,cycle")


def test_files_the_person_uploaded_come_with_safe_names(client, personas):
    upload = ScheduleImport.objects.create(
        school=personas.school,
        uploaded_by=personas.coach,
        kind=ImportKind.SCHEDULE_CSV,
        file=ContentFile(b"teacher_id,day,period,section\n", name="schedule.csv"),
        original_name="../../etc/passwd .csv",
    )
    archive = download(client, personas.coach)
    name = f"uploads/{upload.pk}-passwd_.csv"
    assert archive.read(name) == b"teacher_id,day,period,section\n"
    assert [u["file"] for u in rows(archive, "uploads.csv")] == [name]
    assert all(not n.startswith(("/", "..")) and "/../" not in n for n in archive.namelist())

    upload.file.delete(save=False)  # a file no longer kept is left out, not a broken ZIP
    assert not [n for n in download(client, personas.coach).namelist() if n.startswith("uploads/")]
    assert not [n for n in download(client, personas.principal).namelist() if "uploads/" in n]


def test_a_file_gone_from_storage_while_the_zip_is_made_is_left_out(personas):
    upload = ScheduleImport.objects.create(
        school=personas.school,
        uploaded_by=personas.coach,
        kind=ImportKind.SCHEDULE_CSV,
        file=ContentFile(b"x\n", name="schedule.csv"),
        original_name="schedule.csv",
    )
    upload.file.storage.delete(upload.file.name)
    stream = zip_stream([("README.txt", b"hello\n")], [("uploads/gone.csv", upload.file)], NOW)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(stream)))
    assert archive.namelist() == ["README.txt"]


def test_an_uploaded_file_named_only_dots_still_gets_a_safe_name(client, personas):
    upload = ScheduleImport.objects.create(
        school=personas.school,
        uploaded_by=personas.coach,
        kind=ImportKind.SCHEDULE_CSV,
        file=ContentFile(b"x\n", name="schedule.csv"),
        original_name="..",
    )
    assert f"uploads/{upload.pk}-file" in download(client, personas.coach).namelist()


def test_audit_entries_about_the_person_come_with_their_data(client, personas):
    audit_record(
        district=personas.school.district,
        school=personas.school,
        actor=personas.principal,
        subject=personas.teacher,
        action="roles_changed",
        summary="principal changed Ana Ortiz's roles",
    )
    [entry] = rows(download(client, personas.teacher), "audit.csv")
    assert (entry["summary"], entry["changed_by"]) == (
        "principal changed Ana Ortiz's roles",
        "principal",
    )
    # The change the principal made is about the teacher: it is not the principal's data.
    assert rows(download(client, personas.principal), "audit.csv") == []


def test_naughty_strings_round_trip_and_never_run_as_formulas(client, personas, round_held):
    cycle, _ = round_held
    naughty = json.loads((SHARED_DATA / "naughty" / "blns.json").read_text(encoding="utf-8"))
    naughty = [s for s in naughty if "\x00" not in s]  # PostgreSQL stores no NUL in text
    Goal.objects.bulk_create(
        Goal(person=personas.bystander, cycle=cycle, text=s, try_by=datetime.now(UTC).date())
        for s in naughty
    )
    goals = rows(download(client, personas.bystander), "goals.csv")
    written = sorted(goals, key=lambda g: int(g["goal_id"]))
    assert [g["goal"] for g in written] == [spreadsheet_safe(s) for s in naughty]
    formulas = [g["goal"] for g in written if g["goal"].lstrip("'")[:1] in {"=", "+", "-", "@"}]
    assert formulas and all(f.startswith("'") for f in formulas)


def test_the_page_says_what_is_held_where_it_is_shown_and_who_read_my_classroom(
    client, personas, round_held
):
    _, visit = round_held
    client.force_login(personas.teacher)
    html = client.get("/account/data/").content.decode()
    assert "Download my data (ZIP)" in html and 'href="/account/data/download/"' in html
    assert "3 entries" in html  # captured in my classroom
    assert "1 read by 1 person" in html
    assert f'href="/visits/{visit.pk}/my-classroom/"' in html
    assert "1 person read it" in html
    assert "Only you" in html or "only you" in html
    assert 'aria-current="true"' in html.split("My account")[0][-200:]  # in the account area

    client.force_login(personas.colleague)
    html = client.get("/account/data/").content.decode()
    assert "1 observing" in html and "2 entries" in html
    assert "Nobody else has read evidence from your classroom" in html

    client.force_login(personas.outsider)
    html = client.get("/account/data/").content.decode()
    assert 'Visits <span class="badge info">none</span>' in html


def test_the_account_page_links_to_my_data(client, personas):
    client.force_login(personas.teacher)
    assert 'href="/account/data/"' in client.get("/account/").content.decode()


def test_evidence_of_nobody_for_someone_signed_out():
    assert not access.evidence_authored_by(AnonymousUser()).exists()
    assert not access.evidence_of_host(AnonymousUser()).exists()


# Exact queries, the same for few rows or many (update knowingly). Both: session and user,
# then one query per section (three for visits, cycles, evidence and follow-ups' shared cycles,
# two for shout-outs to and from the person, one each for artifacts, portfolio shares and
# credentials; the shared cycles' query only runs when the person has follow-ups: the host has
# none). The page adds the menu
# and the host's read log; the download adds the profile (memberships, email addresses, single
# sign-on, calendar, ids from school systems) and the uploaded files and artifacts it packs.
PAGE_QUERIES = {"colleague": 24, "teacher": 23}
DOWNLOAD_QUERIES = {"colleague": 29, "teacher": 28}


def more_of_everything(personas, cycle, visit, n: int) -> None:
    for i in range(n):
        captured(visit, personas.colleague, f"note {i}")
        goal = goal_set(person=personas.colleague, cycle=cycle, text=f"goal {i}", try_by=visit.date)
        follow_up_answer(follow_up=goal.follow_up, tried=False, results="no", why="", share=True)
        EvidenceRead.objects.create(
            classroom=visit.classrooms.get(), reader=personas.coach, where="api"
        )
    ScheduleImport.objects.create(
        school=personas.school,
        uploaded_by=personas.colleague,
        kind=ImportKind.SCHEDULE_CSV,
        file=ContentFile(b"x\n", name="schedule.csv"),
        original_name="schedule.csv",
    )
    visit.date -= timedelta(days=1)


@pytest.mark.parametrize("who", ["colleague", "teacher"])
def test_the_page_and_the_download_take_the_same_queries_for_few_rows_or_many(
    client, personas, round_held, django_assert_num_queries, who
):
    cycle, visit = round_held
    person = getattr(personas, who)
    client.force_login(person)
    with django_assert_num_queries(PAGE_QUERIES[who]):
        assert client.get("/account/data/").status_code == 200
    with django_assert_num_queries(DOWNLOAD_QUERIES[who]):
        b"".join(client.get("/account/data/download/").streaming_content)
    more_of_everything(personas, cycle, visit, 20)
    with django_assert_num_queries(PAGE_QUERIES[who]):
        assert client.get("/account/data/").status_code == 200
    with django_assert_num_queries(DOWNLOAD_QUERIES[who]):
        b"".join(client.get("/account/data/download/").streaming_content)


def test_shout_outs_to_and_from_me_come_with_my_data_and_no_one_else_s(client, personas):
    from growth.models import ShoutOut

    ShoutOut.objects.create(
        school=personas.school, author=personas.colleague, celebrated=personas.teacher, text="Yes!"
    )
    ShoutOut.objects.create(
        school=personas.school, author=personas.bystander, celebrated=personas.coach, text="Other"
    )
    client.force_login(personas.teacher)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data/download/").getvalue()))
    shout_outs = rows(archive, "shout_outs.csv")
    assert [(r["direction"], r["colleague"], r["text"]) for r in shout_outs] == [
        ("to you", str(personas.colleague), "Yes!")
    ]


def test_my_hours_come_with_my_data(client, personas):
    from growth.services import ledger_refresh_for_person

    make_round(personas, held=True)
    ledger_refresh_for_person(person=personas.colleague)
    ledger_refresh_for_person(person=personas.teacher)
    client.force_login(personas.colleague)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data/download/").getvalue()))
    assert [r["activity"] for r in rows(archive, "hours.csv")] == ["observed"]
