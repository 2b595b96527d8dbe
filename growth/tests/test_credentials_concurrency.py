"""Two clicks on "Claim your credential" at once give one credential, whose status bit is
its own: the district's row is locked while a claim takes its index (PostgreSQL only, as in
tests/concurrency.py)."""

import pytest

from growth.credentials import credential_claim
from growth.models import Credential
from growth.tests.test_credentials import TEST_KEY, complete
from inquiry.tests.factories import make_round
from tests.concurrency import at_once, postgresql_only

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only(settings):
    postgresql_only()
    settings.OPENDOORS_CREDENTIALS_KEY = TEST_KEY


def test_two_claims_at_once_give_one_credential_and_two_people_two_bits(personas):
    cycle, visit = make_round(personas, held=True)
    complete(personas.colleague, cycle, visit)
    complete(personas.vice, cycle, visit)
    same = at_once(
        lambda: credential_claim(person=personas.colleague, cycle=cycle),
        lambda: credential_claim(person=personas.colleague, cycle=cycle),
    )
    assert all(isinstance(result, Credential) for result in same), same
    assert Credential.objects.filter(person=personas.colleague).count() == 1
    other = at_once(lambda: credential_claim(person=personas.vice, cycle=cycle))
    assert isinstance(other[0], Credential), other
    indexes = set(Credential.objects.values_list("status_index", flat=True))
    assert len(indexes) == 2 and 0 not in indexes
