"""Tasks call services and services never import tasks: they queue a task by its path, once
the request's transaction commits (opendoors/tasks.py)."""

import ast
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from opendoors.tasks import enqueue

ROOT = Path(__file__).resolve().parents[2]
APPS = ["schools", "inquiry", "visits", "growth", "insights", "opendoors", "demo"]
# Every module of the apps but tasks.py itself: services, views, proposals, …
STARTERS = [path for app in APPS for path in (ROOT / app).glob("*.py") if path.stem != "tasks"]
TASK_PATH = re.compile(r"^[a-z_]+\.tasks\.[a-z_]+$")


def tasks_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[-1] == "tasks"]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[-1] == "tasks" and module != "opendoors.tasks":
                found.append(module)
            found += [a.name for a in node.names if a.name == "tasks" and not module]
    return found


def task_paths(path: Path) -> list[str]:
    return [
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and TASK_PATH.match(node.value)
    ]


def test_no_service_imports_a_tasks_module():
    offenders = {
        str(path.relative_to(ROOT)): tasks_imports(path) for path in STARTERS if tasks_imports(path)
    }
    assert offenders == {}


def test_every_task_a_service_queues_by_name_is_a_task():
    named = {name for path in STARTERS for name in task_paths(path)}
    assert {"schools.tasks.import_read", "visits.tasks.visit_notify"} <= named
    for name in named:
        assert isinstance(import_string(name), Task), name


def test_a_wrong_task_path_fails_in_the_request_that_names_it():
    with pytest.raises(ImportError):
        enqueue("visits.tasks.no_such_task", 1)


@pytest.mark.django_db(transaction=True)
def test_a_task_is_queued_when_the_transaction_commits_and_never_after_a_rollback():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("visits.tasks.proposal_solve", 1)
        raise RuntimeError("the request failed")
    assert not DBTaskResult.objects.exists()

    with transaction.atomic():
        enqueue("visits.tasks.proposal_solve", 1)
        assert not DBTaskResult.objects.exists()
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "visits.tasks.proposal_solve" and queued.args_kwargs["args"] == [1]
