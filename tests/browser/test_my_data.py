"""A host on a phone goes from their account page to My data, sees what OpenDoors holds about
them and who read their classroom's evidence, and downloads it all as one ZIP; the page passes
axe and does not scroll sideways at phone and laptop size."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from inquiry.tests.factories import make_round
from visits.models import EvidenceRead

from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def test_a_host_downloads_their_data_from_their_phone(
    page, live_server, transactional_db, personas, screenshots
):
    _, visit = make_round(personas, held=True)
    EvidenceRead.objects.create(
        classroom=visit.classrooms.get(), reader=personas.vice, where="debrief"
    )
    sign_in(page, live_server, "teacher")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="See my data").click()
    expect(page.get_by_role("heading", name="My data", exact=True)).to_be_visible()
    expect(page.get_by_text("1 person read it")).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "my-data")

    page.set_viewport_size(SIZES["phone"])
    with page.expect_download() as started:
        page.get_by_role("link", name="Download my data (ZIP)").click()
    download = started.value
    assert download.suggested_filename.startswith("opendoors-my-data-")
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    assert {"README.txt", "profile.json", "visits.csv"} <= set(archive.namelist())
