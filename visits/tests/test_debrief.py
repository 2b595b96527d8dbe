"""The group debriefs on patterns across classrooms, once the visit has started; hosts see their
own classroom and who read it; reads by others are logged."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiry.models import Stage
from inquiry.services import cycle_start, look_for_add, participants_set
from inquiry.stages import cycle_stage
from inquiry.tests.factories import make_round, next_weekday, visit_held
from schools.models import Meeting
from schools.tests.factories import HEADER_ROW, make_person, make_schedule
from visits.models import Debrief, Evidence, EvidenceRead
from visits.rules import ObserverPlan, VisitPlan
from visits.services import visit_schedule
from visits.tests.helpers import entry, sync

pytestmark = pytest.mark.django_db


def test_the_debrief_shows_patterns_by_classroom_letter_not_by_teacher(client, personas):
    cycle, visit = make_round(personas, held=True)
    room = visit.classrooms.get()
    look_for = cycle.look_fors.first()
    client.force_login(personas.colleague)
    sync(
        client,
        visit,
        [
            entry(room, look_for=look_for.pk),
            entry(room, look_for=look_for.pk, text="“I think 3/4 is bigger because…”", kind="note"),
            entry(
                room,
                kind="talk_time",
                teacher_talk_seconds=120,
                student_talk_seconds=360,
                silence_seconds=120,
            ),
            entry(room, kind="tally", label="Open-ended"),
        ],
    )
    page = client.get(f"/visits/{visit.pk}/debrief/")
    html = page.content.decode()
    assert "Classroom A" in html and "Ortiz" not in html
    patterns = page.context["patterns"]
    assert patterns.look_fors[0].counts == [1]
    assert patterns.classrooms[0].talk_percentages == [20, 60, 20]
    assert patterns.tally_rows() == [("Open-ended", [1])]
    assert "I think 3/4 is bigger" in html
    assert "Describe" in html and "Next level of work" in html  # the rounds protocol


def test_the_group_records_takeaways_and_one_next_step(client, personas):
    _, visit = make_round(personas, held=True)
    client.force_login(personas.coach)
    client.post(f"/visits/{visit.pk}/debrief/run/")  # the facilitator starts the protocol
    response = client.post(
        f"/visits/{visit.pk}/debrief/",
        {
            "step_0": "Students explained in pairs",
            "takeaways": "Talk before writing works",
            "team_next_step": "Every lesson starts with a turn-and-talk",
        },
    )
    assert response.status_code == 302
    debrief = Debrief.objects.get(visit=visit)
    assert debrief.run.steps[0]["title"] == "Describe"
    assert debrief.run.notes.get(step=0).text == "Students explained in pairs"
    assert debrief.team_next_step == "Every lesson starts with a turn-and-talk"


@pytest.mark.parametrize(
    ("structure", "first_step"),
    [("lab", "What"), ("swap", "What"), ("micro", "What"), ("walk", "Did")],
)
def test_each_structure_debriefs_with_its_protocol(client, personas, structure, first_step):
    _, visit = make_round(personas, structure=structure, held=True)
    client.force_login(personas.coach)
    steps = client.get(f"/visits/{visit.pk}/debrief/").context["protocol_steps"]
    assert steps[0].name == first_step
    client.post(f"/visits/{visit.pk}/debrief/run/")
    run = Debrief.objects.get(visit=visit).run
    assert run.protocol.library_key == visit.cycle.preset.debrief_protocol.key
    assert run.steps[0]["title"] == first_step


def test_reads_by_the_group_are_logged_and_the_host_sees_who_read(client, personas):
    _, visit = make_round(personas, held=True)
    room = visit.classrooms.get()
    client.force_login(personas.colleague)
    sync(client, visit, [entry(room, kind="note", text="Students used the anchor chart")])
    client.get(f"/visits/{visit.pk}/debrief/")  # the author reads only their own entries
    assert not EvidenceRead.objects.exists()
    client.force_login(personas.vice)
    client.get(f"/visits/{visit.pk}/debrief/")
    client.force_login(personas.coach)
    client.get(f"/api/visits/{visit.pk}/evidence")
    assert sorted(EvidenceRead.objects.values_list("reader__username", "where")) == [
        ("coach", "api"),
        ("vice", "debrief"),
    ]
    client.force_login(personas.teacher)
    page = client.get(f"/visits/{visit.pk}/my-classroom/").content.decode()
    assert "Students used the anchor chart" in page
    assert "Vi Assistant" in page and "coach" in page
    assert not EvidenceRead.objects.filter(reader=personas.teacher).exists()


def test_a_host_reads_only_their_own_classroom_through_the_api(client, personas):
    _, visit = make_round(personas, held=True)
    room = visit.classrooms.get()
    client.force_login(personas.colleague)
    sync(client, visit, [entry(room, kind="note", text="ok")])
    client.force_login(personas.teacher)
    assert [e["text"] for e in client.get(f"/api/visits/{visit.pk}/evidence").json()] == ["ok"]
    client.force_login(personas.principal)
    assert client.get(f"/api/visits/{visit.pk}/evidence").status_code == 404


def big_round(personas, *, classrooms: int, observers: int):
    """A round of many classrooms in Monday period 1, and many observers free then."""
    hosts = [make_person(f"h{i}", personas.school, "teacher") for i in range(classrooms)]
    watchers = [make_person(f"o{i}", personas.school, "teacher") for i in range(observers)]
    rows = "".join(f"h{i},,Mon,1,S{i},,,,\n" for i in range(classrooms))
    make_schedule(personas.school, HEADER_ROW + rows + "o0,,Mon,2,X,,,,\n")
    cycle = cycle_start(school=personas.school, structure="rounds", title="Big", by=personas.coach)
    for i in range(4):
        look_for_add(cycle=cycle, text=f"Students do {i}", kind="oral")
    participants_set(cycle=cycle, observers=watchers, hosts=hosts, facilitators=[personas.coach])
    lessons = {m.teacher_id: m for m in Meeting.objects.filter(slot__period__label="1")}
    visit = visit_schedule(
        cycle=cycle,
        plan=VisitPlan(
            date=next_weekday(0),
            slot=lessons[hosts[0].pk].slot,
            classrooms=[(h, lessons[h.pk].section) for h in hosts],
            observers=[ObserverPlan(o) for o in watchers],
        ),
        notify=False,
    )
    return cycle, visit_held(visit), watchers


def fill(visit, cycle, watchers, per_observer: int) -> None:
    look_fors = list(cycle.look_fors.all())
    now = datetime.now(UTC)
    Evidence.objects.bulk_create(
        Evidence(
            id=uuid.uuid4(),
            classroom=room,
            author=author,
            recorded_at=now,
            fingerprint="x",
            kind=["look_for", "note", "tally", "talk_time"][n % 4],
            look_for=look_fors[n % len(look_fors)],
            label="Open",
            text=f"quote {n}",
            teacher_talk_seconds=60,
            student_talk_seconds=120,
            silence_seconds=20,
        )
        for room in visit.classrooms.all()
        for author in watchers
        for n in range(per_observer)
    )


# The facilitator's debrief: session, user, the visit with the reader's part in it (one query
# for every access rule of the page), its debrief record, the group (who attended), the
# classrooms, the counts (one GROUP BY), the look-fors, one page of words, whether others'
# entries are among them, the log of the read and the menu: 12. Bright moments with words add
# one; outside a test's transaction, the log's insert is wrapped in BEGIN and COMMIT.
DEBRIEF_QUERIES = 12


def test_the_debrief_takes_the_same_queries_for_few_or_many_entries(client, personas):
    cycle, visit, watchers = big_round(personas, classrooms=10, observers=8)
    client.force_login(personas.coach)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/visits/{visit.pk}/debrief/").status_code == 200
        return len(captured)

    fill(visit, cycle, watchers, per_observer=2)  # a look-for tap and a note by each observer
    few = queries()
    Evidence.objects.all().delete()
    fill(visit, cycle, watchers, per_observer=50)  # 10 classrooms × 8 observers × 50 entries
    assert Evidence.objects.count() == 4000
    assert queries() == few == DEBRIEF_QUERIES


def two_classroom_round(personas):
    """A round through two classrooms (hosts h0 and h1), observed by o0."""
    cycle, visit, watchers = big_round(personas, classrooms=2, observers=1)
    return cycle, visit, watchers[0], list(visit.classrooms.order_by("position", "id"))


def debrief_section(html: str, heading_id: str) -> str:
    """The debrief's section under the heading with this id, as HTML."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_notes_tagged_with_a_look_for_are_grouped_under_it_and_only_untagged_ones_are_other(
    client, personas
):
    cycle, visit = make_round(personas, held=True)
    room = visit.classrooms.get()
    look_for = cycle.look_fors.get(text="Students use the anchor chart")
    client.force_login(personas.colleague)
    sync(
        client,
        visit,
        [
            entry(room, kind="note", look_for=look_for.pk, text="Three pairs pointed at the chart"),
            entry(room, kind="what", look_for=look_for.pk, text="A student read the chart aloud"),
            entry(room, kind="note", text="The room was warm"),
        ],
    )
    html = client.get(f"/visits/{visit.pk}/debrief/").content.decode()
    grouped = debrief_section(html, "quotes-h")
    tagged = grouped[grouped.index("Students use the anchor chart") : grouped.index("Other notes")]
    assert "Three pairs pointed at the chart" in tagged
    assert "A student read the chart aloud" in tagged
    others = grouped[grouped.index("Other notes") :]
    assert "The room was warm" in others and "pointed at the chart" not in others


def test_a_retired_look_for_keeps_the_notes_captured_for_it(client, personas):
    cycle, visit = make_round(personas, held=True)
    room = visit.classrooms.get()
    look_for = cycle.look_fors.first()
    client.force_login(personas.colleague)
    sync(client, visit, [entry(room, kind="note", look_for=look_for.pk, text="Kept words")])
    look_for.retired = True
    look_for.save()
    grouped = debrief_section(
        client.get(f"/visits/{visit.pk}/debrief/").content.decode(), "quotes-h"
    )
    assert look_for.text in grouped and "Kept words" in grouped and "retired" in grouped


def test_look_for_counts_are_a_chart_whose_numbers_are_text_by_classroom(client, personas):
    cycle, visit, observer, (a, b) = two_classroom_round(personas)
    first = cycle.look_fors.first()
    client.force_login(observer)
    sync(
        client,
        visit,
        [entry(a, look_for=first.pk), entry(a, look_for=first.pk), entry(b, look_for=first.pk)],
    )
    client.force_login(personas.coach)
    chart = debrief_section(
        client.get(f"/visits/{visit.pk}/debrief/").content.decode(), "lf-chart-h"
    )
    assert "<caption>How often observers noted each look-for</caption>" in chart
    row = chart[chart.index(first.text) :]
    assert '<span class="num">3</span>' in row[:600]
    assert "Classroom A 2 · Classroom B 1" in row[:600]


def test_bright_moments_reach_the_debrief_with_or_without_words(client, personas):
    _, visit, observer, (a, b) = two_classroom_round(personas)
    client.force_login(observer)
    sync(
        client,
        visit,
        [
            entry(a, kind="bright_moment"),
            entry(a, kind="bright_moment", text="A shy student led the pair"),
            entry(b, kind="bright_moment"),
        ],
    )
    client.force_login(personas.coach)
    page = client.get(f"/visits/{visit.pk}/debrief/")
    bright = debrief_section(page.content.decode(), "bright-h")
    assert "3 bright moments in 2 classrooms" in bright
    assert "A shy student led the pair" in bright
    assert not page.context["patterns"].other_quotes  # not also among the other notes


def test_a_classroom_without_talk_time_says_not_tracked_never_zero_percent(client, personas):
    _, visit, observer, (a, _b) = two_classroom_round(personas)
    client.force_login(observer)
    talk = {"teacher_talk_seconds": 120, "student_talk_seconds": 360, "silence_seconds": 120}
    sync(client, visit, [entry(a, kind="talk_time", **talk)])
    client.force_login(personas.coach)
    talk_time = debrief_section(
        client.get(f"/visits/{visit.pk}/debrief/").content.decode(), "talk-h"
    )
    assert "Classroom B</strong>: talk time not tracked" in talk_time
    assert "<strong>0%</strong>" not in talk_time
    assert "Student talk: <strong>60%</strong>" in talk_time  # the share bar's numbers, as text


@pytest.mark.parametrize("structure", ["micro", "swap"])
def test_a_one_to_one_debrief_speaks_of_one_classroom_and_no_team(client, personas, structure):
    _, visit = make_round(personas, structure=structure, held=True)
    client.force_login(personas.coach)
    html = client.get(f"/visits/{visit.pk}/debrief/").content.decode()
    assert "across classrooms" not in html
    assert "team&#x27;s next step" not in html and "team's next step" not in html


@pytest.mark.parametrize(("structure", "label"), [("rounds", "Our team"), ("micro", "Our next")])
def test_the_next_step_is_named_as_the_structure_names_it(client, personas, structure, label):
    _, visit = make_round(personas, structure=structure, held=True)
    client.force_login(personas.coach)
    form = client.get(f"/visits/{visit.pk}/debrief/").context["form"]
    assert form.fields["team_next_step"].label.startswith(label)


def test_the_debrief_s_live_step_follows_its_run_as_a_team_s_run_page_does(client, personas):
    _, visit = make_round(personas, held=True)
    client.force_login(personas.coach)
    client.post(f"/visits/{visit.pk}/debrief/run/")
    run = Debrief.objects.get(visit=visit).run
    html = client.get(f"/visits/{visit.pk}/debrief/").content.decode()
    assert f'hx-get="/runs/{run.pk}/state/?v=1"' in html  # the same polling as a team's run
    assert 'data-run-step="1" data-run-title="Describe"' in html
    assert "teams/runner.js" in html


def test_the_debrief_of_a_visit_ahead_opens_when_the_visit_starts_and_saves_nothing(
    client, personas
):
    cycle, visit = make_round(personas, structure="lab")  # next Monday
    client.force_login(personas.colleague)
    page = client.get(f"/visits/{visit.pk}/debrief/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "The debrief opens when the visit starts" in html
    assert "Save the debrief" not in html
    refused = client.post(f"/visits/{visit.pk}/debrief/", {"takeaways": "Too early"})
    assert refused.status_code == 400
    assert "The debrief opens when the visit starts" in refused.content.decode()
    assert not Debrief.objects.filter(visit=visit).exists()
    assert cycle_stage(cycle, timezone.now()).stage == Stage.SCHEDULED


def test_a_big_visit_counts_every_entry_and_pages_its_notes(client, personas):
    cycle, visit, watchers = big_round(personas, classrooms=2, observers=2)
    fill(visit, cycle, watchers, per_observer=120)  # 480 entries, 120 of them notes
    client.force_login(personas.coach)
    first = client.get(f"/visits/{visit.pk}/debrief/")
    patterns = first.context["patterns"]
    assert patterns.entry_count == 480
    assert sum(row.total for row in patterns.look_fors) == 120
    assert patterns.tally_rows() == [("Open", [60, 60])]
    html = first.content.decode()
    assert "Notes 1–100 of 120." in html and 'href="?quotes=2#quotes"' in html
    second = client.get(f"/visits/{visit.pk}/debrief/", {"quotes": "2"}).content.decode()
    assert "Notes 101–120 of 120." in second and "More notes" not in second
    words = debrief_section(html, "quotes-h") + debrief_section(second, "quotes-h")
    assert words.count("quote ") == 120  # each note once, over the two pages
    assert client.get(f"/visits/{visit.pk}/debrief/", {"quotes": "x9"}).status_code == 200


def test_pages_of_notes_run_look_for_after_look_for_untagged_last_each_note_once(client, personas):
    cycle, visit, watchers = big_round(personas, classrooms=2, observers=1)
    first, second = list(cycle.look_fors.all())[:2]
    rooms = list(visit.classrooms.order_by("position", "id"))
    # Captured in the reverse of the page's order: the page groups, it does not keep time.
    groups = [("untagged", None, 30), ("second", second, 70), ("first", first, 70)]
    Evidence.objects.bulk_create(
        Evidence(
            id=uuid.uuid4(),
            classroom=rooms[n % 2],
            author=watchers[0],
            recorded_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + timedelta(seconds=60 * g + n),
            fingerprint="x",
            kind="note" if n % 3 else "what",
            look_for=look_for,
            text=f"{name} {n:02d}",
        )
        for g, (name, look_for, count) in enumerate(groups)
        for n in range(count)
    )
    client.force_login(personas.coach)
    pages = [client.get(f"/visits/{visit.pk}/debrief/", {"quotes": p}) for p in ("1", "2")]
    shown = [
        [(row.look_for, [q.text for q in row.quotes]) for row in page.context["patterns"].look_fors]
        + [(None, [q.text for q in page.context["patterns"].other_quotes])]
        for page in pages
    ]
    firsts, seconds = [f"first {n:02d}" for n in range(70)], [f"second {n:02d}" for n in range(70)]
    untagged = [f"untagged {n:02d}" for n in range(30)]
    assert [words for look_for, words in shown[0] if look_for in (first, second, None)] == [
        firsts,
        seconds[:30],
        [],
    ]
    assert [words for look_for, words in shown[1] if look_for in (first, second, None)] == [
        [],
        seconds[30:],
        untagged,
    ]
    assert "Notes 101–170 of 170." in pages[1].content.decode()
