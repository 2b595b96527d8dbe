"""The district's credit rules and designations: the leader sets the unit (clock hours, CEUs,
PDPs), how many clock hours make one, the rounding, and the designations its state requires
with the activities that carry each; every change is audited, and `credits_from_minutes`
turns minutes of learning into credits by those rules."""

from dataclasses import dataclass, replace
from decimal import Decimal

import pytest
from django.http import Http404

from opendoors import access
from schools.credits import conversion_in_words, credits_from_minutes
from schools.models import (
    AuditEntry,
    CreditDesignation,
    CreditRounding,
    CreditUnit,
    District,
    LearningActivity,
)
from schools.tests.factories import make_district, make_person, make_school

SETTINGS = "/district/riverbend/settings/"


@dataclass
class Rules:
    minutes_per_clock_hour: int = 60
    clock_hours_per_credit: Decimal = Decimal(1)
    credit_unit: str = CreditUnit.CLOCK_HOURS
    credit_rounding: str = CreditRounding.NONE


# --- credits_from_minutes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "rounding", "credits"),
    [
        (0, CreditRounding.NONE, "0.00"),
        (90, CreditRounding.NONE, "1.50"),
        (50, CreditRounding.NONE, "0.83"),  # 0.8333… to the hundredth
        (3, CreditRounding.NONE, "0.05"),  # 0.05 exactly: half up, never down
        (59, CreditRounding.QUARTER_DOWN, "0.75"),
        (45, CreditRounding.QUARTER_DOWN, "0.75"),  # exactly a quarter stays a quarter
        (44, CreditRounding.QUARTER_DOWN, "0.50"),
        (14, CreditRounding.QUARTER_DOWN, "0.00"),
        (99, CreditRounding.TENTH_NEAREST, "1.7"),  # 1.65: half up
        (98, CreditRounding.TENTH_NEAREST, "1.6"),  # 1.633…
        (119, CreditRounding.WHOLE_DOWN, "1"),
        (120, CreditRounding.WHOLE_DOWN, "2"),
    ],
)
def test_minutes_become_clock_hours_rounded_as_the_district_says(minutes, rounding, credits):
    assert credits_from_minutes(minutes, Rules(credit_rounding=rounding)) == Decimal(credits)
    assert str(credits_from_minutes(minutes, Rules(credit_rounding=rounding))) == credits


def test_ceus_and_odd_conversions_are_one_exact_division():
    ceu = Rules(clock_hours_per_credit=Decimal(10), credit_unit=CreditUnit.CEU)
    assert credits_from_minutes(600, ceu) == Decimal("1.00")
    assert credits_from_minutes(90, ceu) == Decimal("0.15")
    # 50-minute clock hours and 2.5 clock hours a credit: 125 minutes are exactly one credit,
    # and 375 minutes exactly three whole ones (never 2.999… rounded down to 2).
    odd = Rules(
        minutes_per_clock_hour=50,
        clock_hours_per_credit=Decimal("2.5"),
        credit_unit=CreditUnit.PDP,
        credit_rounding=CreditRounding.WHOLE_DOWN,
    )
    assert credits_from_minutes(375, odd) == 3
    assert credits_from_minutes(374, odd) == 2
    thirds = Rules(clock_hours_per_credit=Decimal("0.75"))
    quarters = replace(thirds, credit_rounding=CreditRounding.QUARTER_DOWN)
    assert credits_from_minutes(45, quarters) == Decimal("1.00")
    assert credits_from_minutes(180, thirds) == Decimal("4.00")


def test_impossible_minutes_or_rules_are_refused():
    with pytest.raises(ValueError, match="negative"):
        credits_from_minutes(-1, Rules())
    with pytest.raises(ValueError, match="more than 0"):
        credits_from_minutes(60, Rules(clock_hours_per_credit=Decimal(0)))


def test_the_conversion_in_words():
    assert conversion_in_words(Rules()) == "60 minutes = 1 clock hour"
    ceu = Rules(clock_hours_per_credit=Decimal("10.00"), credit_unit=CreditUnit.CEU)
    assert conversion_in_words(ceu) == "60 minutes = 1 clock hour; 10 clock hours = 1 CEU"
    pdp = Rules(minutes_per_clock_hour=50, credit_unit=CreditUnit.PDP)
    assert conversion_in_words(pdp) == "50 minutes = 1 clock hour; 1 clock hour = 1 PDP"
    half = Rules(clock_hours_per_credit=Decimal("2.50"), credit_unit=CreditUnit.PDP)
    assert conversion_in_words(half).endswith("2.5 clock hours = 1 PDP")


# --- The settings page ----------------------------------------------------------------------


def credits_post(client, **values):
    data = {"credit_unit": "ceu", "clock_hours_per_credit": "10", "credit_rounding": "none"}
    return client.post(f"{SETTINGS}credits/", {**data, **values})


@pytest.mark.django_db
def test_the_leader_sets_the_credit_unit_conversion_and_rounding(client, personas):
    client.force_login(personas.district_leader)
    page = client.get(SETTINGS).content.decode()
    assert "60 minutes = 1 clock hour" in page and "Credits are counted in" in page

    response = credits_post(client, credit_rounding="quarter_down")
    assert response.status_code == 302 and response["Location"] == f"{SETTINGS}#credits"
    district = District.objects.get(slug="riverbend")
    assert (district.credit_unit, district.clock_hours_per_credit) == ("ceu", Decimal(10))
    assert district.credit_rounding == CreditRounding.QUARTER_DOWN
    page = client.get(SETTINGS).content.decode()
    assert "60 minutes = 1 clock hour; 10 clock hours = 1 CEU" in page
    summaries = sorted(AuditEntry.objects.values_list("summary", flat=True))
    assert len(summaries) == 3
    assert any("credit unit from Clock hours to Continuing education units" in s for s in summaries)
    assert any("clock hours per credit from 1 to 10" in s for s in summaries)

    # Saved again unchanged: nothing written. Back to clock hours: the conversion is 1.
    credits_post(client, credit_rounding="quarter_down")
    assert AuditEntry.objects.count() == 3
    credits_post(
        client, credit_unit="clock_hours", clock_hours_per_credit="", credit_rounding="none"
    )
    district.refresh_from_db()
    assert (district.credit_unit, district.clock_hours_per_credit) == ("clock_hours", 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "More than 0 clock hours make one credit"),
        ("-2", "More than 0 clock hours make one credit"),
        ("1000.01", "At most 1,000 clock hours per credit"),
        ("12345", "At most 1,000 clock hours per credit"),
        ("2.125", "at most two decimals"),
        ("", "Give the clock hours that make one credit"),
        ("ten", "Enter a number"),
    ],
)
def test_a_conversion_a_leader_can_fix_is_refused_with_a_reason(client, personas, value, message):
    client.force_login(personas.district_leader)
    response = credits_post(client, clock_hours_per_credit=value)
    assert response.status_code == 400 and message in response.content.decode()
    assert District.objects.get(slug="riverbend").credit_unit == CreditUnit.CLOCK_HOURS
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_designations_are_added_edited_and_removed_each_change_audited(client, personas):
    client.force_login(personas.district_leader)
    added = client.post(
        f"{SETTINGS}designations/",
        {
            "name": "  Equity   hours ",
            "description": "Required for certificate renewal",
            "activities": ["debrief", "observed", "reading"],
        },
    )
    assert added.status_code == 302 and added["Location"] == f"{SETTINGS}#designations"
    equity = CreditDesignation.objects.get()
    assert equity.name == "Equity hours"
    # Kept in the order of the list of activities, whatever the order posted.
    assert equity.activities == ["observed", "debrief", "reading"]
    page = client.get(SETTINGS).content.decode()
    assert "Carried by: Observing a visit, Debrief, Professional reading" in page

    # The same name again, in other letters: refused, with what to do.
    again = client.post(f"{SETTINGS}designations/", {"name": "EQUITY HOURS"})
    assert again.status_code == 400
    assert "already has a designation called “EQUITY HOURS”" in again.content.decode()

    edited = client.post(
        f"{SETTINGS}designations/{equity.pk}/",
        {"name": "Equity", "activities": [LearningActivity.LESSON_STUDY]},
    )
    assert edited.status_code == 302
    equity.refresh_from_db()
    assert (equity.name, equity.description, equity.activities) == ("Equity", "", ["lesson_study"])
    client.post(f"{SETTINGS}designations/{equity.pk}/", {"name": "Equity", "activities": []})
    equity.refresh_from_db()
    assert equity.activities == []
    nothing = client.post(f"{SETTINGS}designations/{equity.pk}/", {"name": "Equity"})
    assert nothing.status_code == 302

    removed = client.post(f"{SETTINGS}designations/{equity.pk}/remove/")
    assert removed.status_code == 302 and not CreditDesignation.objects.exists()
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "summary"))
    assert [a for a, _ in actions] == [
        "designation_added",
        "designation_changed",
        "designation_changed",
        "designation_removed",
    ]
    assert "carried by observing a visit, debrief, professional reading" in actions[0][1]
    assert "renamed it “Equity”; changed its description; changed its activities" in actions[1][1]
    assert "to no activity yet" in actions[2][1]


@pytest.mark.django_db
def test_a_designation_edit_a_leader_can_fix_is_shown_open_with_its_reason(client, personas):
    district = personas.school.district
    equity = CreditDesignation.objects.create(district=district, name="Equity")
    CreditDesignation.objects.create(district=district, name="Content area")
    client.force_login(personas.district_leader)

    taken = client.post(f"{SETTINGS}designations/{equity.pk}/", {"name": "content AREA"})
    assert taken.status_code == 400
    html = taken.content.decode()
    assert "already has a designation called" in html and "<details open>" in html
    junk = client.post(
        f"{SETTINGS}designations/{equity.pk}/", {"name": "Equity", "activities": ["golf"]}
    )
    assert junk.status_code == 400 and "Choose activities from the list" in junk.content.decode()
    empty = client.post(f"{SETTINGS}designations/", {"name": " "})
    assert empty.status_code == 400 and "This field is required" in empty.content.decode()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_designation_is_its_district_s_leaders_alone(personas):
    far = make_school("faraway", district=make_district("far"))
    elsewhere = make_person("elsewhere", far, "district_leader")
    equity = CreditDesignation.objects.create(district=personas.school.district, name="Equity")
    assert access.designation_for_leader(personas.district_leader, "riverbend", equity.pk) == equity
    for person, slug in (
        (elsewhere, "far"),
        (elsewhere, "riverbend"),
        (personas.principal, "riverbend"),
    ):
        with pytest.raises(Http404):
            access.designation_for_leader(person, slug, equity.pk)


def test_a_designation_name_with_a_semicolon_is_refused_since_the_export_separates_with_it(
    client, personas
):
    client.force_login(personas.district_leader)
    response = client.post(
        "/district/riverbend/settings/designations/",
        {"name": "Equity; STEM", "description": "", "activities": ["debrief"]},
    )
    assert response.status_code == 400
    assert "Leave out “;”" in response.content.decode()
