"""The task worker's recount of the hours ledger's months that writes left behind, queued by
`insights.services.ledger_months_mark` once a write commits, so that dashboards rarely have
to recount while someone waits."""

from django_tasks import task

from .services import ledger_months_count as count_behind


@task()
def ledger_months_count() -> int:
    """How many months were counted."""
    return count_behind()
