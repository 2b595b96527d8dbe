"""A district leader runs the district from its pages on a phone and a laptop: the schools,
the district settings, a school's People page and the audit log. A principal adds a coach from
the People page. Every page passes axe and never scrolls sideways."""

import pytest
from playwright.sync_api import expect

from schools.models import Person
from schools.services import invitation_link

from .axe import axe_check
from .conftest import NO_PAGE_SCROLL, SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def test_a_district_leader_opens_every_district_page(
    page, live_server, transactional_db, personas, screenshots
):
    district = personas.school.district
    sign_in(page, live_server, "district")
    page.get_by_role("link", name="District").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text(personas.school.name).first).to_be_visible()
    checked_at_both_sizes(page)
    screenshots(page, "district-schools")

    for path in (
        f"/district/{district.slug}/settings/",
        f"/district/{district.slug}/audit/",
        f"/schools/{personas.school.slug}/people/",
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        checked_at_both_sizes(page)
        screenshots(page, path.strip("/").replace("/", "-"))


def test_a_principal_adds_a_coach_on_a_phone(
    page, live_server, transactional_db, personas, screenshots
):
    sign_in(page, live_server, "principal")
    page.set_viewport_size(SIZES["phone"])
    page.goto(f"{live_server.url}/schools/{personas.school.slug}/people/")
    page.get_by_label("First name").fill("Cy")
    page.get_by_label("Last name").fill("Coach")
    page.get_by_role("textbox", name="Email", exact=True).fill("cy@example.org")
    page.get_by_role("checkbox", name="Coach", exact=True).check()
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Cy Coach added")).to_be_visible()
    cy = Person.objects.get(email="cy@example.org")
    assert cy.memberships.filter(role="coach").exists() and cy.invited_at is not None
    axe_check(page)
    assert page.evaluate(NO_PAGE_SCROLL)
    screenshots(page, "person-added")
    # Sending it again at once is refused in place, saying from when it can be sent.
    page.get_by_role("button", name="Send again to Cy Coach").click()
    expect(page.get_by_text("you can send it again from")).to_be_visible()
    axe_check(page)
    # The address had a typo: fixed before Cy signs in, the invitation goes to the new one.
    email = page.locator("details", has=page.locator("summary[aria-label='Email of Cy Coach']"))
    email.locator("summary").click()
    email.get_by_role("textbox", name="Email").fill("cy.coach@example.org")
    email.get_by_role("button", name="Save email").click()
    expect(page.get_by_text("the invitation was sent there")).to_be_visible()
    cy.refresh_from_db()
    assert cy.email == "cy.coach@example.org" and cy.invited_at is not None
    axe_check(page)
    assert page.evaluate(NO_PAGE_SCROLL)


def test_an_invited_coach_sets_a_password_on_a_phone(
    page, live_server, transactional_db, personas, screenshots
):
    cy = Person(username="cy", first_name="Cy", last_name="Coach", email="cy@example.org")
    cy.set_unusable_password()
    cy.save()
    cy.memberships.create(school=personas.school, role="coach")
    link = invitation_link(cy)
    page.goto(live_server.url + link[link.index("/accounts/") :])
    expect(page.get_by_role("heading", name="Welcome, Cy Coach")).to_be_visible()
    checked_at_both_sizes(page)
    page.set_viewport_size(SIZES["phone"])
    screenshots(page, "invitation")
    page.locator("input[name=new_password1]").fill("a-door-left-open-7")
    page.get_by_label("New password confirmation").fill("a-door-left-open-7")
    page.get_by_role("button", name="Set my password and sign in").click()
    expect(page.get_by_text("Welcome to OpenDoors, Cy")).to_be_visible()
