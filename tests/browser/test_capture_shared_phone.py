"""Two observers share one phone (one browser). What the first captured stays theirs: it is not
shown to the next person, online or offline, never sent under the next person's name, kept on
the phone however the next person is signed in, and sent as its author's when they sign in
again. Signing out says how many entries still wait."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inquiry.tests.factories import make_round
from schools.tests.factories import PASSWORD
from visits.models import Evidence

from .axe import axe_check
from .conftest import UNDER_SERVICE_WORKER, sign_in

pytestmark = pytest.mark.browser

EXPLAIN = "Students explain their reasoning to a partner"
DRAFT = "Half a thought about the anchor chart, not saved yet"
SYNC_WAIT = 30_000
ELSEWHERE = "Someone else is signed in"


@pytest.fixture
def visit(personas):
    """The coach's round: the colleague and the assistant principal (`vice`) observe."""
    return make_round(personas)[1]


def status(page):
    return page.locator("#sync-status")


def open_capture(page, live_server, visit, *, ready_offline: bool = True) -> None:
    assert re.match(r"^http://(localhost|127\.0\.0\.1):\d+$", live_server.url)
    page.goto(f"{live_server.url}/visits/{visit.pk}/capture/")
    expect(page.get_by_role("heading", name="Student discourse", level=1)).to_be_visible()
    expect(page.get_by_role("button", name=EXPLAIN)).to_be_visible()
    if ready_offline:
        page.evaluate(UNDER_SERVICE_WORKER)
        expect(page.locator("#capture[data-offline-ready=yes]")).to_be_attached()


def sign_out_from_the_header(page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()


def request_sign_in(context, live_server, username: str) -> None:
    """Sign in with a request that opens no page: no tab hears of it."""
    context.request.get(f"{live_server.url}/accounts/login/")
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    response = context.request.post(
        f"{live_server.url}/accounts/login/",
        form={"login": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.ok


def request_sign_out(context, live_server) -> None:
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    response = context.request.post(
        f"{live_server.url}/accounts/logout/", headers={"X-CSRFToken": token}
    )
    assert response.ok


def test_entries_left_on_a_shared_phone_stay_their_authors_online_and_offline(
    page, live_server, transactional_db, personas, visit, server_log
):
    # The colleague captures offline, writes half a note, and closes the page. (Until they
    # have signed out, nothing they captured may reach OpenDoors: a closing page may still
    # hear that the connection is back.)
    sign_in(page, live_server, "colleague")
    open_capture(page, live_server, visit)
    page.route("**/api/visits/*/evidence", lambda route: route.abort("connectionrefused"))
    page.context.set_offline(True)
    for _ in range(3):
        page.get_by_role("button", name=EXPLAIN).click()
    page.get_by_label("A timestamped note").fill(DRAFT)
    expect(status(page)).to_have_text("3 waiting to be sent — offline")
    page.goto("about:blank")
    page.context.set_offline(False)

    # Signing out says how many entries still wait on this phone, then signs out.
    sign_out_from_the_header(page, live_server)
    expect(page.get_by_role("heading", name="Sign out", level=1)).to_be_visible()
    waiting = page.locator("#waiting-on-phone")
    expect(waiting).to_contain_text("3 entries you captured are still waiting on this phone")
    expect(waiting).to_contain_text("nobody else who signs in on this phone sees them")
    axe_check(page)
    with page.expect_response(
        lambda r: r.url.endswith("/accounts/logout/") and r.request.method == "POST"
    ) as signed_out:
        page.get_by_role("main").get_by_role("button", name="Sign out").click()
    assert signed_out.value.all_headers().get("clear-site-data") == '"cache"'
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.unroute("**/api/visits/*/evidence")

    # The assistant principal signs in on the same phone. Offline, the colleague's saved
    # capture page is not theirs to open.
    sign_in(page, live_server, "vice")
    vice_signed_in = timezone.now()
    page.context.set_offline(True)
    response = page.goto(f"{live_server.url}/visits/{visit.pk}/capture/")
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    expect(page.locator("#capture")).to_have_count(0)
    page.context.set_offline(False)

    # Online, their own page shows nothing of the colleague's, and sends none of it.
    open_capture(page, live_server, visit)
    expect(status(page)).to_have_text("Nothing captured yet")
    expect(page.locator("#recent li")).to_have_count(0)
    expect(page.get_by_label("A timestamped note")).to_have_value("")
    expect(page.get_by_role("button", name=EXPLAIN)).to_contain_text("0")
    page.get_by_role("button", name=EXPLAIN).click()
    expect(status(page)).to_have_text("1 entry saved", timeout=SYNC_WAIT)
    page.wait_for_timeout(6000)  # more than one sync tick
    assert Evidence.objects.filter(author=personas.vice).count() == 1
    # The colleague's entries may have reached OpenDoors in their own session, before they
    # signed out (a closing page can still hear that the connection is back), never after.
    colleagues = Evidence.objects.filter(author=personas.colleague)
    assert all(e.received_at < vice_signed_in for e in colleagues)
    axe_check(page)

    # Offline again, the page reopens as theirs, still without the colleague's entries.
    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(status(page)).to_have_text("1 entry saved")
    expect(page.locator("#recent li")).to_have_count(1)
    page.context.set_offline(False)

    # With nothing waiting, the header signs out at once.
    sign_out_from_the_header(page, live_server)
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    # The colleague signs in again: their entries are sent as theirs, the note is still there.
    sign_in(page, live_server, "colleague")
    open_capture(page, live_server, visit)
    expect(status(page)).to_have_text("All 3 entries saved", timeout=SYNC_WAIT)
    expect(page.get_by_label("A timestamped note")).to_have_value(DRAFT)
    theirs = Evidence.objects.filter(author=personas.colleague)
    assert theirs.count() == 3
    assert Evidence.objects.count() == 4


def test_a_capture_tab_left_open_stops_when_someone_else_signs_in_in_another_tab(
    page, live_server, transactional_db, personas, visit, server_log
):
    sign_in(page, live_server, "colleague")
    open_capture(page, live_server, visit)
    page.route("**/api/visits/*/evidence", lambda route: route.abort("connectionrefused"))
    for _ in range(2):
        page.get_by_role("button", name=EXPLAIN).click()
    expect(status(page)).to_contain_text("2 waiting to be sent", timeout=SYNC_WAIT)

    # In another tab, the colleague signs out (told that 2 entries wait) and the assistant
    # principal signs in.
    other = page.context.new_page()
    sign_out_from_the_header(other, live_server)
    expect(other.locator("#waiting-on-phone")).to_contain_text(
        "2 entries you captured are still waiting on this phone"
    )
    other.get_by_role("main").get_by_role("button", name="Sign out").click()
    expect(other.get_by_role("link", name="Sign in")).to_be_visible()
    sign_in(other, live_server, "vice")

    # The colleague's tab stops at once: it shows and sends nothing of theirs any more.
    page.unroute("**/api/visits/*/evidence")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # send now, not after a backoff
    expect(page.get_by_role("heading", name=ELSEWHERE)).to_be_visible()
    expect(page.get_by_role("button", name=EXPLAIN)).to_be_hidden()
    expect(page.locator("#recent li")).to_have_count(0)
    axe_check(page)
    page.wait_for_timeout(6000)  # more than one sync tick
    assert not any(line.startswith("POST /api/") for line in server_log)
    assert not Evidence.objects.exists()


def test_entries_sent_while_someone_else_is_signed_in_wait_for_their_author(
    page, live_server, transactional_db, personas, visit, server_log
):
    sign_in(page, live_server, "colleague")
    open_capture(page, live_server, visit)
    page.route("**/api/visits/*/evidence", lambda route: route.abort("connectionrefused"))
    for _ in range(2):
        page.get_by_role("button", name=EXPLAIN).click()
    expect(status(page)).to_contain_text("2 waiting to be sent", timeout=SYNC_WAIT)

    # The coach, who does not observe this visit, signs in without the tab hearing of it;
    # the tab sends its waiting entries, each answered "not yours" (not a refusal of the batch).
    request_sign_out(page.context, live_server)
    request_sign_in(page.context, live_server, "coach")
    answers = []
    page.on(
        "response",
        lambda r: (
            answers.append((r.status, r.json()))
            if r.url.endswith("/evidence") and r.request.method == "POST"
            else None
        ),
    )
    page.unroute("**/api/visits/*/evidence")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # send now, not after a backoff
    expect(page.get_by_role("heading", name=ELSEWHERE)).to_be_visible(timeout=SYNC_WAIT)
    expect(page.locator("#recent li")).to_have_count(0)
    assert answers and {status for status, _ in answers} == {200}
    assert {r["status"] for _, body in answers for r in body["results"]} == {"not_yours"}
    assert not Evidence.objects.exists()

    # Their author signs in again: the entries are sent, and stored as theirs.
    request_sign_out(page.context, live_server)
    sign_in(page, live_server, "colleague")
    open_capture(page, live_server, visit, ready_offline=False)
    expect(status(page)).to_have_text("All 2 entries saved", timeout=SYNC_WAIT)
    assert [e.author for e in Evidence.objects.all()] == [personas.colleague] * 2
