"""A district's first run, its settings and its schools: the district's leaders manage them,
everything is written to the audit log, and an archived school leaves the lists of schools."""

import pytest
from django.core.management import CommandError, call_command

from opendoors import access
from schools.models import AuditEntry, District, Membership, Person, Role, School
from schools.tests.factories import make_person

pytestmark = pytest.mark.django_db


def setup(**extra) -> str:
    from io import StringIO

    out = StringIO()
    options = {
        "name": "Lakeside Unified",
        "slug": "lakeside",
        "school_name": "Harbor Middle School",
        "leader_email": "Dana@Lakeside.example",
        **extra,
    }
    call_command("setup_district", stdout=out, **options)
    return out.getvalue()


def test_setup_district_creates_the_district_its_first_school_and_leader_once():
    said = setup(leader_username="dana")
    district = District.objects.get(slug="lakeside")
    school = School.objects.get(slug="harbor-middle-school")
    dana = Person.objects.get(username="dana")
    assert school.district == district and dana.email == "dana@lakeside.example"
    assert not dana.has_usable_password()
    assert Membership.objects.filter(person=dana, school=school, role=Role.DISTRICT_LEADER).exists()
    assert access.district_for_leader(dana, "lakeside") == district
    assert "district leader dana" in said and "Forgot your password" in said
    entry = AuditEntry.objects.get(district=district)
    assert entry.action == "district_set_up" and "Harbor Middle School" in entry.summary

    again = setup(name="Another name", school_name="Other", leader_email="x@example.org")
    assert "already exists: nothing changed" in again
    assert District.objects.get(slug="lakeside").name == "Lakeside Unified"
    assert School.objects.count() == 1 and AuditEntry.objects.count() == 1


def test_setup_district_takes_an_existing_person_and_refuses_bad_input(personas):
    setup(leader_email=personas.principal.email.upper(), school_slug="harbor")
    assert access.leads_district(personas.principal, District.objects.get(slug="lakeside").pk)
    with pytest.raises(CommandError, match="--slug"):
        setup(slug="not a slug")
    with pytest.raises(CommandError, match="already another school's"):
        setup(slug="elsewhere", school_slug="lincoln")
    with pytest.raises(CommandError, match="username “teacher” is already"):
        setup(slug="elsewhere", leader_email="new@example.org", leader_username="teacher")
    assert not District.objects.filter(slug="elsewhere").exists()


def test_a_superuser_sets_up_a_district_on_the_setup_page(client):
    root = make_person("root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get("/district/setup/").status_code == 200
    data = {
        "name": "Lakeside",
        "slug": "lakeside",
        "school_name": "Harbor",
        "leader_email": "dana@example.org",
    }
    response = client.post("/district/setup/", data)
    assert response.status_code == 302 and response["Location"] == "/district/lakeside/schools/"
    assert AuditEntry.objects.get().actor == root
    again = client.post("/district/setup/", {**data, "school_slug": "other"})
    assert again.status_code == 400
    assert "already has this web address: nothing was changed" in again.content.decode()
    refused = client.post("/district/setup/", {**data, "slug": "new", "school_slug": "harbor"})
    assert "already another school" in refused.content.decode()


def test_the_leader_changes_the_district_s_settings_each_change_audited(client, personas):
    client.force_login(personas.district_leader)
    page = client.get("/district/riverbend/settings/")
    assert page.status_code == 200 and "/district/riverbend/schools/" in page.content.decode()
    settings = {
        "min_classrooms_for_aggregates": 4,
        "time_zone": "America/Chicago",
        "minutes_per_clock_hour": 50,
        "default_max_coverages_per_week": 1,
        "default_max_coverages_per_month": 3,
        "evidence_identifiable_years": 3,
    }
    assert client.post("/district/riverbend/settings/", settings).status_code == 302
    district = District.objects.get(slug="riverbend")
    assert (district.min_classrooms_for_aggregates, district.time_zone) == (4, "America/Chicago")
    summaries = set(AuditEntry.objects.values_list("summary", flat=True))
    assert any("(k) from 3 to 4" in s for s in summaries)
    assert any("time zone from America/New_York to America/Chicago" in s for s in summaries)
    assert AuditEntry.objects.count() == 5  # the identifiable years did not change
    # Unchanged: nothing written.
    assert client.post("/district/riverbend/settings/", settings).status_code == 302
    assert AuditEntry.objects.count() == 5


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("min_classrooms_for_aggregates", 2, "At least 3"),
        ("time_zone", "Mars/Olympus", "is not a time zone name"),
        ("default_max_coverages_per_month", 0, "at least as many as a week"),
        ("minutes_per_clock_hour", "many", "Enter a whole number"),
    ],
)
def test_settings_a_person_can_fix_are_refused_with_a_reason(
    client, personas, field, value, message
):
    client.force_login(personas.district_leader)
    settings = {
        "min_classrooms_for_aggregates": 3,
        "time_zone": "America/New_York",
        "minutes_per_clock_hour": 60,
        "default_max_coverages_per_week": 2,
        "default_max_coverages_per_month": 4,
        "evidence_identifiable_years": 3,
        field: value,
    }
    response = client.post("/district/riverbend/settings/", settings)
    assert response.status_code == 400 and message in response.content.decode()
    assert District.objects.get(slug="riverbend").min_classrooms_for_aggregates == 3
    assert not AuditEntry.objects.exists()


def test_the_leader_adds_renames_and_archives_schools(client, personas):
    district = personas.school.district
    district.time_zone, district.default_max_coverages_per_week = "America/Denver", 1
    district.save()
    client.force_login(personas.district_leader)
    page = client.get("/district/riverbend/schools/").content.decode()
    assert "Lincoln School" in page and "Roosevelt School" in page
    assert "/district/riverbend/settings/" in page

    assert (
        client.post("/district/riverbend/schools/", {"name": "Carver  Middle"}).status_code == 302
    )
    carver = School.objects.get(slug="carver-middle")
    assert (carver.name, carver.district, carver.time_zone) == (
        "Carver Middle",
        district,
        "America/Denver",
    )
    assert carver.max_coverages_per_week == 1
    taken = client.post("/district/riverbend/schools/", {"name": "X", "slug": "lincoln"})
    assert taken.status_code == 400 and "already another school" in taken.content.decode()

    client.post(f"/district/riverbend/schools/{carver.pk}/rename/", {"name": "Carver Academy"})
    assert School.objects.get(pk=carver.pk).name == "Carver Academy"
    client.post(f"/district/riverbend/schools/{carver.pk}/rename/", {"name": "  "})
    client.post(f"/district/riverbend/schools/{carver.pk}/rename/", {"name": "Carver Academy"})
    nameless = client.post("/district/riverbend/schools/", {"name": "!!!"})
    assert "letters and digits" in nameless.content.decode()
    assert School.objects.get(pk=carver.pk).name == "Carver Academy"

    client.post(f"/district/riverbend/schools/{personas.other_school.pk}/archive/")
    assert School.objects.get(pk=personas.other_school.pk).archived_at is not None
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["school_added", "school_renamed", "school_archived"]
    # Archived twice: nothing more written; brought back.
    client.post(f"/district/riverbend/schools/{personas.other_school.pk}/archive/")
    assert AuditEntry.objects.count() == 3
    client.post(f"/district/riverbend/schools/{personas.other_school.pk}/unarchive/")
    assert School.objects.get(pk=personas.other_school.pk).archived_at is None
    assert AuditEntry.objects.first().action == "school_unarchived"  # newest first


def test_an_archived_school_leaves_the_home_page_and_the_menu(client, personas):
    from schools.services import school_archived_set

    school_archived_set(school=personas.other_school, actor=personas.district_leader, archived=True)
    assert [s for s, _, _ in access.schools_with_rights(personas.district_leader)] == [
        personas.school
    ]
    assert access.schools_with_rights(personas.outsider) == []
    client.force_login(personas.outsider)
    page = client.get("/").content.decode()
    assert "Roosevelt School" not in page
    assert 'href="/schools/roosevelt/' not in page


def test_the_menu_has_a_district_entry_for_district_leaders_only(client, personas):
    client.force_login(personas.district_leader)
    page = client.get("/district/riverbend/settings/")
    items = {item.name: item for item in page.context["nav"].items}
    assert items["District"].url == "/district/riverbend/schools/"
    assert items["District"].current == "true"
    client.force_login(personas.principal)
    items = {item.name for item in client.get("/").context["nav"].items}
    assert "District" not in items
