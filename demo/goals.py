"""The demo district's strategy of improvement, Lincoln's and Roosevelt's goals serving it, and
the goal each of Lincoln's demo cycles serves. Running it again changes nothing: goals are found
by their titles, and only a strategy or a cycle's goal still blank is filled in."""

from django.db import transaction

from inquiry.models import Cycle
from schools.models import District, ImprovementGoal, School

STRATEGY = (
    "Every student explains their thinking. Across Riverbend's classrooms students reason "
    "aloud, with evidence, to a partner, the class and in writing; teachers learn from one "
    "another's classrooms how to make room for it."
)
REASONING = "Students explain their reasoning in math"
TALK = "More student talk than teacher talk, in every subject"
GOALS = {
    "lincoln": [
        (
            REASONING,
            "Students justify answers with a model, a diagram or words, not only a number.",
        ),
        (TALK, "Students do most of the talking: questions, partner talk and discussions."),
        (
            "Reading across the content areas",
            "Students read and cite texts in science and social studies.",
        ),
    ],
    "roosevelt": [
        ("Writing to explain", "Students write explanations of their thinking in every subject."),
        ("Questions that ask students to think", "More open questions than recall questions."),
    ],
}
# Lincoln's demo cycles (demo/cycles.py) by title, and the goal each serves.
CYCLE_GOALS = {
    "Grade 7 rounds: students explaining their reasoning": REASONING,
    "Peer learning lab: number talks": REASONING,
    "Micro-observations: questioning patterns": TALK,
    "Cross-grade learning walk: student talk": TALK,
}


@transaction.atomic
def demo_goals_load(district: District) -> None:
    if not district.strategy:
        district.strategy = STRATEGY
        district.save(update_fields=["strategy"])
    for slug, goals in GOALS.items():
        school = School.objects.get(slug=slug)
        for position, (title, description) in enumerate(goals):
            ImprovementGoal.objects.get_or_create(
                school=school,
                title=title,
                defaults={"description": description, "position": position},
            )
    lincoln = School.objects.get(slug="lincoln")
    for title, goal_title in CYCLE_GOALS.items():
        goal = ImprovementGoal.objects.get(school=lincoln, title=goal_title)
        Cycle.objects.filter(school=lincoln, title=title, improvement_goal__isnull=True).update(
            improvement_goal=goal
        )
