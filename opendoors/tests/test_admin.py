"""Django's admin at /admin/ is for superusers only: every admin route sends anyone else,
staff included, to the admin's sign-in; a superuser reads the districts, schools, people,
roles and the (read-only) audit log."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from schools.services import audit_record
from schools.tests.factories import make_person

pytestmark = pytest.mark.django_db


def admin_pages() -> list[str]:
    """Every admin route without arguments, and each model's list and add pages."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and "<" not in str(pattern.pattern):
                yield prefix + str(pattern.pattern)

    return sorted(
        "/" + route
        for route in walk(get_resolver().url_patterns)
        if route.startswith("admin/") and "^" not in route and "(?P" not in route
    )


PAGES = admin_pages()
MODELS = ["district", "school", "person", "membership", "auditentry"]


def test_the_admin_s_routes_are_found():
    assert "/admin/" in PAGES
    assert "/admin/schools/district/" in PAGES
    assert "/admin/schools/auditentry/" in PAGES


@pytest.mark.parametrize("page", [p for p in PAGES if not p.endswith(("login/", "logout/"))])
@pytest.mark.parametrize("who", ["principal", "district_leader", "staff"])
def test_nobody_but_a_superuser_opens_the_admin(client, personas, page, who):
    person = personas.by_name(who) if who != "staff" else make_person("staffer", is_staff=True)
    client.force_login(person)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_superuser_reads_every_model_and_the_audit_log_stays_read_only(client, personas):
    audit_record(
        district=personas.school.district, actor=personas.principal, action="x", summary="Hello"
    )
    client.force_login(make_person("root", is_staff=True, is_superuser=True))
    assert client.get("/admin/").status_code == 200
    for model in MODELS:
        assert client.get(f"/admin/schools/{model}/").status_code == 200, model
    assert (
        client.get(f"/admin/schools/person/{personas.district_leader.pk}/change/").status_code
        == 200
    )
    assert client.get("/admin/schools/person/?q=ortiz").status_code == 200
    assert client.get("/admin/schools/auditentry/add/").status_code == 403
