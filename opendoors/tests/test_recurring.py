"""`opendoors recurring` queues the first run of every task on a clock once, however often
it is run (after each deploy, at each `make demo`)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from opendoors.recurring import RECURRING

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_recurring_task_is_queued_once_however_often_the_command_runs():
    first, second = StringIO(), StringIO()
    call_command("recurring", stdout=first)
    call_command("recurring", stdout=second)
    assert first.getvalue().count("Queued") == len(RECURRING)
    assert second.getvalue().count("already queued") == len(RECURRING)
    for task in RECURRING:
        assert DBTaskResult.objects.filter(task_path=task.task_path, status="READY").count() == 1
