"""Goals and follow-ups. They belong to the person who wrote them and describe their own
practice; nothing here rates anyone. Others read them only where their author shared them
with a cycle's facilitators (off by default); otherwise only counts over at least k people."""

from django.db import models

from inquiry.models import Cycle
from schools.models import Person
from visits.models import Visit


class Goal(models.Model):
    """What a participant will try in their own classroom, and when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="goals")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="goals")
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    text = models.TextField(max_length=2000)
    try_by = models.DateField()
    # The author's choice: the goal's cycle's facilitators may read it.
    shared_with_facilitators = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class FollowUp(models.Model):
    """A check-in on a goal: did I try it, did I get the results I anticipated, why."""

    class Result(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    goal = models.OneToOneField(Goal, on_delete=models.CASCADE, related_name="follow_up")
    due_on = models.DateField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    tried = models.BooleanField(null=True)
    results_as_anticipated = models.CharField(max_length=10, choices=Result.choices, blank=True)
    why = models.TextField(blank=True, max_length=3000)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Cycles whose facilitators the author let read this answer (and the goal it answers).
    shared_with = models.ManyToManyField(Cycle, blank=True, related_name="shared_follow_ups")

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"Follow-up on {self.goal} due {self.due_on}"
