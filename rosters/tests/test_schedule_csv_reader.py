"""Reading master-schedule CSVs: what real files contain, and bad files refused with a place."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rosters.csvfiles import spreadsheet_safe, write_rows
from rosters.schedule_csv import read_schedule_csv
from rosters.schedule_data import ScheduleFileError

HEADER = "teacher_id,teacher_name,day,period,section,course,subject,grade,room\n"


def problems_of(data: bytes, bell: bytes | None = None) -> list[str]:
    with pytest.raises(ScheduleFileError) as caught:
        read_schedule_csv(data, "schedule.csv", bell=bell)
    return [str(p) for p in caught.value.problems]


def test_columns_in_any_order_with_a_bom_and_unknown_columns_warned():
    data = "\ufeffroom,section,period,day,teacher_id,notes\n101,7A,1,Mon,T1,hi\n".encode()
    schedule = read_schedule_csv(data, "schedule.csv")
    assert schedule.teachers["T1"].name == "T1"
    assert schedule.meetings[0].room == "101"
    assert [str(w) for w in schedule.warnings] == [
        "schedule.csv, line 1, column notes: unknown column “notes” ignored"
    ]


def test_weekdays_in_another_language_are_put_in_calendar_order():
    rows = "".join(f"T1,,{day},1,7A,,,,\n" for day in ["dj", "dl", "dv", "dt", "dc"])
    schedule = read_schedule_csv((HEADER + rows).encode(), "schedule.csv")
    assert schedule.days == ["dl", "dt", "dc", "dj", "dv"]


def test_letter_days_keep_the_order_of_first_appearance():
    rows = "T1,,B,1,7A,,,,\nT1,,A,1,7B,,,,\n"
    assert read_schedule_csv((HEADER + rows).encode(), "s.csv").days == ["B", "A"]


def test_a_bell_schedule_gives_the_order_and_clock_times():
    bell = b"day,period,start,end\nMon,P1,08:00,08:50\nMon,P2,08:55,09:45\n"
    schedule = read_schedule_csv(
        (HEADER + "T1,,Mon,P2,7A,,,,\n").encode(), "schedule.csv", bell=bell
    )
    assert schedule.periods == ["P1", "P2"]
    assert str(schedule.bell[("Mon", "P2")][0]) == "08:55:00"


def test_a_combined_class_is_accepted_and_noted():
    rows = "T1,,Mon,1,7A,,,,\nT1,,Mon,1,7B,,,,\n"
    schedule = read_schedule_csv((HEADER + rows).encode(), "schedule.csv")
    assert len(schedule.meetings) == 2
    assert "combined classes" in schedule.notes[0]


def test_wrong_encoding_names_the_line():
    data = (HEADER + "T1,Jos\xe9 Mu\xf1oz,Mon,1,7A,,,,\n").encode("cp1252")
    [problem] = problems_of(data)
    assert problem.startswith("schedule.csv, line 2: the file is not UTF-8 text")
    assert "CSV UTF-8" in problem


def test_missing_required_column_is_named():
    assert problems_of(b"teacher_id,day,section\nT1,Mon,7A\n") == [
        "schedule.csv, line 1, column period: missing required column “period”"
    ]


def test_an_empty_file_and_a_header_without_rows_are_refused():
    assert problems_of(b"") == ["schedule.csv: the file is empty"]
    assert problems_of(HEADER.encode()) == [
        "schedule.csv, line 1: the file has a header but no rows"
    ]


def test_an_empty_required_value_names_line_and_column():
    assert problems_of((HEADER + "T1,,Mon,,7A,,,,\n").encode()) == [
        "schedule.csv, line 2, column period: “period” is empty"
    ]


def test_a_day_the_bell_schedule_does_not_know_is_refused():
    bell = b"day,period,start,end\nMon,1,08:00,08:50\n"
    [problem] = problems_of((HEADER + "T1,,Sunday,1,7A,,,,\n").encode(), bell=bell)
    assert (
        problem
        == "schedule.csv, line 2, column day: unknown day “Sunday”: the bell schedule has Mon"
    )


def test_a_duplicate_row_points_at_its_twin():
    rows = "T1,,Mon,1,7A,,,,\nT2,,Mon,1,7B,,,,\nT1,,Mon,1,7A,,,,\n"
    assert problems_of((HEADER + rows).encode()) == [
        "schedule.csv, line 4, column section: duplicate row: the same as line 2"
    ]


def test_every_problem_is_reported_at_once():
    rows = "T1,,Mon,,7A,,,,\n,,Mon,1,7A,,,,\n"
    assert len(problems_of((HEADER + rows).encode())) == 2


def test_a_bad_bell_time_is_located():
    bell = b"day,period,start,end\nMon,1,8am,08:50\n"
    assert problems_of((HEADER + "T1,,Mon,1,7A,,,,\n").encode(), bell=bell) == [
        "bell.csv, line 2, column start: “8am” is not a time like 08:15"
    ]


@pytest.mark.parametrize("dangerous", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx"])
def test_cells_that_a_spreadsheet_would_run_are_escaped(dangerous):
    assert spreadsheet_safe(dangerous) == "'" + dangerous
    assert "".join(write_rows([[dangerous, "plain"]])).startswith("'")


def test_plain_cells_are_written_as_they_are():
    assert "".join(write_rows([["Ana", "7A", 3]])) == "Ana,7A,3\r\n"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_problems_never_a_crash(data):
    try:
        read_schedule_csv(data, "schedule.csv")
    except ScheduleFileError as error:
        assert error.problems and all(str(p).startswith("schedule.csv") for p in error.problems)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=10), max_size=8))
def test_any_table_of_text_is_read_or_refused_with_problems(rows):
    body = "".join(write_rows([["teacher_id", "day", "period", "section"], *rows]))
    try:
        schedule = read_schedule_csv(body.encode(), "schedule.csv")
    except ScheduleFileError as error:
        assert error.problems
    else:
        assert len(schedule.meetings) <= len(rows)
