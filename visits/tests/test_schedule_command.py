"""`opendoors schedule PROBLEM.json -o PLAN.json`, run as the program: the time limit is the
whole command's, Python's and Django's start-up included, as for `python -m scheduler`."""

import json
import os
import subprocess
import sys
from pathlib import Path

from scheduler import plan_from_json, plan_problems, problem_from_json
from scheduler.tests.test_problem_json import EXAMPLE

ROOT = Path(__file__).resolve().parents[2]


def test_the_plan_counts_the_command_s_start_up_in_its_seconds(tmp_path):
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(EXAMPLE))
    command = ["schedule", str(problem), "-o", "plan.json", "--time-limit", "2"]
    result = subprocess.run(
        [sys.executable, "-m", "opendoors.cli", *command],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "plan.json").read_text())
    assert plan_problems(problem_from_json(EXAMPLE), plan_from_json(document)) == []
    # Reading a five-request problem takes a millisecond; starting Python and Django, tenths.
    assert document["phases"]["reading"] > 0.05
    assert abs(sum(document["phases"].values()) - document["seconds"]) < 0.01
