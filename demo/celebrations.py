"""The demo's celebrations and district library at Lincoln: a few shout-outs (one shown to the
grade 7 team, one to the school, one still private to the teacher celebrated), a bright moment
its host shared, and the round's look-fors shared to the district's library. Made through the
same services as the pages; running it again changes nothing."""

from django.db import transaction

from growth.models import Audience, ShoutOut
from growth.services import bright_moment_share, shout_out_audience_set, shout_out_give
from inquiry.models import Cycle, SharedPlan, Structure
from inquiry.services import plan_share
from opendoors import access
from schools.models import Person, School
from teams.models import Team

# (from, to, what they did for students' learning, who the person celebrated shows it to)
SHOUT_OUTS = [
    (
        "teacher2",
        "teacher1",
        "Your lab lesson's turn-and-talk had every student explaining a strategy: I am "
        "trying your sentence stems tomorrow.",
        Audience.TEAM,
    ),
    (
        "coach",
        "teacher3",
        "Students in your room argued from the text and corrected each other kindly: the "
        "whole round noticed.",
        Audience.SCHOOL,
    ),
    (
        "teacher4",
        "teacher5",
        "Thank you for covering my class so I could observe, and for the exit ticket idea.",
        Audience.PRIVATE,
    ),
]


@transaction.atomic
def demo_celebrations_load(school: School) -> None:
    if ShoutOut.objects.filter(school=school).exists():
        return
    people = {p.username: p for p in Person.objects.filter(memberships__school=school)}
    grade_7 = Team.objects.filter(school=school, name="Grade 7 team").first()
    for author, celebrated, text, audience in SHOUT_OUTS:
        shout_out = shout_out_give(
            school=school, author=people[author], celebrated=people[celebrated], text=text
        )
        if audience != Audience.PRIVATE and (audience != Audience.TEAM or grade_7):
            shout_out_audience_set(shout_out=shout_out, audience=audience, team=grade_7)
    _a_bright_moment_shared(school, people)
    round_ = Cycle.objects.filter(school=school, structure=Structure.ROUNDS).first()
    if round_ and not SharedPlan.objects.filter(school=school).exists():
        plan_share(cycle=round_, kind="look_fors", author=people["coach"])


def _a_bright_moment_shared(school: School, people: dict[str, Person]) -> None:
    """The first host at Lincoln with a bright moment in words shares it with the school."""
    for person in people.values():
        moment = access.bright_moments_of_host(person).first()
        if moment is not None:
            bright_moment_share(
                host=person, moment=moment, school=school, audience=Audience.SCHOOL, team=None
            )
            return
