"""The demo's artifacts and one shared portfolio at Lincoln: a Lincoln teacher with a goal adds
a photo of an anchor chart (a small generated picture) to it and a lesson plan to their
portfolio, and shares their goals, reflections and artifacts with a colleague by name. Made
through the same services as the pages; running it again changes nothing."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from growth.artifacts import Attachment, artifact_upload
from growth.models import Artifact, Goal, LedgerEntry
from growth.portfolio import portfolio_share_create
from schools.models import Person, School

LESSON_PLAN = """Lesson plan: explaining a strategy to a partner

Launch (5 min): the learning target, read aloud together.
Turn and talk (8 min): sentence stems on the board ("I solved it by…", "I agree because…").
Write (10 min): each student explains their strategy in two sentences.
Exit ticket: one problem, one sentence of reasoning.
"""


def anchor_chart() -> bytes:
    """A photo-like JPEG of an anchor chart: coloured bands of "writing" on paper."""
    image = Image.new("RGB", (480, 360), (250, 247, 238))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 460, 70), fill=(46, 94, 170))
    for row, colour in enumerate([(200, 60, 60), (60, 140, 80), (60, 60, 60), (60, 60, 60)]):
        top = 100 + row * 60
        draw.rectangle((40, top, 40 + 380 - row * 50, top + 22), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


@transaction.atomic
def demo_portfolio_load(school: School) -> None:
    if Artifact.objects.filter(owner__memberships__school=school).exists():
        return
    goal = (
        Goal.objects.filter(cycle__school=school, person__username__startswith="teacher")
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if goal is None:
        return
    teacher = goal.person
    artifact_upload(
        owner=teacher,
        upload=SimpleUploadedFile("anchor-chart.jpg", anchor_chart()),
        title="Anchor chart: explaining a strategy",
        caption="The sentence stems students used in the turn-and-talk.",
        attachment=Attachment(goal=goal),
    )
    entry = LedgerEntry.objects.filter(person=teacher, source="").first()
    artifact_upload(
        owner=teacher,
        upload=SimpleUploadedFile("lesson-plan.txt", LESSON_PLAN.encode()),
        title="Lesson plan",
        attachment=Attachment(ledger_entry=entry),
    )
    colleague = (
        Person.objects.filter(memberships__school=school, username__startswith="teacher")
        .exclude(pk=teacher.pk)
        .order_by("username")
        .first()
    )
    if colleague is not None:
        portfolio_share_create(
            owner=teacher,
            sections=["goals", "reflections", "artifacts"],
            colleague=colleague,
        )
