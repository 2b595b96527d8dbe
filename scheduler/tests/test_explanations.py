"""When a request cannot be met, the plan says why in words a coach can act on,
with the teachers' names."""

from dataclasses import replace

from scheduler import Rules, plan_problems, solve
from scheduler.problem import Teacher

from .builders import group, pair, school


def reasons(problem) -> dict[str, str]:
    plan = solve(problem, time_limit=2)
    assert plan_problems(problem, plan) == []
    return {u.request: u.reason for u in plan.unscheduled}


def test_observers_who_share_no_free_period_are_told_how_many_coverages_it_would_take():
    problem = school(
        "Ms Ortiz: Tue1 math 6, Thu1 math 6, Tue2 art 6, Thu2 art 6",
        "Mr Lee: Tue1 ela 6, Thu1 ela 6, Tue2 ela 7, Thu2 ela 7",
        "Ms Kim: Tue1 math 7, Thu1 math 7, Tue2 math 8, Thu2 math 8",
        days=("Tue", "Thu"),
        periods=("1", "2"),
        requests=(group("G", "Ms Ortiz", "Mr Lee"),),
    )
    assert reasons(problem)["G"] == (
        "Ms Ortiz and Mr Lee share no free period on Tue or Thu; 2 coverages would make it "
        "possible (Tue 1), but no colleague who may cover is free then and there are no "
        "substitute periods. Allow more substitute periods or coverages."
    )


def test_a_request_nobody_can_host_names_what_was_asked_for():
    problem = school(
        "Ana: Mon1 math 6", "Ben:", requests=(pair("R", "Ben", subjects=["ELA"], grades=["3"]),)
    )
    assert reasons(problem)["R"] == (
        "No colleague teaches an ELA class in grade 3 in any period Ben could use. "
        "Check the subjects, grades and hosts of this request."
    )


def test_more_visits_than_different_hosts_says_who_can_be_visited():
    problem = school(
        "Ana: Mon1 math 6", "Ben:", "Cara: Tue2 art 7", requests=(pair("R", "Ben", visits=3),)
    )
    assert reasons(problem)["R"] == (
        "Ben can visit only 2 different colleagues (Ana or Cara) teaching classes at a time "
        "Ben is available; 3 visits were requested. Widen the hosts, subjects or grades."
    )


def test_a_group_larger_than_a_classroom_allows_is_told_to_split():
    problem = school(
        "Ana: Mon1 math 6",
        "Ben:",
        "Cara:",
        "Dev:",
        rules=Rules(max_observers_per_classroom=2),
        requests=(group("G", "Ben", "Cara", "Dev"),),
    )
    assert "3 observers are more than the 2 allowed in one classroom" in reasons(problem)["G"]


def test_a_group_asking_for_more_classrooms_than_are_taught_at_once():
    problem = school(
        "Ana: Mon1 math 6",
        "Ben: Mon1 math 7",
        "Cara:",
        requests=(group("G", "Cara", classrooms=3),),
    )
    assert reasons(problem)["G"].startswith(
        "At most 2 classes are taught at the same time by teachers outside the group; "
        "3 classrooms were requested."
    )


def test_an_observer_who_is_never_available_is_told_so():
    problem = school("Ana: Mon1 math 6", "Ben: Mon1 x", days=("Mon",), requests=(pair("R", "Ben"),))
    assert reasons(problem)["R"].startswith("Ben is unavailable whenever classes are taught.")


def test_hosts_that_may_not_host_are_named():
    problem = school("Ana: Mon1 math 6", "Ben:", requests=(pair("R", "Ben", hosts=["Ana"]),))
    problem = replace(
        problem, teachers=(Teacher("Ana", "Ana", max_hosting=0), Teacher("Ben", "Ben"))
    )
    assert reasons(problem)["R"] == "Ana may not host (hosting limit 0)."
    nobody = school("Ana: Mon1 math 6", "Ben:", requests=(pair("R", "Ben", hosts=[]),))
    assert reasons(nobody)["R"] == "The request names no host other than its observers: add hosts."


def test_visits_crowded_out_by_others_say_what_is_in_the_way():
    problem = school(
        "Ana: Mon1 math 6, Mon2 math 6",
        "Ben:",
        "Cara:",
        days=("Mon",),
        periods=("1", "2"),
        rules=Rules(max_hosting_per_teacher=1, max_observers_per_classroom=1),
        requests=(pair("R", "Ben"), pair("S", "Cara")),
    )
    (reason,) = reasons(problem).values()
    assert "every fitting host is at the hosting limit or has a full classroom" in reason
    assert reason.endswith("More hosts or a higher hosting limit would help.")


def test_a_teacher_already_busy_is_named():
    problem = school(
        "Ana: Mon1 math 6",
        "Ben:",
        "Cara: Mon1 art 6",
        days=("Mon",),
        periods=("1",),
        requests=(pair("R", "Ben", hosts=["Ana"]), pair("S", "Ben", hosts=["Cara"])),
    )
    (reason,) = reasons(problem).values()
    assert "at 1, Ben is already observing, hosting or covering" in reason
