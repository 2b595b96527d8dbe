"""Who gets what from every URL the project defines.

Each row names a route and the status each persona gets. A route without a row
fails `test_every_url_has_a_row`, so every new page must say who may see it.
Outside their school, people get 404: a page never confirms what it hides.

The personas, at Lincoln unless said: `teacher` hosts the fixture's round, `colleague`
and `vice` (an assistant principal) observe in it, `coach` facilitates it,
`bystander` teaches but is not in it, `principal` is not in it either (a principal's
role gives no access to a round), `district_leader`, and `outsider` who teaches at
Roosevelt.
"""

import json
import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from schools.models import ImportKind, ScheduleImport
from visits.models import Proposal

PERSONAS = (
    "anonymous",
    "teacher",
    "colleague",
    "vice",
    "bystander",
    "coach",
    "principal",
    "district_leader",
    "outsider",
)
LOGIN = 302  # anonymous visitors are sent to sign in


@dataclass(frozen=True)
class Row:
    anonymous: int
    teacher: int
    colleague: int
    vice: int
    bystander: int
    coach: int
    principal: int
    district_leader: int
    outsider: int
    method: str = "get"
    kwargs: dict = field(default_factory=dict)
    json: dict | None = None


def everyone(
    status: int,
    *,
    method: str = "get",
    kwargs: dict | None = None,
    json: dict | None = None,
    **but,
) -> Row:
    """The same answer for every persona, except those named in `but`."""
    statuses = {persona: but.get(persona, status) for persona in PERSONAS}
    return Row(**statuses, method=method, kwargs=kwargs or {}, json=json)


SCHOOL = {"slug": "lincoln"}
IMPORT = {"slug": "lincoln", "import_id": "IMPORT"}
CYCLE = {"cycle_id": "CYCLE"}
VISIT = {"visit_id": "VISIT"}
PROPOSAL = {"proposal_id": "PROPOSAL"}
DISTRICT = {"slug": "riverbend"}
DISTRICT_SCHOOL = {"slug": "riverbend", "school_id": "SCHOOL"}


def MANAGERS_ONLY(status: int, **extra) -> Row:
    """The school's principals and coaches."""
    return everyone(
        403, anonymous=LOGIN, coach=status, principal=status, vice=status, outsider=404, **extra
    )


PERSON = {"slug": "lincoln", "person_id": "TEACHER"}


def PEOPLE_MANAGERS(status: int, **extra) -> Row:
    """The school's principals (and the assistant principal) and the district's leaders."""
    return everyone(
        404, anonymous=LOGIN, principal=status, vice=status, district_leader=status, **extra
    )


def PARTICIPANTS(status: int, **but) -> Row:
    """Everyone in the round; nobody else learns it exists."""
    return everyone(
        404,
        **{
            "anonymous": LOGIN,
            "teacher": status,
            "colleague": status,
            "vice": status,
            "coach": status,
            **but,
        },
    )


def FACILITATORS(status: int, **but) -> Row:
    """The cycle's facilitator; its other participants are refused; everyone else sees nothing."""
    return everyone(
        404,
        **{
            "anonymous": LOGIN,
            "teacher": 403,
            "colleague": 403,
            "vice": 403,
            "coach": status,
            **but,
        },
    )


def OBSERVERS(status: int, **but) -> Row:
    """The visit's observers; the host and the facilitator are refused; nobody else sees it."""
    return PARTICIPANTS(status, **{"teacher": 403, "coach": 403, **but})


def API(row: Row) -> Row:
    """The API answers 401, not a redirect to the sign-in page, to anonymous callers."""
    return Row(**{**row.__dict__, "anonymous": 401})


ROWS: dict[str, Row | tuple[Row, ...]] = {  # a tuple: one row per method
    "": everyone(200, anonymous=LOGIN),
    # The design system's style page: for anyone signed in; a POST only re-checks its example.
    "style/": (everyone(200, anonymous=LOGIN), everyone(200, anonymous=LOGIN, method="post")),
    # Sign-in pages (django-allauth). Signed-in people are sent on from sign-in pages.
    "accounts/login/": everyone(302, anonymous=200),
    "accounts/logout/": everyone(200, anonymous=302),
    "accounts/inactive/": everyone(200),
    "accounts/signup/": everyone(302, anonymous=200),
    "accounts/reauthenticate/": everyone(200, anonymous=LOGIN),
    "accounts/email/": everyone(200, anonymous=LOGIN),
    "accounts/confirm-email/": everyone(200),
    "accounts/password/change/": everyone(200, anonymous=LOGIN),
    "accounts/password/set/": everyone(302, anonymous=LOGIN),
    "accounts/password/reset/": everyone(200),
    "accounts/login/code/confirm/": everyone(302, anonymous=302),
    # An unknown confirmation key shows "this link is invalid".
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": everyone(200, kwargs={"key": "not-a-key"}),
    "accounts/password/reset/key/done/": everyone(200),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": everyone(
        200, kwargs={"uidb36": "0", "key": "not-a-key"}
    ),
    "accounts/password/reset/done/": everyone(200),
    "accounts/3rdparty/login/cancelled/": everyone(200),
    "accounts/3rdparty/login/error/": everyone(401),
    "accounts/3rdparty/signup/": everyone(302),
    "accounts/3rdparty/": everyone(200, anonymous=LOGIN),
    "accounts/social/login/cancelled/": everyone(301),
    "accounts/social/login/error/": everyone(301),
    "accounts/social/signup/": everyone(301),
    "accounts/social/connections/": everyone(301),
    # No single sign-on is configured in tests: an unknown provider is 404 for everyone.
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/": everyone(
        404, kwargs={"provider_id": "nowhere"}
    ),
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/callback/": everyone(
        404, kwargs={"provider_id": "nowhere"}
    ),
    # The master schedule: the school's staff and its district leaders see it.
    "schools/<slug:slug>/schedule/": everyone(200, anonymous=LOGIN, outsider=404, kwargs=SCHOOL),
    "schools/<slug:slug>/schedule.csv": everyone(200, anonymous=LOGIN, outsider=404, kwargs=SCHOOL),
    "schools/<slug:slug>/teachers/<id:person_id>/": everyone(
        200, anonymous=LOGIN, outsider=404, kwargs={"slug": "lincoln", "person_id": "TEACHER"}
    ),
    # Imports: the principal and coaches only.
    "schools/<slug:slug>/imports/new/": MANAGERS_ONLY(200, kwargs=SCHOOL),
    "schools/<slug:slug>/settings/": MANAGERS_ONLY(200, kwargs=SCHOOL),
    # (The assistant principal manages the schedule as a principal does.)
    "schools/<slug:slug>/imports/<id:import_id>/": MANAGERS_ONLY(200, kwargs=IMPORT),
    "schools/<slug:slug>/imports/<id:import_id>/apply/": MANAGERS_ONLY(
        302, method="post", kwargs=IMPORT
    ),
    "schools/<slug:slug>/imports/<id:import_id>/retry/": MANAGERS_ONLY(
        302, method="post", kwargs=IMPORT
    ),
    # People and roles: the school's principals and the district's leaders; everyone else,
    # coaches and teachers of the school too, learns nothing (404).
    "schools/<slug:slug>/people/": (
        PEOPLE_MANAGERS(200, kwargs=SCHOOL),
        PEOPLE_MANAGERS(400, method="post", kwargs=SCHOOL),  # posted empty: the form's errors
    ),
    "schools/<slug:slug>/people/<id:person_id>/roles/": PEOPLE_MANAGERS(
        302, method="post", kwargs=PERSON
    ),
    "schools/<slug:slug>/people/<id:person_id>/deactivate/": PEOPLE_MANAGERS(
        302, method="post", kwargs=PERSON
    ),
    "schools/<slug:slug>/people/<id:person_id>/reactivate/": PEOPLE_MANAGERS(
        302, method="post", kwargs=PERSON
    ),
    # The district's audit log: its leaders only.
    "district/<slug:slug>/audit/": everyone(
        404, anonymous=LOGIN, district_leader=200, kwargs={"slug": "riverbend"}
    ),
    # A district's settings and schools: its leaders only (a principal learns nothing: 404).
    # Setting up a district: superusers only (none of the personas is one).
    "district/setup/": (
        everyone(404, anonymous=LOGIN),
        everyone(404, anonymous=LOGIN, method="post"),
    ),
    "district/<slug:slug>/settings/": (
        everyone(404, anonymous=LOGIN, district_leader=200, kwargs=DISTRICT),
        # Posted empty: the form's errors.
        everyone(404, anonymous=LOGIN, district_leader=400, method="post", kwargs=DISTRICT),
    ),
    "district/<slug:slug>/schools/": (
        everyone(404, anonymous=LOGIN, district_leader=200, kwargs=DISTRICT),
        everyone(404, anonymous=LOGIN, district_leader=400, method="post", kwargs=DISTRICT),
    ),
    "district/<slug:slug>/schools/<id:school_id>/rename/": everyone(
        404, anonymous=LOGIN, district_leader=302, method="post", kwargs=DISTRICT_SCHOOL
    ),
    "district/<slug:slug>/schools/<id:school_id>/archive/": everyone(
        404, anonymous=LOGIN, district_leader=302, method="post", kwargs=DISTRICT_SCHOOL
    ),
    "district/<slug:slug>/schools/<id:school_id>/unarchive/": everyone(
        404, anonymous=LOGIN, district_leader=302, method="post", kwargs=DISTRICT_SCHOOL
    ),
    # Cycles. The fixture's cycle: the coach facilitates, the teacher hosts, the colleague
    # observes; the principal and the district leader are not in it, so they see nothing of it.
    "schools/<slug:slug>/cycles/": everyone(200, anonymous=LOGIN, outsider=404, kwargs=SCHOOL),
    "schools/<slug:slug>/cycles/new/": everyone(
        403, anonymous=LOGIN, coach=200, principal=200, vice=200, outsider=404, kwargs=SCHOOL
    ),
    "cycles/<id:cycle_id>/": PARTICIPANTS(200, kwargs=CYCLE),
    # The stage set by hand (or following the steps again): the facilitator's.
    "cycles/<id:cycle_id>/stage/": FACILITATORS(302, method="post", kwargs=CYCLE),
    "cycles/<id:cycle_id>/focus/": FACILITATORS(200, kwargs=CYCLE),
    # The focus's data file (uploaded by the facilitator): a download for the participants.
    "cycles/<id:cycle_id>/focus/data-file": PARTICIPANTS(200, kwargs=CYCLE),
    "cycles/<id:cycle_id>/settings/": FACILITATORS(200, kwargs=CYCLE),
    "cycles/<id:cycle_id>/look-fors/": FACILITATORS(200, kwargs=CYCLE),
    "cycles/<id:cycle_id>/look-fors/merge/": FACILITATORS(302, method="post", kwargs=CYCLE),
    "cycles/<id:cycle_id>/look-fors/<id:look_for_id>/": FACILITATORS(
        302, method="post", kwargs={"cycle_id": "CYCLE", "look_for_id": "LOOK_FOR"}
    ),
    "cycles/<id:cycle_id>/evidence-tool/": FACILITATORS(200, kwargs=CYCLE),
    # Each part of the tool added, changed, moved or removed in place.
    "cycles/<id:cycle_id>/evidence-tool/parts/": FACILITATORS(302, method="post", kwargs=CYCLE),
    "cycles/<id:cycle_id>/evidence-tool/preview/": PARTICIPANTS(200, kwargs=CYCLE),
    "cycles/<id:cycle_id>/people/": FACILITATORS(200, kwargs=CYCLE),
    # The host writes their own pre-brief, with the facilitators.
    "cycles/<id:cycle_id>/pre-briefs/<id:host_id>/": FACILITATORS(
        200, teacher=200, kwargs={"cycle_id": "CYCLE", "host_id": "TEACHER"}
    ),
    # Visits: the people in a visit and the cycle's facilitators.
    "cycles/<id:cycle_id>/visits/": FACILITATORS(200, kwargs=CYCLE),
    "visits/<id:visit_id>/": PARTICIPANTS(200, kwargs=VISIT),
    "visits/<id:visit_id>/change/": FACILITATORS(200, kwargs=VISIT),
    "visits/<id:visit_id>/cancel/": FACILITATORS(302, method="post", kwargs=VISIT),
    "visits/<id:visit_id>/visit.ics": PARTICIPANTS(200, kwargs=VISIT),
    # Proposed schedules: the cycle's facilitators.
    # Posted empty: the Visits page again, "Choose the week" under the field.
    "cycles/<id:cycle_id>/proposals/": FACILITATORS(400, method="post", kwargs=CYCLE),
    "proposals/<id:proposal_id>/": FACILITATORS(200, kwargs=PROPOSAL),
    "proposals/<id:proposal_id>/plan.json": FACILITATORS(200, kwargs=PROPOSAL),
    "proposals/<id:proposal_id>/change/": FACILITATORS(302, method="post", kwargs=PROPOSAL),
    "proposals/<id:proposal_id>/publish/": FACILITATORS(302, method="post", kwargs=PROPOSAL),
    "proposals/<id:proposal_id>/retry/": FACILITATORS(302, method="post", kwargs=PROPOSAL),
    "proposals/<id:proposal_id>/undo/": FACILITATORS(302, method="post", kwargs=PROPOSAL),
    "calendar/": everyone(200, anonymous=LOGIN),
    # One's own account page; a POST without its section's Save button is refused.
    "account/": (
        everyone(200, anonymous=LOGIN),
        everyone(400, anonymous=LOGIN, method="post"),
    ),
    "calendar/reset/": everyone(302, anonymous=LOGIN, method="post"),
    # A private feed needs no sign-in: its secret token is the key (a wrong one is 404).
    "calendar/<str:token>.ics": everyone(200, kwargs={"token": "FEED"}),
    # Capture, debrief and evidence: the visit's group and, for their classroom, the host.
    "visits/sw.js": everyone(200),
    "visits/<id:visit_id>/capture/": OBSERVERS(200, kwargs=VISIT),
    "visits/<id:visit_id>/debrief/": PARTICIPANTS(200, teacher=403, kwargs=VISIT),
    "visits/<id:visit_id>/my-classroom/": everyone(404, anonymous=LOGIN, teacher=200, kwargs=VISIT),
    "cycles/<id:cycle_id>/goal/": PARTICIPANTS(200, kwargs=CYCLE),
    "follow-ups/<id:follow_up_id>/": everyone(
        404, anonymous=LOGIN, colleague=200, kwargs={"follow_up_id": "FOLLOW_UP"}
    ),
    # Only its author shares a follow-up answer, with a cycle they take part in.
    "cycles/<id:cycle_id>/follow-ups/<id:follow_up_id>/share/": everyone(
        404,
        anonymous=LOGIN,
        colleague=302,
        method="post",
        kwargs={"cycle_id": "CYCLE", "follow_up_id": "FOLLOW_UP"},
    ),
    # School-wide patterns: aggregates over at least k classrooms, for the school's people.
    "schools/<slug:slug>/patterns/": everyone(200, anonymous=LOGIN, outsider=404, kwargs=SCHOOL),
    # The API: described openly, answering only to signed-in people with the pages' rules.
    "api/": everyone(404),
    "api/docs": everyone(200),
    "api/openapi.json": everyone(200),
    "api/visits/<visit_id>/capture": API(OBSERVERS(200, kwargs=VISIT)),
    "api/visits/<visit_id>/evidence": (
        API(PARTICIPANTS(200, kwargs=VISIT)),
        API(OBSERVERS(200, method="post", kwargs=VISIT, json={"entries": []})),
    ),
}


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def project_routes() -> dict[str, URLPattern]:
    return dict(_routes(get_resolver().url_patterns))


def test_every_url_has_a_row():
    routes = project_routes()
    # Django's admin (superusers only) is asked route by route in opendoors/tests/test_admin.py.
    routes = {route: p for route, p in routes.items() if not route.startswith("admin/")}
    assert sorted(set(routes) - set(ROWS)) == [], "add a row for each new URL"
    assert sorted(set(ROWS) - set(routes)) == [], "remove rows of URLs that are gone"


def _url(route: str, kwargs: dict, personas) -> str:
    values = {
        key: {
            "IMPORT": lambda: personas.schedule_import.pk,
            "TEACHER": lambda: personas.teacher.pk,
            "CYCLE": lambda: personas.cycle.pk,
            "LOOK_FOR": lambda: personas.look_for.pk,
            "VISIT": lambda: personas.visit.pk,
            "FEED": lambda: personas.feed.token,
            "FOLLOW_UP": lambda: personas.follow_up.pk,
            "PROPOSAL": lambda: personas.proposal.pk,
            "SCHOOL": lambda: personas.school.pk,
        }.get(value, lambda v=value: v)()
        for key, value in kwargs.items()
    }
    path = route.replace("^", "").replace("$", "")
    for key, value in values.items():
        path = re.sub(rf"<(\w+:)?{key}>|\(\?P<{key}>[^)]*\)", str(value), path, count=1)
    return "/" + path


@pytest.fixture
def personas_with_import(personas, tmp_path):
    """The personas with an import, a round, a look-for, a visit and a calendar feed."""
    from django.core.files.base import ContentFile

    from growth.services import goal_set
    from inquiry.tests.factories import make_round
    from visits.services import calendar_feed_for

    personas.cycle, personas.visit = make_round(personas)
    personas.look_for = personas.cycle.look_fors.first()
    personas.cycle.data_file = ContentFile(b"student,score\nA,3\n", name="scores.csv")
    personas.cycle.save()
    personas.feed = calendar_feed_for(personas.teacher)
    personas.proposal = Proposal.objects.create(cycle=personas.cycle, monday=personas.visit.date)
    personas.follow_up = goal_set(
        person=personas.colleague,
        cycle=personas.cycle,
        visit=personas.visit,
        text="Ask students to explain to a partner first",
        try_by=personas.visit.date,
    ).follow_up
    personas.schedule_import = ScheduleImport.objects.create(
        school=personas.school,
        kind=ImportKind.SCHEDULE_CSV,
        file=ContentFile(b"teacher_id,day,period,section\n", name="schedule.csv"),
        original_name="schedule.csv",
    )
    return personas


CASES = [
    (route, row)
    for route, rows in sorted(ROWS.items())
    for row in (rows if isinstance(rows, tuple) else (rows,))
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("route", "row"), CASES, ids=[f"{row.method} {route}" for route, row in CASES]
)
def test_persona_gets_the_expected_answer(client, personas_with_import, route, row, persona):
    person = personas_with_import.by_name(persona)
    if person is not None:
        client.force_login(person)
    url = _url(route, row.kwargs, personas_with_import)
    if row.json is not None:
        response = client.generic(
            row.method.upper(), url, data=json.dumps(row.json), content_type="application/json"
        )
    else:
        response = getattr(client, row.method)(url)
    expected = getattr(row, persona)
    assert response.status_code == expected, f"{persona} {row.method.upper()} {url}"
    if persona == "anonymous" and expected == LOGIN and route.split("/")[0] not in {"accounts"}:
        assert response["Location"].startswith("/accounts/login/")
