"""`opendoors schedule PROBLEM.json -o PLAN.json` (here through `scheduler.cli.main`,
which the management command calls) writes a plan or says what is wrong, never a traceback."""

import json
import subprocess
import sys
from pathlib import Path

from scheduler import plan_from_json, plan_problems, problem_from_json
from scheduler.cli import main

from .test_problem_json import EXAMPLE

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path, document, name="problem.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def test_a_plan_is_written_and_summarised(tmp_path, capsys):
    problem = write(tmp_path, EXAMPLE)
    assert main([str(problem), "-o", str(tmp_path / "plan.json"), "--time-limit", "2"]) == 0
    plan = plan_from_json(json.loads((tmp_path / "plan.json").read_text()))
    assert plan_problems(problem_from_json(EXAMPLE), plan) == []
    out = capsys.readouterr().out
    assert out.startswith(
        f"{tmp_path / 'plan.json'}: 1 of 5 requested visits met (bound 1, OPTIMAL)"
    )


def test_without_an_output_file_the_plan_goes_to_standard_output(tmp_path, capsys):
    assert main([str(write(tmp_path, EXAMPLE)), "--time-limit", "1"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["version"] == 1
    assert "requested visits met" in captured.err


def test_bad_input_is_explained_with_exit_code_2(tmp_path, capsys):
    bad = dict(EXAMPLE, version=2, requests=[{"id": "R1", "kind": "pair", "observers": ["T9"]}])
    assert main([str(write(tmp_path, bad)), "-o", str(tmp_path / "plan.json")]) == 2
    err = capsys.readouterr().err
    assert "version: must be 1, not 2" in err
    assert "requests[0].observers[0]: unknown teacher 'T9'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "plan.json").exists()


def test_malformed_json_and_missing_files_are_explained(tmp_path, capsys):
    assert main([str(write(tmp_path, '{"version": 1,'))]) == 2
    assert "not valid JSON at line 1, column 15" in capsys.readouterr().err
    assert main([str(tmp_path / "nowhere.json")]) == 2
    assert "cannot be read (No such file or directory)" in capsys.readouterr().err


def test_warnings_about_unknown_keys_are_printed(tmp_path, capsys):
    main([str(write(tmp_path, dict(EXAMPLE, extra=1))), "--time-limit", "1"])
    assert "warning: problem.extra: unknown key, ignored" in capsys.readouterr().err


def test_python_m_scheduler_runs_without_django(tmp_path):
    problem = write(tmp_path, EXAMPLE)
    code = (
        "import runpy, sys; sys.argv = ['scheduler', sys.argv[1], '--time-limit', '1'];"
        "import scheduler.cli as cli; code = cli.main(sys.argv[1:]);"
        "assert 'django' not in sys.modules, 'the scheduler imported Django'; sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(problem)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["objective"] == 1


def test_the_plan_times_each_phase_of_the_whole_command_start_up_included(tmp_path):
    problem = write(tmp_path, EXAMPLE)
    result = subprocess.run(
        [sys.executable, "-m", "scheduler", str(problem), "--time-limit", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert list(plan["phases"])[:2] == ["reading", "greedy"]
    assert plan["phases"]["reading"] > 0  # Python's start-up and imports count too
    assert abs(sum(plan["phases"].values()) - plan["seconds"]) < 0.01
