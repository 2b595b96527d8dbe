"""A problem file is read exactly as FORMATS.md §3 writes it, and bad input gets located
messages a person can fix, never a traceback."""

import json

import pytest

from scheduler import ProblemError, problem_from_json, problem_to_json
from scheduler.problem import Request, Rules

EXAMPLE = {
    "version": 1,
    "days": ["Mon", "Tue"],
    "periods": ["1", "2", "3"],
    "teachers": [
        {"id": "T1", "name": "Ana", "subjects": ["math"], "grades": ["3"], "years": 2},
        {"id": "T2", "name": "Ben"},
        {"id": "T3"},
        {"id": "T4"},
        {"id": "T5"},
        {"id": "T6"},
    ],
    "meetings": [
        {
            "teacher": "T1",
            "day": "Mon",
            "period": "1",
            "section": "3A",
            "subject": "math",
            "grade": "3",
            "room": "101",
        }
    ],
    "unavailable": [{"teacher": "T1", "day": "Mon", "period": "3"}],
    "requests": [
        {
            "id": "R1",
            "kind": "pair",
            "observers": ["T2"],
            "visits": 2,
            "hosts": ["T1", "T5"],
            "subjects": ["math"],
            "grades": ["3", "4"],
        },
        {"id": "R2", "kind": "group", "observers": ["T3", "T4", "T6"], "classrooms": 3},
    ],
    "rules": {
        "max_observers_per_classroom": 4,
        "max_hosting_per_teacher": 3,
        "max_coverages_per_teacher": 2,
        "substitute_periods": 0,
    },
}


def messages(document) -> list[str]:
    with pytest.raises(ProblemError) as error:
        problem_from_json(document)
    return error.value.messages


def test_the_example_of_formats_md_reads_as_written():
    problem = problem_from_json(EXAMPLE)
    assert problem.days == ("Mon", "Tue")
    assert problem.teacher("T1").name == "Ana" and problem.teacher("T1").years == 2
    assert problem.teacher("T3").name == "T3"
    assert problem.meetings[0].section == "3A" and problem.meetings[0].room == "101"
    assert problem.requests[0] == Request(
        "R1", "pair", ("T2",), visits=2, hosts=("T1", "T5"), subjects=("math",), grades=("3", "4")
    )
    assert problem.requests[1].kind == "group" and problem.requests[1].classrooms == 3
    assert problem.rules == Rules(4, 3, 2, 0)
    assert problem.warnings == ()


def test_omitted_rules_mean_no_limit_except_classroom_size_and_substitutes():
    document = {k: v for k, v in EXAMPLE.items() if k != "rules"}
    rules = problem_from_json(document).rules
    assert rules.max_observers_per_classroom == 4
    assert rules.max_hosting_per_teacher is None and rules.max_coverages_per_teacher is None
    assert rules.substitute_periods == 0


def test_a_problem_survives_writing_and_reading_back():
    problem = problem_from_json(EXAMPLE)
    again = problem_from_json(json.loads(json.dumps(problem_to_json(problem))))
    assert again == problem


def test_an_unknown_teacher_is_named_with_its_place_in_the_file():
    document = json.loads(json.dumps(EXAMPLE))
    document["requests"][1]["observers"][0] = "T9"
    document["meetings"][0]["teacher"] = "T8"
    assert messages(document) == [
        "meetings[0].teacher: unknown teacher 'T8'",
        "requests[1].observers[0]: unknown teacher 'T9'",
    ]


def test_unknown_days_and_periods_are_refused():
    document = json.loads(json.dumps(EXAMPLE))
    document["meetings"][0]["day"] = "Sat"
    document["unavailable"][0]["period"] = "9"
    assert messages(document) == [
        "meetings[0].day: unknown day 'Sat' (days are Mon, Tue)",
        "unavailable[0].period: unknown period '9'",
    ]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (2, "version: must be 1, not 2"),
        ("1", "version: must be 1, not '1'"),
        (True, "version: must be 1, not True"),
    ],
)
def test_only_version_1_is_read(version, expected):
    assert messages({**EXAMPLE, "version": version}) == [expected]


def test_a_missing_version_says_which_one_is_read():
    document = {k: v for k, v in EXAMPLE.items() if k != "version"}
    assert messages(document) == ["version: is required (this scheduler reads version 1)"]


def test_an_empty_school_is_refused():
    assert messages({"version": 1, "days": [], "periods": ["1"], "teachers": []}) == [
        "days: is empty: the school week needs at least one day",
        "teachers: is empty: the school has no teachers to schedule",
    ]


def test_a_document_that_is_not_an_object_is_refused():
    assert messages([1, 2]) == ["problem: must be an object, not a list"]


def test_every_malformed_value_is_reported_at_once():
    document = json.loads(json.dumps(EXAMPLE))
    document["teachers"].append({"id": "T1"})
    document["requests"][0]["visits"] = 0
    document["requests"][0]["kind"] = "trio"
    document["requests"][1]["classrooms"] = "3"
    document["rules"]["substitute_periods"] = -1
    document["meetings"][0]["section"] = ""
    assert messages(document) == [
        "teachers[6].id: teacher 'T1' is listed twice",
        "meetings[0].section: must not be empty",
        "requests[0].kind: must be 'pair' or 'group', not 'trio'",
        "requests[0].visits: must be a whole number ≥ 1, not 0",
        "requests[1].classrooms: must be a whole number ≥ 1, not '3'",
        "rules.substitute_periods: must be a whole number ≥ 0, not -1",
    ]


def test_a_pair_has_exactly_one_observer():
    document = json.loads(json.dumps(EXAMPLE))
    document["requests"][0]["observers"] = ["T2", "T3"]
    assert messages(document) == [
        "requests[0].observers: a pair request has exactly one observer, not 2 "
        "(use kind 'group' for several observers together)"
    ]


def test_duplicate_requests_and_observers_are_refused():
    document = json.loads(json.dumps(EXAMPLE))
    document["requests"].append(dict(document["requests"][0]))
    document["requests"][1]["observers"] = ["T3", "T3"]
    assert messages(document) == [
        "requests[1].observers: lists a teacher twice",
        "requests[2].id: request 'R1' is listed twice",
    ]


def test_unknown_keys_are_ignored_with_a_warning():
    document = json.loads(json.dumps(EXAMPLE))
    document["requests"][0]["vists"] = 3
    document["colour"] = "blue"
    problem = problem_from_json(document)
    assert problem.warnings == (
        "problem.colour: unknown key, ignored",
        "requests[0].vists: unknown key, ignored",
    )


def test_extensions_read_per_teacher_limits_preferences_and_what_new_means():
    document = json.loads(json.dumps(EXAMPLE))
    document["teachers"][1].update(max_hosting=1, max_coverages=0)
    document["requests"][0]["prefer"] = ["cross_grade", "cross_content"]
    document["rules"]["new_teacher_years"] = 2
    problem = problem_from_json(document)
    assert problem.max_hosting("T2") == 1 and problem.max_hosting("T1") == 3
    assert problem.max_coverages("T2") == 0
    assert problem.requests[0].prefer == ("cross_grade", "cross_content")
    assert problem.rules.new_teacher_years == 2
    assert problem_from_json(problem_to_json(problem)) == problem


def test_an_unknown_preference_is_refused():
    document = json.loads(json.dumps(EXAMPLE))
    document["requests"][0]["prefer"] = ["same_room"]
    assert messages(document) == [
        "requests[0].prefer[0]: unknown preference 'same_room' (known: cross_content, cross_grade)"
    ]


def test_wrong_kinds_of_values_say_what_they_are():
    document = json.loads(json.dumps(EXAMPLE))
    document["periods"] = ["1", "2", "3", "2"]
    document["teachers"].append("T7")
    document["teachers"][1]["subjects"] = "math"
    document["teachers"][0]["name"] = 5
    document["meetings"][0]["period"] = "9"
    del document["unavailable"][0]["day"]
    document["requests"][1]["hosts"] = [True]
    document["rules"] = []
    assert messages(document) == [
        "periods[3]: '2' is listed twice",
        "teachers[0].name: must be a string, not the number 5",
        "teachers[1].subjects: must be a list, not a string",
        "teachers[6]: must be an object, not a string",
        "meetings[0].period: unknown period '9'",
        "unavailable[0].day: is required",
        "requests[1].hosts[0]: must be a string, not true/false",
        "rules: must be an object, not a list",
    ]


def test_a_null_week_or_observer_list_is_missing_not_empty():
    # The hand-written reader read `"days": null` as a week without days and dropped a
    # request whose observers were null, both without a word.
    document = json.loads(json.dumps(EXAMPLE))
    document["days"] = None
    document["requests"][0]["observers"] = None
    assert messages(document) == [
        "days: is required",
        "meetings[0].day: unknown day 'Mon' (days are )",
        "unavailable[0].day: unknown day 'Mon' (days are )",
        "requests[0].observers: is required",
    ]


def test_a_group_needs_an_observer():
    document = json.loads(json.dumps(EXAMPLE))
    document["requests"][1]["observers"] = []
    assert messages(document) == [
        "requests[1].observers: a group request needs at least one observer"
    ]


def test_a_null_version_and_a_missing_key_are_required():
    document = json.loads(json.dumps(EXAMPLE))
    document["version"] = None
    del document["teachers"]
    assert messages(document)[:2] == [
        "version: is required (this scheduler reads version 1)",
        "teachers: is required",
    ]


def test_repeated_meetings_and_keys_a_kind_ignores_are_warned_about():
    document = json.loads(json.dumps(EXAMPLE))
    document["meetings"].append(dict(document["meetings"][0]))
    document["requests"][0]["classrooms"] = 2
    document["requests"][1]["visits"] = 2
    problem = problem_from_json(document)
    assert len(problem.meetings) == 1
    assert problem.warnings == (
        "meetings[1]: the same as meetings[0], ignored",
        "requests[0].classrooms: ignored for a pair request",
        "requests[1].visits: ignored for a group request",
    )
