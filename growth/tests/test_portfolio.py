"""The portfolio: a teacher's own record, private until they share it, with a named colleague
or by a link that expires; a share shows exactly the parts chosen and stops at once when
withdrawn. Nobody reads it by their role."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from growth.artifacts import artifact_upload
from growth.models import (
    Audience,
    EntryStatus,
    LedgerEntry,
    PortfolioSection,
    PortfolioShare,
    ShoutOut,
)
from growth.portfolio import portfolio_share_create
from growth.services import follow_up_answer, goal_set
from inquiry.tests.factories import make_round
from opendoors import access

pytestmark = pytest.mark.django_db

GOAL = "Students explain to a partner before writing"
WHY = "Exit tickets showed more reasoning in writing"
REFLECTION = "Reading group: wait time changed who answered"
PRIVATE_CHEER = "Kept for myself: the quiet table spoke up"
SHARED_CHEER = "Her exit tickets showed every student thinking aloud"


@pytest.fixture
def record(personas):
    """The teacher's portfolio: a cycle, a goal answered, a reflection, an artifact, two
    shout-outs (one kept private) and hours."""
    cycle, visit = make_round(personas)
    goal = goal_set(person=personas.teacher, cycle=cycle, visit=visit, text=GOAL, try_by=visit.date)
    follow_up_answer(follow_up=goal.follow_up, tried=True, results="yes", why=WHY)
    LedgerEntry.objects.create(
        person=personas.teacher,
        district=personas.school.district,
        date=date(2026, 10, 5),
        activity="study_group",
        title="Reading group",
        minutes=90,
        status=EntryStatus.SELF_REPORTED,
        reflection=REFLECTION,
        credits=Decimal("1.5"),
        credit_unit="clock hours",
    )
    artifact = artifact_upload(
        owner=personas.teacher,
        upload=SimpleUploadedFile("exit-tickets.txt", b"Exit tickets, names removed"),
        title="Exit tickets",
    )
    for text, audience in ((PRIVATE_CHEER, Audience.PRIVATE), (SHARED_CHEER, Audience.SCHOOL)):
        ShoutOut.objects.create(
            school=personas.school,
            author=personas.colleague,
            celebrated=personas.teacher,
            text=text,
            audience=audience,
        )
    return cycle, goal, artifact


def page_of(client, person, url: str):
    if person is None:
        client.logout()
    else:
        client.force_login(person)
    return client.get(url)


def test_a_teacher_s_portfolio_holds_their_whole_record(client, personas, record):
    cycle, _, artifact = record
    html = page_of(client, personas.teacher, "/portfolio/").content.decode()
    for text in (cycle.title, GOAL, WHY, REFLECTION, "Exit tickets", PRIVATE_CHEER, SHARED_CHEER):
        assert text in html
    assert f'href="/artifacts/{artifact.pk}/"' in html
    minutes = sum(
        LedgerEntry.objects.filter(person=personas.teacher).values_list("minutes", flat=True)
    )
    assert minutes >= 90  # the reading group, and what OpenDoors saw (the follow-up answered)
    hours = f"{minutes // 60} h {minutes % 60:02d} min" if minutes % 60 else f"{minutes // 60} h"
    assert f"<strong>{hours}</strong> of learning" in html and "clock hours" in html
    assert "Not shared with anyone." in html and 'href="/hours/"' in html


def test_a_principal_by_role_sees_nothing_of_a_teacher_s_portfolio(client, personas, record):
    _, _, artifact = record
    for person in (personas.principal, personas.vice, personas.district_leader, personas.coach):
        html = page_of(client, person, "/portfolio/").content.decode()
        # Their own portfolio, empty: nothing of the teacher's.
        assert GOAL not in html and REFLECTION not in html and SHARED_CHEER not in html
        assert page_of(client, person, f"/artifacts/{artifact.pk}/").status_code == 404


def share(client, person, **fields):
    client.force_login(person)
    return client.post("/portfolio/shares/", fields)


def test_a_link_shows_exactly_the_parts_shared_to_anyone_until_it_is_withdrawn(
    client, personas, record
):
    _, _, artifact = record
    response = share(
        client, personas.teacher, sections=["goals", "artifacts"], way="link", days="14"
    )
    assert response.status_code == 302
    html = client.get("/portfolio/").content.decode()
    link = re.search(r'value="(http://testserver/p/[^"]+/)"', html).group(1)
    path = link.removeprefix("http://testserver")
    # Shown once: OpenDoors keeps only the token's digest.
    assert link not in client.get("/portfolio/").content.decode()
    stored = PortfolioShare.objects.get()
    token = path.split("/")[2]
    assert stored.token == access.portfolio_link_digest(token) and token not in stored.token

    shared = page_of(client, None, path)
    assert shared.status_code == 200 and shared["X-Robots-Tag"] == "noindex, nofollow"
    html = shared.content.decode()
    assert GOAL in html and WHY in html and "Exit tickets" in html
    for hidden in (REFLECTION, SHARED_CHEER, PRIVATE_CHEER, "clock hours", "Add an artifact"):
        assert hidden not in html
    download = client.get(f"{path}artifacts/{artifact.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")

    client.force_login(personas.teacher)
    assert client.post(f"/portfolio/shares/{stored.pk}/withdraw/").status_code == 302
    assert "Withdrawn" in client.get("/portfolio/").content.decode()
    gone = page_of(client, None, path)
    assert gone.status_code == 404
    assert "This link does not work" in gone.content.decode() and GOAL not in gone.content.decode()
    assert client.get(f"{path}artifacts/{artifact.pk}/").status_code == 404


def test_a_link_stops_working_when_it_expires(client, personas, record):
    created = portfolio_share_create(owner=personas.teacher, sections=["goals"], days=1)
    path = f"/p/{created.token}/"
    assert page_of(client, None, path).status_code == 200
    PortfolioShare.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert page_of(client, None, path).status_code == 404
    assert "Expired" in page_of(client, personas.teacher, "/portfolio/").content.decode()


def test_a_link_that_is_not_one_shows_nothing(client, personas, record):
    portfolio_share_create(owner=personas.teacher, sections=["goals"], days=1)
    for token in ("not-a-real-token", "bad token!"):
        response = page_of(client, None, f"/p/{token}/")
        assert response.status_code == 404 and GOAL not in response.content.decode()


def test_artifacts_download_through_a_share_only_when_artifacts_are_shared(
    client, personas, record
):
    _, _, artifact = record
    created = portfolio_share_create(owner=personas.teacher, sections=["goals"], days=5)
    assert client.get(f"/p/{created.token}/artifacts/{artifact.pk}/").status_code == 404
    # Someone else's artifact is not reached through this teacher's share either.
    other = artifact_upload(
        owner=personas.colleague, upload=SimpleUploadedFile("x.txt", b"x"), title="X"
    )
    both = portfolio_share_create(owner=personas.teacher, sections=["artifacts"], days=5)
    assert client.get(f"/p/{both.token}/artifacts/{other.pk}/").status_code == 404
    assert client.get(f"/p/{both.token}/artifacts/{artifact.pk}/").status_code == 200


def test_a_named_colleague_finds_the_portfolio_shared_with_them(client, personas, record):
    _, _, artifact = record
    response = share(
        client,
        personas.teacher,
        sections=["reflections", "celebrations", "artifacts"],
        way="colleague",
        colleague=str(personas.colleague.pk),
    )
    assert response.status_code == 302
    shared = PortfolioShare.objects.get()
    assert shared.token is None and shared.expires_at is None

    mine = page_of(client, personas.colleague, "/portfolio/").content.decode()
    assert f'href="/portfolio/shared/{shared.pk}/"' in mine and "Ana Ortiz" in mine
    html = client.get(f"/portfolio/shared/{shared.pk}/").content.decode()
    assert REFLECTION in html and SHARED_CHEER in html
    # Only what the teacher made visible to their team or school; goals were not shared.
    assert PRIVATE_CHEER not in html and GOAL not in html
    url = f"/portfolio/shared/{shared.pk}/artifacts/{artifact.pk}/"
    assert client.get(url).status_code == 200

    for person in (personas.bystander, personas.principal, personas.teacher):
        assert page_of(client, person, f"/portfolio/shared/{shared.pk}/").status_code == 404
        assert client.get(url).status_code == 404

    client.force_login(personas.teacher)
    client.post(f"/portfolio/shares/{shared.pk}/withdraw/")
    assert page_of(client, personas.colleague, f"/portfolio/shared/{shared.pk}/").status_code == 404
    assert (
        f'href="/portfolio/shared/{shared.pk}/"' not in client.get("/portfolio/").content.decode()
    )


def test_a_share_ends_when_its_owner_is_deactivated(client, personas, record):
    created = portfolio_share_create(owner=personas.teacher, sections=["goals"], days=5)
    personas.teacher.is_active = False
    personas.teacher.save()
    assert page_of(client, None, f"/p/{created.token}/").status_code == 404


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"way": "link", "days": "14"}, "Choose at least one part"),
        ({"sections": ["goals"], "way": "link", "days": "0"}, "greater than or equal to 1"),
        ({"sections": ["goals"], "way": "link", "days": "91"}, "less than or equal to 90"),
        ({"sections": ["goals"], "way": "link", "days": ""}, "how many days"),
        ({"sections": ["goals"], "way": "colleague"}, "Choose the colleague"),
        ({"sections": ["secrets"], "way": "link", "days": "3"}, "not one of the available"),
    ],
)
def test_a_share_that_cannot_be_made_says_why_and_nothing_is_shared(client, personas, fields, said):
    response = share(client, personas.teacher, **fields)
    assert response.status_code == 400 and said in response.content.decode()
    assert not PortfolioShare.objects.exists()


def test_a_teacher_shares_only_with_colleagues_of_their_own_school(client, personas):
    response = share(
        client,
        personas.teacher,
        sections=["goals"],
        way="colleague",
        colleague=str(personas.outsider.pk),
    )
    assert response.status_code == 400 and not PortfolioShare.objects.exists()
    with pytest.raises(Exception, match="colleague of your own school"):
        portfolio_share_create(
            owner=personas.teacher, sections=["goals"], colleague=personas.outsider
        )
    with pytest.raises(Exception, match="1 to 90 days"):
        portfolio_share_create(owner=personas.teacher, sections=["goals"], days=120)
    with pytest.raises(Exception, match="at least one part"):
        portfolio_share_create(owner=personas.teacher, sections=[], days=3)


def test_only_its_owner_withdraws_a_share(client, personas):
    created = portfolio_share_create(owner=personas.teacher, sections=["goals"], days=3)
    client.force_login(personas.colleague)
    response = client.post(f"/portfolio/shares/{created.share.pk}/withdraw/")
    assert response.status_code == 404
    created.share.refresh_from_db()
    assert created.share.withdrawn_at is None


def test_nobody_signed_out_has_a_portfolio(personas):
    with pytest.raises(Http404):
        access.portfolio_of(AnonymousUser())
    assert access.portfolio_of(personas.teacher) == personas.teacher
    assert set(PortfolioSection.values) >= {"goals", "artifacts", "hours"}
