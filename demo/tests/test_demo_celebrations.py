"""The demo has a few shout-outs at Lincoln (shown to a team, to the school, and one private),
a shared bright moment and look-fors in the district's library; loading again adds nothing."""

import pytest
from django.core.management import call_command

from growth.models import Audience, ShoutOut
from inquiry.models import SharedPlan


@pytest.mark.django_db
def test_the_demo_celebrates_and_shares_without_counting(capsys):
    call_command("load_demo")
    audiences = sorted(ShoutOut.objects.values_list("audience", flat=True))
    assert audiences.count(Audience.SCHOOL) >= 1 and Audience.TEAM in audiences
    assert Audience.PRIVATE in audiences
    assert ShoutOut.objects.filter(bright_moment__isnull=False, author=None).exists()
    assert SharedPlan.objects.filter(school__slug="lincoln", kind="look_fors").count() == 1
    counts = (ShoutOut.objects.count(), SharedPlan.objects.count())
    call_command("load_demo")
    assert (ShoutOut.objects.count(), SharedPlan.objects.count()) == counts
