"""The menu on every page says where one is and offers what one can do: a teacher, a coach
who facilitates and a principal each see their own links, the current page marked."""

import re

import pytest

from inquiry.tests.factories import make_round
from opendoors.navigation import Navigation
from schools.models import Membership
from schools.tests.factories import make_person, make_school

pytestmark = pytest.mark.django_db


def links(html: str, label: str) -> dict[str, str]:
    """The links of the <nav> named `label`: name -> aria-current ("" when not current)."""
    nav = re.search(rf'<nav[^>]*aria-label="{label}"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, f"no {label} navigation"
    return {
        name: current
        for current, name in re.findall(
            r'<a href="[^"]*"(?: aria-current="(\w+)")?>([^<]+)</a>', nav.group(1)
        )
    }


def page(client, person, url: str) -> str:
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_teacher_reaches_their_visits_cycles_school_and_account(client, personas):
    menu = links(page(client, personas.teacher, "/"), "Main")
    assert list(menu) == ["My visits", "My cycles", "My school", "My portfolio", "My account"]
    assert menu["My visits"] == "page"


def test_a_teacher_sees_the_school_pages_they_may_open_and_no_more(client, personas):
    html = page(client, personas.teacher, "/schools/lincoln/schedule/")
    assert links(html, "Main")["My school"] == "page"
    assert links(html, "Lincoln School") == {
        "Schedule": "page",
        "Patterns": "",
        "Teams": "",
        "Library": "",
        "Celebrations": "",
    }


def test_a_coach_also_imports_the_schedule_and_changes_the_settings(client, personas):
    html = page(client, personas.coach, "/schools/lincoln/patterns/")
    assert links(html, "Main")["My school"] == "true"  # in the section, not its first page
    assert links(html, "Lincoln School") == {
        "Schedule": "",
        "Patterns": "page",
        "Teams": "",
        "Library": "",
        "Celebrations": "",
        "Import": "",
        "Settings": "",
    }


def test_a_principal_manages_the_school_as_a_coach_does(client, personas):
    html = page(client, personas.principal, "/schools/lincoln/settings/")
    assert links(html, "Lincoln School")["Settings"] == "page"
    assert "Import" in links(html, "Lincoln School")


def test_a_cycle_page_is_marked_as_inside_my_cycles(client, personas):
    cycle, _ = make_round(personas)
    menu = links(page(client, personas.coach, f"/cycles/{cycle.pk}/look-fors/"), "Main")
    assert menu["My cycles"] == "true" and menu["My visits"] == ""
    menu = links(page(client, personas.coach, "/schools/lincoln/cycles/"), "Main")
    assert menu["My cycles"] == "page"


def test_the_school_in_the_address_is_the_one_the_menu_is_about(client, personas):
    both = make_person("both", make_school("adams"), "teacher")
    Membership.objects.create(person=both, school=personas.school, role="teacher")
    html = page(client, both, "/schools/lincoln/schedule/")
    assert 'href="/schools/lincoln/cycles/"' in html
    html = page(client, both, "/schools/adams/schedule/")
    assert 'href="/schools/adams/cycles/"' in html
    assert links(html, "Adams School") == {
        "Schedule": "page",
        "Patterns": "",
        "Teams": "",
        "Library": "",
        "Celebrations": "",
    }


def test_someone_in_no_school_sees_only_their_visits_and_account(client, personas):
    loner = make_person("loner")
    assert list(links(page(client, loner, "/"), "Main")) == [
        "My visits",
        "My portfolio",
        "My account",
    ]


def test_the_menu_keeps_the_sign_out_form_session_js_reads(client, personas):
    html = page(client, personas.teacher, "/")
    assert f'data-sign-out data-person="{personas.teacher.pk}"' in html
    assert 'aria-controls="site-menu"' in html and 'id="site-menu"' in html


def test_signed_out_pages_offer_sign_in_and_no_menu(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "data-signed-out" in html and 'aria-label="Main"' not in html


def test_the_menu_costs_one_query_made_only_when_a_page_draws_it(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.teacher)
    request = client.get("/").wsgi_request
    nav = Navigation(request)
    with django_assert_num_queries(0):
        assert nav.view_name == "home"  # reading where one is needs no query
    with django_assert_num_queries(1):
        assert [item.name for item in nav.items][:1] == ["My visits"]
        assert nav.school_links == []
