"""A teacher on a phone claims the credential for a cycle they completed and downloads it; a
stranger checks the file on the verify page without signing in and reads "Genuine"; the
district leader's credentials page lists it to revoke. Every page passes axe and does not
scroll sideways at phone and laptop size."""

import pytest
from playwright.sync_api import expect

from growth.tests.test_credentials import TEST_KEY, complete
from inquiry.tests.factories import make_round

from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def test_a_teacher_claims_a_credential_that_a_stranger_verifies(
    page, live_server, transactional_db, personas, settings, screenshots
):
    settings.OPENDOORS_CREDENTIALS_KEY = TEST_KEY
    cycle, visit = make_round(personas, held=True)
    complete(personas.colleague, cycle, visit)
    sign_in(page, live_server, "colleague")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{live_server.url}/portfolio/")
    page.get_by_role("button", name="Claim your credential").click()
    expect(page.get_by_text("is ready to download")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "portfolio-credential")
    page.set_viewport_size(SIZES["phone"])
    with page.expect_download() as started:
        page.get_by_role("link", name="Download the credential (.jwt)").click()
    path = started.value.path()
    assert path.read_text().count(".") == 2

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verify/credential/")
    checked_at_both_sizes(page)
    page.get_by_label("Or choose the file").set_input_files(path)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Genuine")).to_be_visible()
    expect(page.get_by_text("Ben Lee")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "verified")
    page.get_by_label("Paste the credential").fill("not a credential")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Not a credential")).to_be_visible()

    sign_in(page, live_server, "district")
    page.goto(f"{live_server.url}/district/riverbend/credentials/")
    expect(page.get_by_text("Ben Lee")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "district-credentials")
