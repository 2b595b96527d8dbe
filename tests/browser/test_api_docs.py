"""The API docs (/api/docs) read as a page of the site: every endpoint with its parameters and
schemas, axe-clean, under the Content-Security-Policy, on a phone and on a laptop."""

import pytest
from playwright.sync_api import expect

from .axe import axe_check
from .conftest import SIZES

pytestmark = pytest.mark.browser

NO_PAGE_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_a_developer_reads_the_api_docs_on_a_phone_and_a_laptop(
    page, live_server, transactional_db, screenshots
):
    page.goto(f"{live_server.url}/api/docs")
    expect(page).to_have_title("OpenDoors API · OpenDoors")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for size in SIZES.values():
        page.set_viewport_size(size)
        axe_check(page)
        assert page.evaluate(NO_PAGE_SCROLL), f"the page scrolls sideways at {size['width']} px"
    screenshots(page, "api-docs")

    # Every endpoint is listed and leads to its description and on to its schemas.
    endpoints = page.get_by_role("navigation", name="Endpoints")
    expect(endpoints.get_by_role("link")).to_have_count(3)
    endpoints.get_by_role("link", name="POST /api/visits/{visit_id}/evidence").click()
    sync = page.locator("#visits_api_evidence_sync")
    expect(sync).to_contain_text("visit_id")
    sync.get_by_role("link", name="SyncIn").click()
    expect(page.locator("#schema-SyncIn")).to_be_in_viewport()
    expect(page.locator("#schema-EntryOut")).to_contain_text("At most 5,000 characters")

    page.get_by_role("link", name="The schema as openapi.json").click()
    assert page.url.endswith("/api/openapi.json")
    expect(page.locator("body")).to_contain_text('"openapi"')
