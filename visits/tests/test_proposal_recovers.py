"""A proposal whose solver died, or failed, is never left at "99%": the coach sees that it
stalled or why it failed, and trying again solves it."""

from datetime import timedelta

import pytest
from django.utils import timezone

import scheduler
from visits.models import Proposal, ProposalStatus
from visits.tests.test_proposals import MONDAY, lab

pytestmark = pytest.mark.django_db(transaction=True)


def killed_proposal(personas, *, status: str = ProposalStatus.SOLVING) -> Proposal:
    """The row as a worker killed mid-solve leaves it: solving since long before its limit."""
    from visits.scheduling import cycle_problem

    cycle = lab(personas)
    return Proposal.objects.create(
        cycle=cycle,
        created_by=personas.coach,
        monday=MONDAY,
        time_limit=5,
        status=status,
        problem=scheduler.problem_to_json(cycle_problem(cycle, monday=MONDAY)),
        started_at=timezone.now() - timedelta(minutes=30),
    )


def page_of(client, personas, proposal) -> str:
    client.force_login(personas.coach)
    return client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_a_solve_killed_mid_way_is_stalled_and_retry_solves_it(client, personas, run_tasks):
    proposal = killed_proposal(personas)

    page = page_of(client, personas, proposal)
    assert "Stalled" in page and "Try again" in page
    assert 'hx-trigger="every 1s"' not in page

    client.post(f"/proposals/{proposal.pk}/retry/")
    run_tasks()

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY
    assert "Publish" in page_of(client, personas, proposal)


def test_a_proposal_still_within_its_time_is_not_stalled(client, personas):
    proposal = killed_proposal(personas)
    Proposal.objects.filter(pk=proposal.pk).update(started_at=timezone.now())

    page = page_of(client, personas, proposal)
    assert "Stalled" not in page and 'hx-trigger="every 1s"' in page
    client.post(f"/proposals/{proposal.pk}/retry/")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SOLVING


def test_an_unexpected_solver_error_fails_with_a_reason_and_can_be_retried(
    client, personas, run_tasks, monkeypatch
):
    proposal = killed_proposal(personas, status=ProposalStatus.QUEUED)

    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(scheduler, "solve", broken)
    from visits.tasks import proposal_solve

    proposal_solve.call(proposal.pk)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.FAILED
    page = page_of(client, personas, proposal)
    assert "unexpected error (MemoryError)" in page and "Try again" in page

    monkeypatch.undo()
    client.post(f"/proposals/{proposal.pk}/retry/")
    run_tasks()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY


def test_a_late_worker_does_not_overwrite_a_retried_proposal(personas, run_tasks):
    from visits.proposals import proposal_retry
    from visits.tasks import proposal_solve

    proposal = killed_proposal(personas)
    assert proposal_retry(proposal=proposal)
    run_tasks()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.PUBLISHED)

    # The worker that was given up on is queued again by accident: it finds nothing to do.
    assert proposal_solve.call(proposal.pk) == "skipped"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED
