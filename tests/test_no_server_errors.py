"""No request makes a server error: every URL of the permission table, called by the people
who may use it with wrong types, missing fields, huge and negative ids and NUL characters,
answers with a page or a message (4xx), never 5xx."""

import json

import pytest
from django.test import Client

from tests.test_permissions import ROWS, _url, personas_with_import  # noqa: F401 (fixture)

# Field names the project's forms and schemas read, each sent with every kind of junk.
FIELDS = [
    "action", "answer", "date", "day", "monday", "time_limit", "hosts", "observers", "slot",
    "look_for", "look_fors", "keep", "merge", "into", "kind", "text", "label", "labels", "tool",
    "host", "key", "period", "problem_of_practice", "theory_if", "theory_then", "title",
    "structure", "minutes", "facilitators", "try_by", "visit", "tried", "result", "role",
    "position", "move", "takeaways", "team_next_step", "entries", "max_coverages_per_week",
    "max_coverages_per_month", "new_teacher_years", "time_zone", "confirm", "allow_removals",
    "cover_1", "cover_99999999999999999999", "step_0", "shared", "share", "tally_title",
    "tally_labels", "student_prompts", "checklist_on", "checklist_order", "notes_on",
    "notes_order", "confirm_removals", "confirm_removal", "org", "remove_data_file",
    "cover_staff", "informed_by", "initiative", "theory_of_action", "instructional_goal",
    "expectations", "focus", "visit_minutes", "grouping", "stage", "others",
    "description", "goal", "strategy", "improvement_goal",
]  # fmt: skip
JUNK = ["", "abc", "-1", "99999999999999999999", "\x00", "é" * 3000]
HUGE = "99999999999999999999"
PEOPLE = ("coach", "teacher", "colleague", "principal")


def junk_forms() -> list[dict]:
    forms: list[dict] = [{}]
    for value in JUNK:
        forms.append({name: value for name in FIELDS})
        forms.append({name: [value, value] for name in FIELDS})
    return forms


def junk_json() -> list:
    values: list[object] = [None, "abc", -1, 10**20, [], {}, "\x00", 1.5, True]
    bodies: list = ["not json", "[]", "null", "{}"]
    for value in values:
        bodies.append(json.dumps({"entries": value}))
        bodies.append(json.dumps({"entries": [value]}))
        entry = {
            "id": value,
            "classroom": value,
            "kind": value,
            "recorded_at": value,
            "look_for": value,
            "text": value,
        }
        bodies.append(json.dumps({"entries": [entry]}))
    return bodies


def huge_ids(kwargs: dict) -> dict:
    return {key: HUGE if key.endswith("_id") else value for key, value in kwargs.items()}


ROUTES = sorted(ROWS)


def _errors(client, name: str, url: str, calls) -> list[str]:
    errors = []
    for method, data in calls:
        if method == "json":
            response = client.post(url, data, content_type="application/json")
        else:
            response = getattr(client, method)(url, data)
        if response.status_code >= 500:
            errors.append(f"{name} {method.upper()} {url} {str(data)[:80]!r}")
    return errors


@pytest.mark.parametrize("route", ROUTES)
def test_junk_never_makes_a_server_error(personas_with_import, route):  # noqa: F811
    rows = ROWS[route]
    row = rows[0] if isinstance(rows, tuple) else rows
    client = Client(raise_request_exception=False)
    errors = []
    calls = [("get", {"date": "abc", "day": "\x00", "page": HUGE, "hosts": "x"})]
    calls += [("post", data) for data in junk_forms()]
    if route.startswith("api/"):
        calls += [("json", body) for body in junk_json()]
    for name in PEOPLE:
        client.force_login(getattr(personas_with_import, name))
        errors += _errors(client, name, _url(route, row.kwargs, personas_with_import), calls)
    if any(key.endswith("_id") for key in row.kwargs):  # ids no row has, as the coach
        client.force_login(personas_with_import.coach)
        for ids in (huge_ids(row.kwargs), {key: "-1" for key in row.kwargs}):
            errors += _errors(client, "coach", _url(route, ids, personas_with_import), calls[:2])
    assert not errors, "server errors:\n" + "\n".join(errors[:20])
