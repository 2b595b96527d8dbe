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

from schools.models import CreditDesignation, ImportKind, ImprovementGoal, ScheduleImport
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
DESIGNATION = {"slug": "riverbend", "designation_id": "DESIGNATION"}
ARTIFACT = {"artifact_id": "ARTIFACT"}
SHARE = {"share_id": "SHARE"}
LINK = {"token": "LINK"}
CREDENTIAL = {"credential_id": "CREDENTIAL", "kind": "jwt"}


def MANAGERS_ONLY(status: int, **extra) -> Row:
    """The school's principals and coaches."""
    return everyone(
        403, anonymous=LOGIN, coach=status, principal=status, vice=status, outsider=404, **extra
    )


PERSON = {"slug": "lincoln", "person_id": "TEACHER"}
GOAL = {"slug": "lincoln", "goal_id": "GOAL"}


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


TEAM = {"team_id": "TEAM"}
TEAM_MEETING = {"meeting_id": "TEAM_MEETING"}


def TEAM_MEMBERS(status: int, **but) -> Row:
    """The fixture's team (`teacher` facilitates, `colleague` is on it) and the school's
    principals and coaches; nobody else learns it exists."""
    return PARTICIPANTS(status, principal=status, **but)


def TEAM_LEADERS(status: int, **but) -> Row:
    """The team's facilitator and the school's principals and coaches; a member is refused."""
    return TEAM_MEMBERS(status, colleague=403, **but)


PROTOCOL = {"protocol_id": "PROTOCOL"}
SCHOOL_PROTOCOL = {"slug": "lincoln", "protocol_id": "PROTOCOL"}
RUN = {"run_id": "RUN"}


def PROTOCOL_WRITERS(status: int, **but) -> Row:
    """The school's coaches, teacher leaders and principals; its other people are refused."""
    return everyone(
        403,
        **{
            "anonymous": LOGIN,
            "coach": status,
            "principal": status,
            "vice": status,
            "outsider": 404,
            **but,
        },
    )


def RUN_MEMBERS(status: int, **but) -> Row:
    """The run's team only (`teacher` facilitates, `colleague` records): a principal or coach
    off the team learns nothing of its steps or notes."""
    return everyone(404, **{"anonymous": LOGIN, "teacher": status, "colleague": status, **but})


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
    # An invitation's page is public, by its token; a link that does not work (here: a token
    # that is not one) answers a page saying so, to everyone, on GET and POST.
    "accounts/invitation/<str:uidb64>/<str:token>/": (
        everyone(200, kwargs={"uidb64": "MQ", "token": "not-a-token"}),
        everyone(200, method="post", kwargs={"uidb64": "MQ", "token": "not-a-token"}),
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
    "schools/<slug:slug>/people/<id:person_id>/email/": PEOPLE_MANAGERS(
        302, method="post", kwargs=PERSON
    ),
    "schools/<slug:slug>/people/<id:person_id>/deactivate/": PEOPLE_MANAGERS(
        302, method="post", kwargs=PERSON
    ),
    "schools/<slug:slug>/people/<id:person_id>/reactivate/": PEOPLE_MANAGERS(
        302, method="post", kwargs=PERSON
    ),
    # Erasing personal data: the district's leaders (posted empty: back with a message); a
    # principal, who manages the school's people, is refused.
    "schools/<slug:slug>/people/<id:person_id>/erase/": everyone(
        404,
        anonymous=LOGIN,
        principal=403,
        vice=403,
        district_leader=302,
        method="post",
        kwargs=PERSON,
    ),
    # Invitations: sent by the school's people managers only (then back to the page).
    "schools/<slug:slug>/people/<id:person_id>/invitation/": PEOPLE_MANAGERS(
        302, method="post", kwargs=PERSON
    ),
    "schools/<slug:slug>/people/invitations/": PEOPLE_MANAGERS(302, method="post", kwargs=SCHOOL),
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
    # Its credit rules and designations, each posted on its own (posted empty: the errors).
    "district/<slug:slug>/settings/credits/": everyone(
        404, anonymous=LOGIN, district_leader=400, method="post", kwargs=DISTRICT
    ),
    "district/<slug:slug>/settings/designations/": everyone(
        404, anonymous=LOGIN, district_leader=400, method="post", kwargs=DISTRICT
    ),
    "district/<slug:slug>/settings/designations/<id:designation_id>/": everyone(
        404, anonymous=LOGIN, district_leader=400, method="post", kwargs=DESIGNATION
    ),
    "district/<slug:slug>/settings/designations/<id:designation_id>/remove/": everyone(
        404, anonymous=LOGIN, district_leader=302, method="post", kwargs=DESIGNATION
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
    # Every cycle of the school, its plan, schedule and steps as counts: the school's
    # principals and the district's leaders, whether or not they take part; nobody else (404).
    "schools/<slug:slug>/cycles/all/": PEOPLE_MANAGERS(200, kwargs=SCHOOL),
    "schools/<slug:slug>/cycles/all/<id:cycle_id>/": PEOPLE_MANAGERS(
        200, kwargs={"slug": "lincoln", "cycle_id": "CYCLE"}
    ),
    # The school's improvement goals: its principals and the district's leaders (posted
    # empty: the form's errors; an action posted empty: back with a message).
    "schools/<slug:slug>/goals/": (
        PEOPLE_MANAGERS(200, kwargs=SCHOOL),
        PEOPLE_MANAGERS(400, method="post", kwargs=SCHOOL),
    ),
    "schools/<slug:slug>/goals/<id:goal_id>/": PEOPLE_MANAGERS(400, method="post", kwargs=GOAL),
    "schools/<slug:slug>/goals/<id:goal_id>/action/": PEOPLE_MANAGERS(
        302, method="post", kwargs=GOAL
    ),
    # The district's strategy with each school's goals and cycles: its leaders only.
    "district/<slug:slug>/strategy/": everyone(
        404, anonymous=LOGIN, district_leader=200, kwargs=DISTRICT
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
    # My data: each signed-in person sees and downloads their own (opendoors/tests/test_my_data.py).
    "account/data/": everyone(200, anonymous=LOGIN),
    "account/data/download/": everyone(200, anonymous=LOGIN),
    "calendar/reset/": everyone(302, anonymous=LOGIN, method="post"),
    # A private feed needs no sign-in: its secret token is the key (a wrong one is 404).
    "calendar/<str:token>.ics": everyone(200, kwargs={"token": "FEED"}),
    # Capture, debrief and evidence: the visit's group and, for their classroom, the host.
    "visits/sw.js": everyone(200),
    "visits/<id:visit_id>/capture/": OBSERVERS(200, kwargs=VISIT),
    "visits/<id:visit_id>/debrief/": PARTICIPANTS(200, teacher=403, kwargs=VISIT),
    # The debrief's protocol: the group's pages ask whether it started (not yet: 204); the
    # cycle's facilitator starts it (the visit is ahead: back to the page, with a message).
    "visits/<id:visit_id>/debrief/run/": (
        PARTICIPANTS(204, teacher=403, kwargs=VISIT),
        FACILITATORS(302, method="post", kwargs=VISIT),
    ),
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
    # Celebrations: one's own page; the school's shared ones for its people (posted empty:
    # the form's errors). Only the person celebrated (`teacher`) chooses who sees a shout-out,
    # and only the host shares a bright moment from their classroom.
    "celebrations/": everyone(200, anonymous=LOGIN),
    "schools/<slug:slug>/celebrations/": (
        everyone(200, anonymous=LOGIN, outsider=404, kwargs=SCHOOL),
        everyone(400, anonymous=LOGIN, outsider=404, method="post", kwargs=SCHOOL),
    ),
    "celebrations/<id:shout_out_id>/audience/": everyone(
        404, anonymous=LOGIN, teacher=302, method="post", kwargs={"shout_out_id": "SHOUT_OUT"}
    ),
    "celebrations/bright-moments/<uuid:evidence_id>/share/": everyone(
        404, anonymous=LOGIN, teacher=302, method="post", kwargs={"evidence_id": "BRIGHT"}
    ),
    # A transcript is always one's own (growth/tests/test_transcript.py); checking one is
    # public: a link that is not one answers a page saying so, to everyone.
    "hours/transcript/": everyone(200, anonymous=LOGIN),
    "verify/transcript/<str:token>/": everyone(200, kwargs={"token": "not-a-transcript"}),
    # Credentials (growth/tests/test_credentials.py): CREDENTIAL is the teacher's, for the
    # round. Claiming is for the cycle's people (the teacher gets hers again); a credential and
    # the whole record are one's own; the issuer's documents and the verify page are public
    # (posted empty: the form's message); the district's leaders list and revoke.
    "cycles/<id:cycle_id>/credential/": PARTICIPANTS(302, method="post", kwargs=CYCLE),
    "credentials/<uuid:credential_id>/<str:kind>/": everyone(
        404, anonymous=LOGIN, teacher=200, kwargs=CREDENTIAL
    ),
    "credentials/record/<str:kind>/": everyone(
        404, anonymous=LOGIN, teacher=200, kwargs={"kind": "jwt"}
    ),
    "credentials/issuers/<slug:slug>/": everyone(200, kwargs=DISTRICT),
    "credentials/issuers/<slug:slug>/jwks.json": everyone(200, kwargs=DISTRICT),
    "credentials/issuers/<slug:slug>/keys/<str:thumbprint>/": everyone(
        200, kwargs={**DISTRICT, "thumbprint": "THUMBPRINT"}
    ),
    "credentials/issuers/<slug:slug>/status/<id:number>/": everyone(
        200, kwargs={**DISTRICT, "number": 1}
    ),
    "verify/credential/": (everyone(200), everyone(400, method="post")),
    "district/<slug:slug>/credentials/": everyone(
        404, anonymous=LOGIN, district_leader=200, kwargs=DISTRICT
    ),
    "district/<slug:slug>/credentials/<uuid:credential_id>/revoke/": everyone(
        404,
        anonymous=LOGIN,
        district_leader=302,
        method="post",
        kwargs={**DISTRICT, "credential_id": "CREDENTIAL"},
    ),
    # The hours ledger. One's own hours (posted empty: the form's errors); learning one reported,
    # the teacher's alone. Reported learning is reviewed by the school's facilitators and
    # coaches and the district's leaders (a principal's role gives no access; nobody reviews
    # their own). The district's export: its leaders only (posted: the CSV).
    "hours/": (
        everyone(200, anonymous=LOGIN),
        everyone(400, anonymous=LOGIN, method="post"),
    ),
    "hours/<id:entry_id>/": (
        everyone(404, anonymous=LOGIN, teacher=200, kwargs={"entry_id": "REPORTED"}),
        everyone(404, anonymous=LOGIN, teacher=400, method="post", kwargs={"entry_id": "REPORTED"}),
    ),
    "schools/<slug:slug>/hours/approvals/": everyone(
        403, anonymous=LOGIN, coach=200, district_leader=200, outsider=404, kwargs=SCHOOL
    ),
    "schools/<slug:slug>/hours/approvals/<id:entry_id>/": everyone(
        403,
        anonymous=LOGIN,
        coach=400,
        district_leader=400,
        outsider=404,
        method="post",
        kwargs={"slug": "lincoln", "entry_id": "REPORTED"},
    ),
    "district/<slug:slug>/hours/": (
        everyone(404, anonymous=LOGIN, district_leader=200, kwargs=DISTRICT),
        everyone(404, anonymous=LOGIN, district_leader=200, method="post", kwargs=DISTRICT),
    ),
    # The district's library of plans: its schools' people read it (the outsider's own
    # school is in the same district: its page shows the same library). The cycle's
    # facilitator shares and copies; the plan's author (the coach) or a district leader
    # takes it out.
    "schools/<slug:slug>/library/": everyone(200, anonymous=LOGIN, outsider=404, kwargs=SCHOOL),
    "cycles/<id:cycle_id>/share/": FACILITATORS(302, method="post", kwargs=CYCLE),
    "cycles/<id:cycle_id>/library/<id:plan_id>/copy/": FACILITATORS(
        302, method="post", kwargs={"cycle_id": "CYCLE", "plan_id": "PLAN"}
    ),
    "library/<id:plan_id>/remove/": everyone(
        403,
        anonymous=LOGIN,
        outsider=403,
        coach=302,
        district_leader=302,
        method="post",
        kwargs={"plan_id": "PLAN"},
    ),
    # School-wide patterns: aggregates over at least k classrooms, for the school's people.
    "schools/<slug:slug>/patterns/": everyone(200, anonymous=LOGIN, outsider=404, kwargs=SCHOOL),
    # The dashboards and their downloads (insights/dashboard.py): a school's for its principals
    # and the district's leaders, the district's for its leaders; anyone else learns nothing.
    "schools/<slug:slug>/dashboard/": PEOPLE_MANAGERS(200, kwargs=SCHOOL),
    "schools/<slug:slug>/dashboard/report.csv": PEOPLE_MANAGERS(200, kwargs=SCHOOL),
    "schools/<slug:slug>/dashboard/report.pdf": PEOPLE_MANAGERS(200, kwargs=SCHOOL),
    "district/<slug:slug>/dashboard/": everyone(
        404, anonymous=LOGIN, district_leader=200, kwargs=DISTRICT
    ),
    "district/<slug:slug>/dashboard/report.csv": everyone(
        404, anonymous=LOGIN, district_leader=200, kwargs=DISTRICT
    ),
    "district/<slug:slug>/dashboard/report.pdf": everyone(
        404, anonymous=LOGIN, district_leader=200, kwargs=DISTRICT
    ),
    # Teams: the school's people see its list; a team's page is for its members and the
    # school's principals and coaches; its facilitator (`teacher`), principals and coaches
    # change it. Forming one: principals, coaches and teacher leaders.
    "schools/<slug:slug>/teams/": everyone(200, anonymous=LOGIN, outsider=404, kwargs=SCHOOL),
    "schools/<slug:slug>/teams/new/": (
        MANAGERS_ONLY(200, kwargs=SCHOOL),
        MANAGERS_ONLY(400, method="post", kwargs=SCHOOL),  # posted empty: the form's errors
    ),
    "teams/<id:team_id>/": TEAM_MEMBERS(200, kwargs=TEAM),
    "teams/<id:team_id>/edit/": TEAM_LEADERS(200, kwargs=TEAM),
    "teams/<id:team_id>/meetings/new/": (
        TEAM_LEADERS(200, kwargs=TEAM),
        TEAM_LEADERS(400, method="post", kwargs=TEAM),  # posted empty: the form's errors
    ),
    "teams/<id:team_id>/parking-lot/": TEAM_MEMBERS(302, method="post", kwargs=TEAM),
    "teams/<id:team_id>/parking-lot/<id:item_id>/done/": TEAM_LEADERS(
        302, method="post", kwargs={"team_id": "TEAM", "item_id": "PARKED"}
    ),
    "meetings/<id:meeting_id>/": TEAM_MEMBERS(200, kwargs=TEAM_MEETING),
    # An empty block is refused on the meeting's page (400), with what was typed.
    "meetings/<id:meeting_id>/agenda/": TEAM_LEADERS(400, method="post", kwargs=TEAM_MEETING),
    "meetings/<id:meeting_id>/agenda/<id:item_id>/": TEAM_LEADERS(
        302, method="post", kwargs={"meeting_id": "TEAM_MEETING", "item_id": "AGENDA_ITEM"}
    ),
    "meetings/<id:meeting_id>/announcements/": TEAM_LEADERS(
        400, method="post", kwargs=TEAM_MEETING
    ),
    "meetings/<id:meeting_id>/cancel/": TEAM_LEADERS(302, method="post", kwargs=TEAM_MEETING),
    # A member sets their own goal at the team's meeting; the school's leaders see the
    # meeting but are not in it.
    "meetings/<id:meeting_id>/goal/": (
        PARTICIPANTS(200, kwargs=TEAM_MEETING, vice=403, coach=403, principal=403),
        PARTICIPANTS(400, method="post", kwargs=TEAM_MEETING, vice=403, coach=403, principal=403),
    ),
    # The protocol library: the school's people browse it and read each protocol; its
    # coaches, teacher leaders and principals copy, write and edit (PROTOCOL is the coach's
    # copy of the tuning protocol); only its author shares it to the district.
    "schools/<slug:slug>/protocols/": everyone(200, anonymous=LOGIN, outsider=404, kwargs=SCHOOL),
    "schools/<slug:slug>/protocols/new/": (
        PROTOCOL_WRITERS(200, kwargs=SCHOOL),
        PROTOCOL_WRITERS(400, method="post", kwargs=SCHOOL),  # posted empty: the form's errors
    ),
    "schools/<slug:slug>/protocols/<id:protocol_id>/": everyone(
        200, anonymous=LOGIN, outsider=404, kwargs=SCHOOL_PROTOCOL
    ),
    "schools/<slug:slug>/protocols/<id:protocol_id>/copy/": PROTOCOL_WRITERS(
        302, method="post", kwargs=SCHOOL_PROTOCOL
    ),
    "protocols/<id:protocol_id>/edit/": (
        PROTOCOL_WRITERS(200, kwargs=PROTOCOL),
        PROTOCOL_WRITERS(400, method="post", kwargs=PROTOCOL),
    ),
    "protocols/<id:protocol_id>/steps/": PROTOCOL_WRITERS(400, method="post", kwargs=PROTOCOL),
    "protocols/<id:protocol_id>/steps/<id:step_id>/": PROTOCOL_WRITERS(
        400, method="post", kwargs={"protocol_id": "PROTOCOL", "step_id": "STEP"}
    ),
    "protocols/<id:protocol_id>/share/": PROTOCOL_WRITERS(
        403, coach=302, method="post", kwargs=PROTOCOL
    ),
    # The live runner. RUN is a tuning protocol the team's facilitator (`teacher`) leads in
    # another of its meetings, `colleague` recording. The team's members follow it; the
    # school's principals and coaches off the team see only that it was held (its page, as a
    # summary); posted empty, a facilitator's press or the recorder's notes go back to the run.
    "meetings/<id:meeting_id>/run-protocol/": RUN_MEMBERS(
        200, colleague=403, coach=403, principal=403, vice=403, kwargs=TEAM_MEETING
    ),
    "runs/<id:run_id>/": RUN_MEMBERS(200, coach=200, principal=200, vice=200, kwargs=RUN),
    "runs/<id:run_id>/state/": RUN_MEMBERS(200, kwargs=RUN),
    "runs/<id:run_id>/projector/": RUN_MEMBERS(200, kwargs=RUN),
    "runs/<id:run_id>/move/": RUN_MEMBERS(302, colleague=403, method="post", kwargs=RUN),
    "runs/<id:run_id>/notes/": RUN_MEMBERS(302, method="post", kwargs=RUN),
    "runs/<id:run_id>/end/": RUN_MEMBERS(200, colleague=403, kwargs=RUN),
    # The work under discussion (RUN has a CSV attached): the members download it; the
    # recorder or a facilitator attaches another (posted empty: back to the run, a message).
    "runs/<id:run_id>/attachment/": (
        RUN_MEMBERS(200, kwargs=RUN),
        RUN_MEMBERS(302, method="post", kwargs=RUN),
    ),
    # Artifacts: each person uploads their own (posted empty: the form's errors). ARTIFACT is
    # the teacher's, attached to their pre-brief: the cycle's people download it, as they read
    # the pre-brief; a principal by role does not. Only its owner deletes it.
    "artifacts/new/": (
        everyone(200, anonymous=LOGIN),
        everyone(400, anonymous=LOGIN, method="post"),
    ),
    "artifacts/<id:artifact_id>/": PARTICIPANTS(200, kwargs=ARTIFACT),
    "artifacts/<id:artifact_id>/delete/": everyone(
        404, anonymous=LOGIN, teacher=302, method="post", kwargs=ARTIFACT
    ),
    # The portfolio: one's own, always (a principal sees their own, never a teacher's). SHARE
    # is the teacher's, shared by name with the colleague; LINK is shared by a link, which
    # needs no sign-in. Only the owner withdraws a share.
    "portfolio/": everyone(200, anonymous=LOGIN),
    "portfolio/shares/": everyone(400, anonymous=LOGIN, method="post"),
    "portfolio/shares/<id:share_id>/withdraw/": everyone(
        404, anonymous=LOGIN, teacher=302, method="post", kwargs=SHARE
    ),
    "portfolio/shared/<id:share_id>/": everyone(404, anonymous=LOGIN, colleague=200, kwargs=SHARE),
    "portfolio/shared/<id:share_id>/artifacts/<id:artifact_id>/": everyone(
        404, anonymous=LOGIN, colleague=200, kwargs={**SHARE, **ARTIFACT}
    ),
    "p/<str:token>/": everyone(200, kwargs=LINK),
    "p/<str:token>/artifacts/<id:artifact_id>/": everyone(200, kwargs={**LINK, **ARTIFACT}),
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
            "PLAN": lambda: personas.plan.pk,
            "SHOUT_OUT": lambda: personas.shout_out.pk,
            "BRIGHT": lambda: personas.bright_moment.pk,
            "TEAM": lambda: personas.team.pk,
            "TEAM_MEETING": lambda: personas.team_meeting.pk,
            "AGENDA_ITEM": lambda: personas.agenda_item.pk,
            "PARKED": lambda: personas.parked.pk,
            "PROTOCOL": lambda: personas.protocol.pk,
            "STEP": lambda: personas.protocol.steps.first().pk,
            "RUN": lambda: personas.protocol_run.pk,
            "SCHOOL": lambda: personas.school.pk,
            "DESIGNATION": lambda: personas.designation.pk,
            "ARTIFACT": lambda: personas.artifact.pk,
            "SHARE": lambda: personas.share.pk,
            "LINK": lambda: personas.link,
            "REPORTED": lambda: personas.reported.pk,
            "CREDENTIAL": lambda: personas.credential.credential_id,
            "THUMBPRINT": lambda: personas.thumbprint,
            "GOAL": lambda: personas.improvement_goal.pk,
        }.get(value, lambda v=value: v)()
        for key, value in kwargs.items()
    }
    path = route.replace("^", "").replace("$", "")
    for key, value in values.items():
        path = re.sub(rf"<(\w+:)?{key}>|\(\?P<{key}>[^)]*\)", str(value), path, count=1)
    return "/" + path


@pytest.fixture
def personas_with_import(personas, tmp_path, settings):
    """The personas with an import, a round, a look-for, a visit and a calendar feed."""
    from django.core.files.base import ContentFile

    from growth.services import goal_set
    from inquiry.services import plan_share
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
    personas.team, personas.team_meeting, personas.agenda_item, personas.parked = make_team_world(
        personas
    )
    personas.shout_out, personas.bright_moment = make_celebrations(personas)
    personas.plan = plan_share(cycle=personas.cycle, kind="look_fors", author=personas.coach)
    personas.protocol, personas.protocol_run = make_protocol_world(personas)
    personas.designation = CreditDesignation.objects.create(
        district=personas.school.district, name="Equity hours", activities=["debrief"]
    )
    personas.reported = make_reported_learning(personas)
    personas.improvement_goal = ImprovementGoal.objects.create(
        school=personas.school, title="Every student explains their thinking"
    )
    personas.artifact, personas.share, personas.link = make_portfolio_world(personas)
    personas.credential, personas.thumbprint = make_credential(personas, settings)
    personas.schedule_import = ScheduleImport.objects.create(
        school=personas.school,
        kind=ImportKind.SCHEDULE_CSV,
        file=ContentFile(b"teacher_id,day,period,section\n", name="schedule.csv"),
        original_name="schedule.csv",
    )
    return personas


def make_credential(personas, settings):
    """The site's signing key, the teacher's credential for the round, and the key's
    thumbprint (its public address ends with it)."""
    from growth.credentials import credential_issue, key_thumbprint, signing_key
    from growth.tests.test_credentials import TEST_KEY

    settings.OPENDOORS_CREDENTIALS_KEY = TEST_KEY
    key = signing_key()
    assert key is not None
    return credential_issue(person=personas.teacher, cycle=personas.cycle), key_thumbprint(key)


def make_reported_learning(personas):
    """Professional reading the teacher reported, waiting for review."""
    from datetime import date

    from growth.services import Learning, learning_report

    learning = Learning(
        date=date(2026, 1, 5), activity="reading", minutes=30, title="A book", reflection=""
    )
    return learning_report(person=personas.teacher, school=personas.school, learning=learning)


def make_portfolio_world(personas):
    """The teacher's artifact attached to their pre-brief in the round, their portfolio shared
    by name with the colleague, and a link to it (its token)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from growth.artifacts import Attachment, artifact_upload
    from growth.portfolio import portfolio_share_create
    from inquiry.models import PreBrief

    pre_brief = PreBrief.objects.create(cycle=personas.cycle, host=personas.teacher)
    artifact = artifact_upload(
        owner=personas.teacher,
        upload=SimpleUploadedFile("seating.txt", b"Seating chart"),
        title="Seating chart",
        attachment=Attachment(pre_brief=pre_brief),
    )
    sections = ["goals", "artifacts"]
    named = portfolio_share_create(
        owner=personas.teacher, sections=sections, colleague=personas.colleague
    )
    link = portfolio_share_create(owner=personas.teacher, sections=sections, days=7)
    return artifact, named.share, link.token


def make_celebrations(personas):
    """A shout-out to the teacher from the colleague, and a bright moment the colleague wrote
    in the teacher's classroom."""
    import uuid

    from django.utils import timezone

    from growth.models import ShoutOut
    from visits.models import Evidence

    shout_out = ShoutOut.objects.create(
        school=personas.school, author=personas.colleague, celebrated=personas.teacher, text="!"
    )
    moment = Evidence.objects.create(
        id=uuid.uuid4(),
        classroom=personas.visit.classrooms.get(),
        author=personas.colleague,
        kind="bright_moment",
        text="Students argued with evidence",
        recorded_at=timezone.now(),
        fingerprint="x",
    )
    return shout_out, moment


def make_team_world(personas):
    """A team (the teacher facilitates, the colleague is on it), one meeting with one block
    on its agenda, and a parking-lot item."""
    from teams.models import AgendaItem, ParkingLotItem
    from teams.tests.factories import make_team, make_team_meeting

    team = make_team(
        personas.school, "Grade 7", members=[personas.colleague], facilitators=[personas.teacher]
    )
    meeting = make_team_meeting(team, personas.visit.date)
    item = AgendaItem.objects.create(meeting=meeting, kind="debrief", minutes=10, title="Debrief")
    parked = ParkingLotItem.objects.create(team=team, text="Homework policy")
    return team, meeting, item, parked


def make_protocol_world(personas):
    """The coach's copy of the tuning protocol, and a tuning protocol the team's facilitator
    runs in an earlier meeting of the team, the colleague recording."""
    from datetime import timedelta

    from django.core.files.base import ContentFile

    from teams.models import Protocol
    from teams.protocol_services import protocol_copy
    from teams.tests.factories import make_protocol_run, make_team_meeting

    tuning = Protocol.objects.get(library_key="tuning")
    own = protocol_copy(protocol=tuning, school=personas.school, by=personas.coach)
    # A meeting held two weeks before the round's visit: a protocol runs on its day or after.
    meeting = make_team_meeting(personas.team, personas.visit.date - timedelta(weeks=2))
    run = make_protocol_run(meeting, by=personas.teacher, recorder=personas.colleague)
    run.attachment = ContentFile(b"student,claim\nA,yes\n", name="work.csv")
    run.attachment_name = "work.csv"
    run.save()
    return own, run


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
