"""Forms of a district's first run, its settings and its schools: each parses its input into
values the services take, with messages a person can act on."""

from decimal import Decimal
from zoneinfo import available_timezones

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import slugify

from .models import CreditUnit, District, LearningActivity

K_FLOOR = 3  # aggregates over fewer classrooms could point at one teacher
# A credit of more than 1,000 clock hours is a typing slip (a CEU is 10).
MAX_CLOCK_HOURS_PER_CREDIT = Decimal(1000)
TOO_MANY_CLOCK_HOURS = (
    f"At most {MAX_CLOCK_HOURS_PER_CREDIT:,} clock hours per credit: check for an extra digit "
    "(a CEU is 10 clock hours)."
)


def _time_zone(name: str) -> str:
    name = name.strip()
    if name not in available_timezones():
        raise forms.ValidationError(f"“{name}” is not a time zone name like America/Chicago.")
    return name


def _slug_or_from(slug: str, name: str) -> str:
    return slug or slugify(name)[:50]


class DistrictSetupForm(forms.Form):
    """`opendoors setup-district` and the superusers' /district/setup/ page."""

    name = forms.CharField(max_length=200, label="District name")
    slug = forms.SlugField(max_length=50, label="District web address (slug)")
    school_name = forms.CharField(
        max_length=200,
        label="First school's name",
        help_text="A district leader's role is held at one of the district's schools and "
        "counts for all of them: the district starts with this school.",
    )
    school_slug = forms.SlugField(
        max_length=50,
        required=False,
        label="First school's web address (slug)",
        help_text="Left empty: made from the school's name.",
    )
    leader_email = forms.EmailField(max_length=254, label="District leader's email")
    leader_username = forms.CharField(
        max_length=150,
        required=False,
        validators=[UnicodeUsernameValidator()],
        label="District leader's username",
        help_text="Left empty: made from the email. Ignored when someone already has that email.",
    )

    def clean_school_slug(self) -> str:
        slug = _slug_or_from(self.cleaned_data["school_slug"], self.data.get("school_name", ""))
        if not slug:
            raise forms.ValidationError("Give the school a web address of letters and digits.")
        return slug


class DistrictSettingsForm(forms.ModelForm):
    class Meta:
        model = District
        fields = [
            "min_classrooms_for_aggregates",
            "time_zone",
            "minutes_per_clock_hour",
            "default_max_coverages_per_week",
            "default_max_coverages_per_month",
            "evidence_identifiable_years",
            "strategy",
        ]
        labels = {
            "min_classrooms_for_aggregates": "Fewest classrooms in a shared aggregate (k)",
            "time_zone": "Time zone",
            "minutes_per_clock_hour": "Minutes per clock hour",
            "default_max_coverages_per_week": "Most coverages one teacher may give in a week",
            "default_max_coverages_per_month": "Most coverages one teacher may give in a month",
            "evidence_identifiable_years": "Years evidence stays identifiable",
            "strategy": "The district's strategy of improvement",
        }
        widgets = {"strategy": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "min_classrooms_for_aggregates": "Patterns shown beyond a visit's group count at "
            f"least this many teachers' classrooms; never fewer than {K_FLOOR}.",
            "time_zone": "e.g. America/Chicago: new schools start with it.",
            "minutes_per_clock_hour": "For documenting learning: how many minutes of "
            "professional learning count as one clock hour.",
            "default_max_coverages_per_week": "New schools start with these limits from the "
            "collective bargaining agreement; each school can change its own.",
            "evidence_identifiable_years": "After this, evidence no longer names its author "
            "or host.",
            "strategy": "In your own words; each school's improvement goals serve it, and "
            "leaders see them together on the Strategy page.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bounds = {
            "min_classrooms_for_aggregates": (K_FLOOR, 100),
            "minutes_per_clock_hour": (1, 120),
            "default_max_coverages_per_week": (0, 20),
            "default_max_coverages_per_month": (0, 80),
            "evidence_identifiable_years": (1, 50),
        }
        for name, (low, high) in bounds.items():
            field = self.fields[name]
            field.min_value, field.max_value = low, high
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=low, max=high)
        self.fields["min_classrooms_for_aggregates"].error_messages["min_value"] = (
            f"At least {K_FLOOR}: fewer classrooms could point at one teacher."
        )

    def clean_time_zone(self) -> str:
        return _time_zone(self.cleaned_data["time_zone"])

    def clean(self):
        cleaned = super().clean()
        week = cleaned.get("default_max_coverages_per_week")
        month = cleaned.get("default_max_coverages_per_month")
        if week is not None and month is not None and month < week:
            self.add_error(
                "default_max_coverages_per_month", "A month allows at least as many as a week."
            )
        return cleaned


class SchoolAddForm(forms.Form):
    name = forms.CharField(max_length=200, label="School name")
    slug = forms.SlugField(
        max_length=50,
        required=False,
        label="Web address (slug)",
        help_text="Left empty: made from the name. It cannot be changed later.",
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_slug(self) -> str:
        slug = _slug_or_from(self.cleaned_data["slug"], self.data.get("name", ""))
        if not slug:
            raise forms.ValidationError("Give the school a web address of letters and digits.")
        return slug


class SchoolRenameForm(forms.Form):
    name = forms.CharField(max_length=200, label="New name")

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class DistrictCreditsForm(forms.ModelForm):
    """The unit credits are posted in, how many clock hours make one, the rounding, and
    whether learning teachers report counts only once approved."""

    class Meta:
        model = District
        fields = [
            "credit_unit",
            "clock_hours_per_credit",
            "credit_rounding",
            "self_reported_needs_approval",
        ]
        labels = {
            "credit_unit": "Credits are counted in",
            "clock_hours_per_credit": "Clock hours per credit",
            "credit_rounding": "Rounding of the credits a person earns",
            "self_reported_needs_approval": "Self-reported learning needs approval",
        }
        help_texts = {
            "clock_hours_per_credit": "e.g. 10 clock hours make 1 CEU; 1 clock hour makes 1 PDP. "
            "For clock hours it is always 1.",
            "self_reported_needs_approval": "Ticked: learning teachers report themselves "
            "(lesson study, mentoring, reading…) waits for a facilitator, coach or district "
            "leader to approve it, and counts once approved. Not ticked: it counts as "
            "self-reported as soon as it is added. Learning already posted to the district "
            "stays as it was posted.",
        }
        widgets = {"credit_rounding": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        per_credit = self.fields["clock_hours_per_credit"]
        per_credit.required = False  # not asked for clock hours
        per_credit.widget.attrs.update(min="0.01", max=str(MAX_CLOCK_HOURS_PER_CREDIT), step="any")
        decimals = "Give at most two decimals, like 2.5 or 12.75."
        per_credit.error_messages |= {
            "max_digits": decimals,
            "max_decimal_places": decimals,
            "max_whole_digits": TOO_MANY_CLOCK_HOURS,
        }

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("credit_unit")
        per_credit = cleaned.get("clock_hours_per_credit")
        if unit == CreditUnit.CLOCK_HOURS:
            # A clock hour is one clock hour, whatever was left in the box.
            cleaned["clock_hours_per_credit"] = Decimal(1)
        elif per_credit is None:
            self.add_error(
                "clock_hours_per_credit",
                "Give the clock hours that make one credit: e.g. 10 for a CEU, 1 for a PDP.",
            )
        elif per_credit <= 0:
            self.add_error(
                "clock_hours_per_credit",
                "More than 0 clock hours make one credit: e.g. 10 for a CEU, 1 for a PDP.",
            )
        elif per_credit > MAX_CLOCK_HOURS_PER_CREDIT:
            self.add_error("clock_hours_per_credit", TOO_MANY_CLOCK_HOURS)
        return cleaned


class DesignationForm(forms.Form):
    """A designation the state requires (e.g. Washington's equity hours) and the kinds of
    learning that carry it."""

    name = forms.CharField(max_length=100, label="Designation", help_text="e.g. Equity hours")
    description = forms.CharField(
        max_length=300,
        required=False,
        label="What it means (optional)",
        help_text="e.g. Learning about equity, as the state's certificate renewal requires.",
    )
    activities = forms.MultipleChoiceField(
        choices=LearningActivity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Activities that carry it",
        error_messages={"invalid_choice": "Choose activities from the list."},
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        # The hours ledger's CSV separates a row's designations with ";" (FORMATS.md §4).
        if ";" in name:
            raise forms.ValidationError(
                "Leave out “;”: the hours export separates designations with it."
            )
        return name

    def clean_description(self) -> str:
        return " ".join(self.cleaned_data["description"].split())

    def values(self) -> dict:
        """What the designation services take."""
        return {name: self.cleaned_data[name] for name in ("name", "description", "activities")}
