"""OpenDoors' scheduler: classroom visits placed into a real master schedule.

Plain Python with no Django import: dataclasses in, dataclasses out, JSON at the
edges (FORMATS.md §3, checked by the pydantic models of `documents.py`), solved with
OR-Tools CP-SAT from a greedy first plan. A master-schedule CSV becomes a problem
through `rosters`, the readers the web app's import uses too (`from_rosters.py`).
`common_time` finds a team's shared free periods in a master schedule (`common_time.py`).
"""

from .common_time import CommonTime, MemberMove, Slot, common_time
from .greedy import greedy_plan
from .plan import SUBSTITUTE, Plan, Unscheduled, Visit, plan_from_json, plan_to_json
from .problem import (
    Meeting,
    Problem,
    ProblemError,
    Request,
    Rules,
    Teacher,
    Unavailable,
    problem_from_json,
    problem_to_json,
)
from .reciprocal import combine, reciprocal_problem
from .solver import solve
from .swap_day import CoverageLimits, rotation, swap_day_problem
from .validate import plan_problems

__all__ = [
    "SUBSTITUTE",
    "CommonTime",
    "CoverageLimits",
    "Meeting",
    "MemberMove",
    "Plan",
    "Problem",
    "ProblemError",
    "Request",
    "Rules",
    "Slot",
    "Teacher",
    "Unavailable",
    "Unscheduled",
    "Visit",
    "combine",
    "common_time",
    "greedy_plan",
    "plan_from_json",
    "plan_problems",
    "plan_to_json",
    "problem_from_json",
    "problem_to_json",
    "reciprocal_problem",
    "rotation",
    "solve",
    "swap_day_problem",
]
