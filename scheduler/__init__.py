"""OpenDoors' scheduler: classroom visits placed into a real master schedule.

Plain Python with no Django import: dataclasses in, dataclasses out, JSON at the
edges (FORMATS.md §3), solved with OR-Tools CP-SAT from a greedy first plan.
"""

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
from .solver import solve
from .validate import plan_problems

__all__ = [
    "SUBSTITUTE",
    "Meeting",
    "Plan",
    "Problem",
    "ProblemError",
    "Request",
    "Rules",
    "Teacher",
    "Unavailable",
    "Unscheduled",
    "Visit",
    "greedy_plan",
    "plan_from_json",
    "plan_problems",
    "plan_to_json",
    "problem_from_json",
    "problem_to_json",
    "solve",
]
