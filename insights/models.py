"""What the patterns page last published for each cycle (see insights.aggregates)."""

from django.db import models

from inquiry.models import Cycle


class PatternSnapshot(models.Model):
    """A cycle's published numbers, each with the classrooms (and hosts) it is drawn on.

    Stored so that a number changes only when at least k teachers' classrooms have
    contributed since: reading the page twice around one new visit shows the same numbers.
    """

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="pattern_snapshot")
    numbers = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Published patterns of {self.cycle}"
