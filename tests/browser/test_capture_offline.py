"""An observer captures evidence on a phone with no connection: the page reopens from the
service worker, every entry waits on the device, and each is stored exactly once when the
connection returns, even when the connection drops in the middle of a sync."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from inquiry.tests.factories import make_round
from visits.capture import Entry, evidence_record
from visits.models import Evidence

from .axe import axe_check
from .conftest import UNDER_SERVICE_WORKER, sign_in

pytestmark = pytest.mark.browser

TALLY = {"kind": "tally", "title": "Question types", "labels": ["Recall", "Open-ended"]}
EXPLAIN = "Students explain their reasoning to a partner"
ANCHOR = "Students use the anchor chart"
HOSTILE = '<img src=x onerror="alert(1)"><script>alert("hi")</script> & <b>bold</b>'
SYNC_WAIT = 30_000


@pytest.fixture
def round_visit(personas):
    """The coach's round with tally counters added; the colleague observes."""
    cycle, visit = make_round(personas)
    cycle.evidence_tool = [*cycle.evidence_tool, TALLY]
    cycle.save(update_fields=["evidence_tool"])
    return visit


def status(page):
    return page.locator("#sync-status")


def open_capture(page, live_server, visit) -> list[str]:
    """Open the capture page, check it, and wait until it can work without a connection.
    Returns the messages of any dialog the page opens (none is expected: text is never run)."""
    # Service workers need a secure context: http://localhost is one.
    assert re.match(r"^http://(localhost|127\.0\.0\.1):\d+$", live_server.url)
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    sign_in(page, live_server, "colleague")
    page.goto(f"{live_server.url}/visits/{visit.pk}/capture/")
    expect(page.get_by_role("heading", name="Student discourse", level=1)).to_be_visible()
    expect(page.get_by_role("button", name=EXPLAIN)).to_be_visible()
    expect(status(page)).to_have_text("Nothing captured yet")
    axe_check(page)
    page.evaluate(UNDER_SERVICE_WORKER)
    expect(page.locator("#capture[data-offline-ready=yes]")).to_be_attached()
    return dialogs


def test_twenty_entries_captured_offline_survive_a_reload_and_are_stored_once(
    page, live_server, transactional_db, personas, round_visit, server_log, screenshots
):
    visit = round_visit
    dialogs = open_capture(page, live_server, visit)
    screenshots(page, "capture")

    page.context.set_offline(True)
    requests_before = len(server_log)
    expect(status(page)).to_have_text("Nothing captured yet")
    for _ in range(6):
        page.get_by_role("button", name=EXPLAIN).click()
    for _ in range(4):
        page.get_by_role("button", name=ANCHOR).click()
    for label in ("Recall", "Open-ended", "Recall", "Open-ended", "Recall", "Recall"):
        page.get_by_role("button", name=label).click()
    expect(page.get_by_role("button", name=EXPLAIN)).to_contain_text("6")
    expect(page.get_by_role("button", name="Recall")).to_contain_text("4")

    page.get_by_label("A timestamped note").fill(HOSTILE)
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_label("A timestamped note")).to_have_value("")
    page.get_by_label("A timestamped note").fill("A student asked her partner “how do you know?”")
    page.get_by_role("button", name="Save as a bright moment").click()
    page.get_by_role("button", name=re.compile(r"^Bright moment")).click()

    page.get_by_role("button", name="Teacher talk").click()
    expect(page.get_by_role("button", name="Teacher talk")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Student talk").click()
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Stop and save talk time").click()

    expect(status(page)).to_have_text("20 waiting to be sent — offline")
    recent = page.locator("#recent")
    expect(recent.get_by_text(HOSTILE)).to_be_visible()  # shown as text, never run
    axe_check(page)
    screenshots(page, "offline-waiting")
    assert Evidence.objects.count() == 0

    # Still offline, the page reopens from the service worker with every entry waiting.
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("button", name=EXPLAIN)).to_contain_text("6")
    expect(status(page)).to_have_text("20 waiting to be sent — offline")
    expect(page.locator("#recent li")).to_have_count(20)
    assert Evidence.objects.count() == 0
    assert server_log[requests_before:] == [], "the page reached the server while offline"

    page.context.set_offline(False)
    expect(status(page)).to_have_text("All 20 entries saved", timeout=SYNC_WAIT)
    assert f"POST /api/visits/{visit.pk}/evidence" in server_log
    expect(recent.locator(".entry-sent")).to_have_count(20)
    axe_check(page)
    screenshots(page, "all-saved")

    stored = Evidence.objects.filter(classroom__visit=visit)
    assert stored.count() == 20
    assert Evidence.objects.count() == 20
    assert len({e.id for e in stored}) == 20
    assert {e.author_id for e in stored} == {personas.colleague.pk}
    kinds = sorted(stored.values_list("kind", flat=True))
    assert kinds == sorted(
        ["look_for"] * 10 + ["tally"] * 6 + ["note", "bright_moment", "bright_moment", "talk_time"]
    )
    assert stored.get(kind="note").text == HOSTILE
    talk = stored.get(kind="talk_time")
    assert talk.teacher_talk_seconds >= 1 and talk.student_talk_seconds >= 1
    assert talk.silence_seconds == 0
    assert sorted(stored.filter(kind="tally").values_list("label", flat=True)) == [
        "Open-ended",
        "Open-ended",
        "Recall",
        "Recall",
        "Recall",
        "Recall",
    ]
    assert dialogs == []


def test_a_connection_lost_in_the_middle_of_a_sync_stores_each_entry_once(
    page, live_server, transactional_db, personas, round_visit, server_log
):
    visit = round_visit
    dialogs = open_capture(page, live_server, visit)

    page.context.set_offline(True)
    for _ in range(30):
        page.get_by_role("button", name=EXPLAIN).click()
    expect(page.get_by_role("button", name=EXPLAIN)).to_contain_text("30")
    expect(status(page)).to_have_text("30 waiting to be sent — offline")

    # The first sync reaches the server, which stores every entry, but the phone never
    # hears back. Later syncs go through and are recorded.
    answers = []

    def drop_the_answer(route):
        response = route.fetch()
        answers.append(response.json())
        if len(answers) == 1:
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    page.route("**/api/visits/*/evidence", drop_the_answer)
    page.context.set_offline(False)
    expect(status(page)).to_have_text(
        "30 waiting to be sent — no answer from OpenDoors, trying again soon", timeout=SYNC_WAIT
    )
    expect(status(page)).to_have_text("All 30 entries saved", timeout=SYNC_WAIT)
    page.unroute("**/api/visits/*/evidence")

    first = [result["status"] for result in answers[0]["results"]]
    assert first == ["stored"] * 30
    again = [result["status"] for answer in answers[1:] for result in answer["results"]]
    assert again == ["duplicate"] * 30
    stored = Evidence.objects.filter(classroom__visit=visit)
    assert stored.count() == 30
    assert {e.author_id for e in stored} == {personas.colleague.pk}
    expect(page.locator("#recent .entry-sent")).to_have_count(20)  # the 20 most recent
    expect(page.locator("#recent .entry-outbox")).to_have_count(0)
    axe_check(page)
    assert dialogs == []


PUT_IN_OUTBOX = """async (records) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("opendoors-capture", 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const transaction = db.transaction("outbox", "readwrite");
    for (const record of records) transaction.objectStore("outbox").put(record);
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
  });
  db.close();
}"""


def test_a_conflict_keeps_both_versions_and_a_refusal_stays_visible(
    page, live_server, transactional_db, personas, round_visit, server_log
):
    visit = round_visit
    room = visit.classrooms.get()
    taken = uuid.uuid4()
    recorded_at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    evidence_record(
        visit=visit,
        author=personas.colleague,
        entries=[
            Entry(taken, room.pk, "note", recorded_at, text="The version already on the server")
        ],
    )
    dialogs = open_capture(page, live_server, visit)

    # The phone holds an entry under an id the server already has with other content, and
    # one for a classroom that is not part of the visit.
    page.context.set_offline(True)
    common = {"visit": visit.pk, "user": str(personas.colleague.pk), "kind": "note"}
    page.evaluate(
        PUT_IN_OUTBOX,
        [
            common
            | {
                "id": str(taken),
                "classroom": room.pk,
                "recorded_at": recorded_at.isoformat(),
                "text": "The version on the phone",
                "created": 1,
            },
            common
            | {
                "id": str(uuid.uuid4()),
                "classroom": 999_999,
                "recorded_at": recorded_at.isoformat(),
                "text": "Written in a classroom that is not in this visit",
                "created": 2,
            },
        ],
    )
    page.reload()
    expect(status(page)).to_have_text("2 waiting to be sent — offline")

    page.context.set_offline(False)
    expect(status(page)).to_have_text(
        "All 2 entries saved · 1 entry could not be saved", timeout=SYNC_WAIT
    )
    stored = Evidence.objects.filter(classroom__visit=visit)
    assert sorted(stored.values_list("text", flat=True)) == [
        "The version already on the server",
        "The version on the phone",
    ]
    assert stored.get(text="The version already on the server").id == taken

    kept = page.get_by_role("region", name="Kept both versions")
    expect(kept.get_by_text("The version on the phone")).to_be_visible()
    refused = page.get_by_role("region", name="Could not be saved")
    expect(refused.get_by_text("Written in a classroom that is not in this visit")).to_be_visible()
    expect(refused.get_by_text("classroom 999999 is not part of this visit")).to_be_visible()
    expect(refused.get_by_role("button", name="Try again")).to_be_visible()
    axe_check(page)

    # A refused entry is not sent again and again: nothing waits, so nothing is posted.
    posts = sum(1 for line in server_log if line.startswith("POST "))
    page.wait_for_timeout(6000)
    assert sum(1 for line in server_log if line.startswith("POST ")) == posts
    assert stored.count() == 2
    assert dialogs == []


TYPE_WHILE_SAVING = """async (count) => {
  const area = document.querySelector("textarea[id^=note-]");
  const save = [...document.querySelectorAll("button")].find((b) => b.textContent === "Save note");
  const type = (text) => {
    area.value = text;
    area.dispatchEvent(new Event("input"));
  };
  type("Note 1");
  for (let n = 1; n <= count; n++) {
    save.click(); // saves what the field holds now...
    if (n < count) type(`Note ${n + 1}`); // ...while the next note is already being typed
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}"""


def test_a_note_typed_while_the_previous_one_is_being_saved_is_kept(
    page, live_server, transactional_db, personas, round_visit, server_log
):
    visit = round_visit
    dialogs = open_capture(page, live_server, visit)
    page.context.set_offline(True)

    page.evaluate(TYPE_WHILE_SAVING, 10)
    expect(status(page)).to_have_text("10 waiting to be sent — offline")
    expect(page.get_by_label("A timestamped note")).to_have_value("")  # each note was saved
    expect(page.locator(".field-error:visible")).to_have_count(0)

    page.context.set_offline(False)
    expect(status(page)).to_have_text("All 10 entries saved", timeout=SYNC_WAIT)
    texts = Evidence.objects.filter(classroom__visit=visit).values_list("text", flat=True)
    assert sorted(texts, key=lambda t: int(t.split()[1])) == [f"Note {n}" for n in range(1, 11)]
    assert dialogs == []
