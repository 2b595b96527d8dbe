"""A team's common time: the periods all members have free, those all but one have free,
and, when none is free for everyone, the fewest lessons a principal would have to move.
Checked on every real schedule against a plain per-slot count, and on random small schools."""

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler import CommonTime, MemberMove, Slot, common_time
from scheduler.common_time import slot_label, words
from scheduler.from_rosters import read_schedule

from .builders import SCHEDULES

WEEK = [(day, period) for day in ("Mon", "Tue") for period in ("1", "2", "3")]
NAMES = {"ana": "Ana Ruiz", "ben": "Ben Ode", "cara": "Cara Lee", "dev": "Dev Shah"}


def brute_force(members, slots, lessons, unavailable=None) -> CommonTime:
    """The answer written as plainly as possible: for each slot, who is busy; then the minimum."""
    team = list(dict.fromkeys(members))
    week = list(dict.fromkeys(slots))
    away = unavailable or {}
    busy = {
        slot: [m for m in team if slot in lessons.get(m, {}) or slot in away.get(m, set())]
        for slot in week
    }
    all_free = [slot for slot in week if not busy[slot]]
    all_but_one = [(slot, busy[slot][0]) for slot in week if len(busy[slot]) == 1]
    unmovable = [slot for slot in week if any(slot in away.get(m, set()) for m in team)]
    movable = [slot for slot in week if slot not in unmovable]
    fewest = []
    if not all_free and movable:
        least = min(len(busy[slot]) for slot in movable)
        fewest = [
            (slot, [MemberMove(m, lessons[m][slot]) for m in busy[slot]])
            for slot in movable
            if len(busy[slot]) == least
        ]
    return CommonTime(
        all_free=all_free,
        all_but_one=all_but_one if len(team) > 1 else [],
        fewest_moves=fewest,
        members=tuple(team),
        unmovable=unmovable,
    )


def week_of(path: Path) -> tuple[list[str], list[Slot], dict[str, dict[Slot, str]]]:
    """A real schedule as the page passes it: the week, and each teacher's lessons by slot
    (combined classes in one slot as one label)."""
    problem = read_schedule(path)
    slots = [(day, period) for day in problem.days for period in problem.periods]
    lessons: dict[str, dict[Slot, str]] = {}
    for meeting in problem.meetings:
        taught = lessons.setdefault(meeting.teacher, {})
        slot = (meeting.day, meeting.period)
        taught[slot] = f"{taught[slot]} + {meeting.section}" if slot in taught else meeting.section
    return [t.id for t in problem.teachers], slots, lessons


# --- the stories ----------------------------------------------------------------------------


def test_a_team_sees_its_shared_planning_periods_and_who_is_the_one_busy():
    lessons = {
        "ana": {("Mon", "1"): "7B Science", ("Tue", "2"): "7C Science"},
        "ben": {("Mon", "1"): "8A Maths", ("Mon", "3"): "8B Maths"},
        "cara": {("Tue", "2"): "6A Art"},
    }
    result = common_time(["ana", "ben", "cara"], WEEK, lessons)
    assert result.all_free == [("Mon", "2"), ("Tue", "1"), ("Tue", "3")]
    assert result.all_but_one == [(("Mon", "3"), "ben")]
    assert result.fewest_moves == []
    assert words(result, NAMES) == (
        "All 3 members are free in 3 periods: Mon period 2, Tue period 1 and Tue period 3."
    )


def test_with_no_common_period_the_fewest_lessons_to_move_are_named():
    lessons = {
        "ana": {slot: f"7{slot[1]} Science" for slot in WEEK},
        "ben": {slot: f"8{slot[1]} Maths" for slot in WEEK if slot != ("Tue", "3")},
        "cara": {slot: "6A Art" for slot in WEEK if slot[0] == "Mon"},
    }
    result = common_time(["ana", "ben", "cara"], WEEK, lessons)
    assert result.all_free == []
    assert result.fewest_moves == [
        (("Tue", "3"), [MemberMove("ana", "73 Science")]),
    ]
    assert result.all_but_one == [(("Tue", "3"), "ana")]
    assert words(result, NAMES) == (
        "No period is free for all 3 members. "
        "Tue period 3 would be, if Ana Ruiz's 73 Science moved to another period."
    )


def test_ties_are_all_offered_in_week_order_and_worded_together():
    lessons = {
        "ana": {("Mon", "1"): "7B Science", ("Mon", "2"): "7C Science", ("Tue", "1"): "7D"},
        "ben": {("Mon", "1"): "8A Maths", ("Mon", "3"): "8B Maths", ("Tue", "2"): ""},
        "cara": {("Tue", "3"): "6A Art", ("Tue", "1"): "6B Art", ("Mon", "2"): "6C Art"},
    }
    result = common_time(["ana", "ben", "cara"], WEEK, lessons)
    assert [slot for slot, _ in result.fewest_moves] == [
        ("Mon", "3"),
        ("Tue", "2"),
        ("Tue", "3"),
    ]
    assert result.fewest_moves[1] == (("Tue", "2"), [MemberMove("ben", "")])
    assert words(result, NAMES) == (
        "No period is free for all 3 members. Mon period 3 would be, if Ben Ode's 8B Maths "
        "moved to another period; so would Tue period 2, if Ben Ode's lesson moved; "
        "so would Tue period 3, if Cara Lee's 6A Art moved."
    )


def test_the_example_of_the_issue_reads_as_a_principal_would_say_it():
    week = [("Tue", "3"), ("Tue", "4")]
    lessons = {
        "ana": {("Tue", "3"): "7B Science", ("Tue", "4"): "7A Science"},
        "ben": {("Tue", "3"): "8A Maths", ("Tue", "4"): "8C Maths"},
        "cara": {("Tue", "4"): "6A Art"},
    }
    members = ["ana", "ben", "cara", "dev", "eve", "fay"]
    result = common_time(members, week, lessons)
    assert words(result, NAMES) == (
        "No period is free for all 6 members. Tue period 3 would be, if Ana Ruiz's 7B "
        "Science and Ben Ode's 8A Maths moved to another period."
    )


def test_many_moves_and_many_tied_periods_are_cut_short():
    week = [("Mon", str(p)) for p in range(1, 7)]
    members = ["ana", "ben", "cara", "dev", "eli", "fay"]
    lessons = {m: {slot: f"{m}-{slot[1]}" for slot in week} for m in members}
    result = common_time(members, week, lessons)
    assert len(result.fewest_moves) == 6
    assert words(result, NAMES) == (
        "No period is free for all 6 members. Mon period 1 would be, if Ana Ruiz's ana-1, "
        "Ben Ode's ben-1, Cara Lee's cara-1 and 3 other lessons moved to another period; "
        "so would Mon period 2, if Ana Ruiz's ana-2, Ben Ode's ben-2, Cara Lee's cara-2 and 3 "
        "other lessons moved; so would Mon period 3, if Ana Ruiz's ana-3, Ben Ode's ben-3, "
        "Cara Lee's cara-3 and 3 other lessons moved; as would 3 other periods with as few "
        "moves."
    )


def test_a_duty_or_visit_makes_a_member_busy_but_is_never_offered_as_a_move():
    lessons = {"ana": {slot: "7B" for slot in WEEK if slot != ("Mon", "2")}}
    duties = {"ben": {("Mon", "2")}}
    result = common_time(["ana", "ben"], WEEK, lessons, duties)
    assert result.all_free == []
    # Ben's duty makes him the one busy member at Mon 2…
    assert result.all_but_one == [(s, "ben" if s == ("Mon", "2") else "ana") for s in WEEK]
    assert result.unmovable == [("Mon", "2")]
    # …but a duty is not a lesson to move: only Ana's lessons are offered.
    assert result.fewest_moves == [
        (slot, [MemberMove("ana", "7B")]) for slot in WEEK if slot != ("Mon", "2")
    ]


def test_when_commitments_block_every_period_the_principal_is_told_to_free_one():
    duties = {
        "ana": {slot for slot in WEEK if slot[0] == "Mon"},
        "ben": {("Tue", "1")},
        "cara": {("Tue", "2"), ("Tue", "3")},
    }
    lessons = {"ben": {("Tue", "2"): "8A", ("Tue", "3"): "8B"}, "ana": {("Tue", "1"): "7A"}}
    result = common_time(["ana", "ben", "cara"], WEEK, lessons, duties)
    assert result.all_free == [] and result.fewest_moves == []
    assert words(result, NAMES) == (
        "No period is free for all 3 members, and no lesson move would make one: in every "
        "period at least one of them has another commitment, such as a duty or a visit. "
        "Free one of those commitments first."
    )


def test_a_member_without_lessons_is_free_all_week():
    result = common_time(["dev"], WEEK, {"ana": {("Mon", "1"): "7B"}})
    assert result.all_free == WEEK
    assert words(result, NAMES) == (
        "Dev Shah is free in 6 periods: Mon period 1, Mon period 2, Mon period 3 and 3 others."
    )


def test_a_team_of_one_has_its_free_periods_and_nobody_else_to_wait_for():
    lessons = {"ana": {slot: "7B" for slot in WEEK if slot != ("Tue", "2")}}
    result = common_time(["ana"], WEEK, lessons)
    assert result.all_free == [("Tue", "2")]
    assert result.all_but_one == []
    assert words(result, NAMES) == "Ana Ruiz is free in 1 period: Tue period 2."
    lessons["ana"][("Tue", "2")] = "7C"
    busy_all_week = common_time(["ana"], WEEK, lessons)
    assert busy_all_week.all_but_one == []
    assert len(busy_all_week.fewest_moves) == 6
    assert words(busy_all_week, {}).startswith(
        "No period is free for ana. Mon period 1 would be, if ana's 7B moved"
    )


def test_two_members_are_both_members():
    result = common_time(["ana", "ben"], WEEK[:1], {})
    assert words(result, NAMES) == "Both members are free in 1 period: Mon period 1."


def test_an_empty_team_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="at least one member"):
        common_time([], WEEK, {})


def test_a_week_without_periods_says_to_import_a_schedule():
    result = common_time(["ana"], [], {"ana": {("Mon", "1"): "7B"}})
    assert result == CommonTime([], [], [], ("ana",), [])
    assert words(result, NAMES) == (
        "The school's week has no periods yet: import a master schedule first."
    )


def test_lessons_outside_the_week_and_people_outside_the_team_are_ignored():
    lessons = {"ana": {("Sat", "1"): "club"}, "zed": {slot: "9A" for slot in WEEK}}
    result = common_time(["ana", "ana", "ben"], WEEK, lessons, {"ben": {("Sun", "9")}})
    assert result.members == ("ana", "ben")
    assert result.all_free == WEEK
    assert result.unmovable == []


def test_periods_without_a_number_keep_their_own_label():
    assert slot_label(("Tue", "3")) == "Tue period 3"
    assert slot_label(("Day_2", "Lunch")) == "Day_2 Lunch"


# --- every real schedule, against the plain count ------------------------------------------


@pytest.mark.parametrize("path", SCHEDULES, ids=lambda p: p.stem)
def test_common_time_on_a_real_schedule_matches_the_plain_count(path):
    teachers, slots, lessons = week_of(path)
    rng = random.Random(path.stem)
    teams = [rng.sample(teachers, rng.randint(2, min(12, len(teachers)))) for _ in range(40)]
    teams += [rng.sample(teachers, 12) for _ in range(10)] + [teachers]
    with_common_time = 0
    for i, team in enumerate(teams):
        # Every third team: up to three members also have duties or visits (two random
        # slots each, now and then on top of a lesson), which no move may free.
        duties = (
            {m: set(rng.sample(slots, 2)) for m in rng.sample(team, min(3, len(team)))}
            if i % 3 == 0
            else None
        )
        result = common_time(team, slots, lessons, duties)
        assert result == brute_force(team, slots, lessons, duties), team
        with_common_time += bool(result.all_free)
        assert words(result, {}).endswith(".")
    assert with_common_time  # some teams of every school share a period


def test_the_real_schedules_have_teams_with_and_without_common_time():
    found = set()
    for path in SCHEDULES:
        teachers, slots, lessons = week_of(path)
        rng = random.Random(7)
        for _ in range(30):
            result = common_time(rng.sample(teachers, 12), slots, lessons)
            found.add("free" if result.all_free else "moves")
    assert found == {"free", "moves"}


# --- random small schools -------------------------------------------------------------------

PEOPLE = ("ana", "ben", "cara", "dev", "eli")
SLOTS = [(day, period) for day in ("Mon", "Tue", "Wed") for period in ("1", "2", "3")]


@st.composite
def small_schools(draw):
    week = draw(st.lists(st.sampled_from(SLOTS), max_size=len(SLOTS), unique=True))
    week.sort(key=SLOTS.index)
    members = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=6))
    lessons, unavailable = {}, {}
    for person in PEOPLE:
        for slot in SLOTS:
            what = draw(st.sampled_from(("teach", "teach", "free", "away", "both")))
            if what in ("teach", "both"):
                lessons.setdefault(person, {})[slot] = draw(st.sampled_from(("7B", "8A", "")))
            if what in ("away", "both"):
                unavailable.setdefault(person, set()).add(slot)
    return members, week, lessons, draw(st.sampled_from((None, unavailable)))


@given(small_schools())
def test_common_time_of_a_random_small_school_holds_its_promises(school):
    members, week, lessons, unavailable = school
    result = common_time(members, week, lessons, unavailable)
    team = set(members)
    away = unavailable or {}

    def busy(slot):
        return {m for m in team if slot in lessons.get(m, {}) or slot in away.get(m, set())}

    assert set(result.all_free) <= set(week)
    assert all(not busy(slot) for slot in result.all_free)
    for slot, member in result.all_but_one:
        assert busy(slot) == {member}
    movable = [s for s in week if not any(s in away.get(m, set()) for m in team)]
    assert (result.fewest_moves == []) == bool(result.all_free or not movable)
    for slot, moves in result.fewest_moves:
        assert {move.member for move in moves} == busy(slot)
        assert all(move.teaches == lessons[move.member][slot] for move in moves)
    for listed in (
        result.all_free,
        [slot for slot, _ in result.all_but_one],
        [slot for slot, _ in result.fewest_moves],
        result.unmovable,
    ):
        assert listed == sorted(listed, key=week.index)
    shuffled = {m: dict(reversed(list(lessons[m].items()))) for m in reversed(list(lessons))}
    assert common_time(members, week, shuffled, unavailable) == result
    assert result == brute_force(members, week, lessons, unavailable)
    assert words(result, NAMES).endswith(".")
