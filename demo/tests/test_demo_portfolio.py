"""The demo has artifacts at Lincoln (a photo attached to a goal, without any metadata) and one
portfolio shared with a colleague by name; loading again adds nothing."""

import pytest
from django.core.management import call_command
from PIL import Image

from growth.models import Artifact, PortfolioShare


@pytest.mark.django_db
def test_the_demo_has_artifacts_and_a_shared_portfolio(capsys):
    call_command("load_demo")
    photo = Artifact.objects.get(goal__isnull=False)
    assert photo.goal.person == photo.owner
    with photo.file.open("rb") as kept:
        assert Image.open(kept).format == "JPEG"
    share = PortfolioShare.objects.get()
    assert share.owner == photo.owner and share.colleague is not None
    assert "artifacts" in share.sections
    counts = (Artifact.objects.count(), PortfolioShare.objects.count())
    call_command("load_demo")
    assert (Artifact.objects.count(), PortfolioShare.objects.count()) == counts
