"""A colleague gives a shout-out on her phone; the teacher celebrated finds it waiting for
her alone and makes it public to the school, where a third colleague reads it. Both pages pass
axe at phone and laptop size."""

import pytest
from playwright.sync_api import expect

from .conftest import SIZES, checked_at_both_sizes, sign_in

pytestmark = pytest.mark.browser


def test_a_shout_out_is_given_and_the_celebrated_teacher_makes_it_public(
    page, live_server, transactional_db, personas, screenshots
):
    school = f"{live_server.url}/schools/{personas.school.slug}/celebrations/"
    sign_in(page, live_server, "colleague")
    page.set_viewport_size(SIZES["phone"])
    page.goto(school)
    checked_at_both_sizes(page)
    page.set_viewport_size(SIZES["phone"])
    page.get_by_label("Who are you celebrating?").select_option(
        label=personas.teacher.get_full_name()
    )
    page.get_by_label("What did they do for students' learning?").fill(
        "Her exit tickets let every student show their thinking"
    )
    page.get_by_role("button", name="Send the shout-out").click()
    expect(page.get_by_text("They choose whether their team or the school sees it")).to_be_visible()
    expect(page.get_by_text("exit tickets let every student")).to_have_count(0)  # still private
    screenshots(page, "shout-out-given")

    page.context.clear_cookies()
    sign_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/celebrations/")
    expect(
        page.get_by_text("Her exit tickets let every student show their thinking")
    ).to_be_visible()
    checked_at_both_sizes(page)
    page.get_by_label("My school").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Shown to your school.")).to_be_visible()
    screenshots(page, "shout-out-made-public")

    page.context.clear_cookies()
    sign_in(page, live_server, "bystander")
    page.goto(school)
    expect(
        page.get_by_text("Her exit tickets let every student show their thinking")
    ).to_be_visible()
