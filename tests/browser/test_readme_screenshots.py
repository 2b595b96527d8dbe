"""The README's screenshots, taken from the demo district: a coach's home board on a laptop,
the capture screen on a phone, and a debrief on a laptop.

Skipped unless asked for, since the pictures are committed and only change when the pages do:

    OPENDOORS_README_SCREENSHOTS=docs/screenshots \
        .venv/bin/pytest tests/browser/test_readme_screenshots.py

Each picture is what the screen shows (not the whole page), small enough to commit: the phone
at 390 px wide, the laptop's 1,366 × 768 screen drawn at 3/4 scale (1,025 px wide).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from inquiry.structures import Structure
from visits.models import Visit

from .conftest import SIZES

README_DIR = os.environ.get("OPENDOORS_README_SCREENSHOTS", "")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.screenshots,
    pytest.mark.skipif(not README_DIR, reason="set OPENDOORS_README_SCREENSHOTS=docs/screenshots"),
]


# The demo's password, chosen here (the demo reads it from the environment): no app, nor
# its tests, imports the demo.
PASSWORD = "screenshots-demo"


def signed_in(browser, live_server, username: str, size: str):
    """A page of a fresh browser context, the demo's `username` signed in."""
    scale = {"phone": 1, "laptop": 0.75}[size]
    context = browser.new_context(viewport=SIZES[size], device_scale_factor=scale)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("[name=login]").fill(username)
    page.locator("[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    return page


def test_readme_screenshots(browser, live_server, transactional_db, monkeypatch):
    monkeypatch.setenv("OPENDOORS_DEMO_PASSWORD", PASSWORD)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    folder = Path(README_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    shots = {"caret": "initial", "scale": "device"}  # (hiding the caret injects a <style>)

    coach = signed_in(browser, live_server, "coach", "laptop")
    coach.reload()  # without the "signed in" message
    expect(coach.get_by_role("heading", name="Welcome")).to_be_visible()
    coach.screenshot(path=folder / "home-coach-laptop.png", **shots)

    walk = Visit.objects.get(cycle__school__slug="lincoln", cycle__structure=Structure.WALK)
    coach.goto(f"{live_server.url}/visits/{walk.pk}/debrief/")
    expect(coach.get_by_role("heading", level=1)).to_be_visible()
    coach.screenshot(path=folder / "debrief-laptop.png", **shots)
    coach.context.close()

    round_visit = Visit.objects.get(
        cycle__school__slug="lincoln", cycle__structure=Structure.ROUNDS
    )
    principal = signed_in(browser, live_server, "principal", "phone")  # observes the round
    principal.goto(f"{live_server.url}/visits/{round_visit.pk}/capture/")
    expect(principal.get_by_role("heading", level=1)).to_be_visible()
    principal.screenshot(path=folder / "capture-phone.png", **shots)
    principal.context.close()
