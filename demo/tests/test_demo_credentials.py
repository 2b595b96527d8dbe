"""With the site's signing key, the demo has one claimed credential, for a cycle its holder
completed; loading again adds nothing. Without a key it has none, and loads all the same."""

import pytest
from django.core.management import call_command

from growth.credentials import completed_cycles
from growth.models import Credential
from growth.tests.test_credentials import TEST_KEY


@pytest.mark.django_db
def test_the_demo_has_one_claimed_credential(capsys, settings):
    settings.OPENDOORS_CREDENTIALS_KEY = TEST_KEY
    call_command("load_demo")
    credential = Credential.objects.get()
    assert completed_cycles(credential.person).filter(pk=credential.cycle_id).exists()
    assert f"{credential.person.username} has claimed a credential" in capsys.readouterr().out
    call_command("load_demo")
    assert Credential.objects.count() == 1
