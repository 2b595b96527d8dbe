"""A plan is written exactly as FORMATS.md §3 shows it and read back the same; a malformed
plan file is refused with located messages."""

import json

import pytest

from scheduler import Plan, ProblemError, Unscheduled, Visit, plan_from_json, plan_to_json

PLAN = Plan(
    "FEASIBLE",
    [
        Visit("R1", "T2", "T1", "Mon", "1", "3A", None),
        Visit("R1", "T2", "T5", "Tue", "2", "4B", "T6"),
    ],
    [Unscheduled("R2", 1, "T3 and T4 share no free period on Mon or Tue")],
    objective=2,
    bound=3,
    seconds=0.4123,
)


def test_a_plan_has_the_keys_of_formats_md():
    document = plan_to_json(PLAN)
    assert list(document) == [
        "version",
        "status",
        "visits",
        "unscheduled",
        "objective",
        "bound",
        "seconds",
    ]
    assert document["visits"][0] == {
        "request": "R1",
        "observer": "T2",
        "host": "T1",
        "day": "Mon",
        "period": "1",
        "section": "3A",
        "cover": None,
    }
    assert document["unscheduled"][0]["missing"] == 1
    assert document["seconds"] == 0.412


def test_a_plan_survives_writing_and_reading_back():
    again = plan_from_json(json.loads(json.dumps(plan_to_json(PLAN))))
    assert again.visits == PLAN.visits and again.unscheduled == PLAN.unscheduled
    assert (again.status, again.objective, again.bound) == ("FEASIBLE", 2, 3)


def test_a_malformed_plan_is_refused_with_places():
    document = plan_to_json(PLAN)
    document["status"] = "GREAT"
    document["visits"][1]["host"] = 5
    document["unscheduled"][0]["missing"] = -1
    document["bound"] = "3"
    with pytest.raises(ProblemError) as error:
        plan_from_json(document)
    assert error.value.messages == [
        "status: must be one of OPTIMAL, FEASIBLE",
        "visits[1].host: must be a string",
        "unscheduled[0].missing: must be a whole number ≥ 0",
        "bound: must be a whole number ≥ 0",
    ]


def test_a_plan_that_is_not_an_object_is_refused():
    with pytest.raises(ProblemError) as error:
        plan_from_json([])
    assert error.value.messages == ["plan: must be an object"]


def test_missing_and_wrong_plan_parts_are_named():
    document = plan_to_json(PLAN)
    del document["version"]
    del document["visits"][0]["cover"]
    document["visits"][1] = "R1"
    document["unscheduled"] = {}
    del document["objective"]
    document["seconds"] = -1
    with pytest.raises(ProblemError) as error:
        plan_from_json(document)
    assert error.value.messages == [
        "version: must be 1",
        "visits[0].cover: must be a string",
        "visits[1]: must be an object",
        "unscheduled: must be a list",
        "objective: must be a whole number ≥ 0",
        "seconds: must be a number ≥ 0",
    ]
