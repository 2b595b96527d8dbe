"""The schedule upload form (checking what can be checked before a file is read) and the
school's settings."""

from zoneinfo import available_timezones

from django import forms
from django.conf import settings

from opendoors.fields import IdsChoiceField

from .models import ImportKind, Person, Role, School

EXTENSIONS = {ImportKind.SCHEDULE_CSV: ".csv", ImportKind.ONEROSTER: ".zip"}


def _size_check(upload, label: str) -> None:
    limit = settings.OPENDOORS_MAX_IMPORT_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            f"{upload.name} is {upload.size / 1024 / 1024:.0f} MB; the limit is "
            f"{limit / 1024 / 1024:.0f} MB. Split the {label} or ask your administrator."
        )
    if upload.size == 0:
        raise forms.ValidationError(f"{upload.name}: the file is empty.")


class ScheduleImportForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ImportKind.choices,
        initial=ImportKind.SCHEDULE_CSV,
        widget=forms.RadioSelect,
        label="What are you importing?",
    )
    file = forms.FileField(
        label="Schedule file",
        help_text="A master-schedule CSV (teacher_id, day, period, section, …) or a OneRoster "
        "ZIP export.",
    )
    bell_file = forms.FileField(
        required=False,
        label="Bell schedule (optional)",
        help_text="bell.csv with day, period, start, end (HH:MM): calendars need clock times.",
    )
    org = forms.CharField(
        required=False,
        max_length=255,
        label="OneRoster org sourcedId (optional)",
        help_text="Only when the export holds several schools, or when its classes belong to "
        "a department or district rather than an org of type school.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _size_check(upload, "file")
        return upload

    def clean_bell_file(self):
        upload = self.cleaned_data.get("bell_file")
        if upload:
            _size_check(upload, "bell schedule")
        return upload

    def clean(self):
        cleaned = super().clean()
        kind, upload = cleaned.get("kind"), cleaned.get("file")
        if kind and upload and not upload.name.lower().endswith(EXTENSIONS[kind]):
            self.add_error(
                "file",
                f"{upload.name} is not a {EXTENSIONS[kind]} file; choose "
                f"“{ImportKind(kind).label}” files, or change the kind above.",
            )
        return cleaned


class ImportApplyForm(forms.Form):
    """Applying a previewed import; removing much of the schedule needs the box ticked."""

    confirm_removals = forms.BooleanField(
        required=False, label="I checked the file: remove what the preview lists as removed"
    )
    # Ticked on the page; a form posted without it sends none (People has "Send invitation").
    send_invitations = forms.BooleanField(
        required=False, label="Send an invitation email to the new people"
    )


class SchoolSettingsForm(forms.ModelForm):
    """What the school's contract and calendar say (coverage limits, new teachers, time zone)
    and who books substitute teachers (told whenever a visit needs one)."""

    OFFICE_FIELDS = ("office_contact_name", "office_contact_email")

    class Meta:
        model = School
        fields = [
            "office_contact_name",
            "office_contact_email",
            "time_zone",
            "max_coverages_per_week",
            "max_coverages_per_month",
            "new_teacher_years",
            "cover_staff",
        ]
        field_classes = {"cover_staff": IdsChoiceField}
        widgets = {"cover_staff": forms.CheckboxSelectMultiple}
        labels = {
            "cover_staff": "Staff who also cover classes (besides teachers)",
            "max_coverages_per_week": "Most coverages one teacher may give in a week",
            "max_coverages_per_month": "Most coverages one teacher may give in a month",
            "new_teacher_years": "A teacher counts as new with this many years or fewer",
            "office_contact_name": "Name",
            "office_contact_email": "Email",
        }
        help_texts = {
            "time_zone": "e.g. America/Chicago: calendar times use it.",
            "office_contact_email": "Whenever a visit needs a substitute, or no longer does, "
            "this address gets the class, room, time and teacher to cover; nothing of the "
            "visit itself.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cover_staff"].queryset = (
            Person.objects.filter(memberships__school=self.instance, is_active=True)
            .exclude(memberships__school=self.instance, memberships__role=Role.TEACHER)
            .distinct()
        )

    def office_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.OFFICE_FIELDS]

    def other_fields(self) -> list[forms.BoundField]:
        return [field for field in self if field.name not in self.OFFICE_FIELDS]

    def clean_office_contact_name(self):
        return " ".join(self.cleaned_data["office_contact_name"].split())

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"].strip()
        if name not in available_timezones():
            raise forms.ValidationError(f"“{name}” is not a time zone name like America/Chicago.")
        return name

    def clean(self):
        cleaned = super().clean()
        week, month = cleaned.get("max_coverages_per_week"), cleaned.get("max_coverages_per_month")
        if week is not None and month is not None and month < week:
            self.add_error("max_coverages_per_month", "A month allows at least as many as a week.")
        # A name without an address tells nobody (a wrong address has its own error).
        email_missing = not cleaned.get("office_contact_email")
        if (
            cleaned.get("office_contact_name")
            and email_missing
            and not self.has_error("office_contact_email")
        ):
            self.add_error(
                "office_contact_email", "Add their email: substitute requests are sent there."
            )
        return cleaned


def _role_choices(may_grant_district_leader: bool) -> list[tuple[str, str]]:
    return [
        (value, label)
        for value, label in Role.choices
        if may_grant_district_leader or value != Role.DISTRICT_LEADER
    ]


class PeopleFilterForm(forms.Form):
    """The People page's filters, read from the query string (all optional; junk is ignored)."""

    q = forms.CharField(max_length=100, required=False, label="Name or email")
    role = forms.ChoiceField(
        required=False, label="Role", choices=[("", "Any role"), *Role.choices]
    )
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Active and inactive"), ("active", "Active"), ("inactive", "Inactive")],
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"q": "", "role": "", "status": ""}
        return {name: self.cleaned_data.get(name) or "" for name in ("q", "role", "status")}


class PersonRolesForm(forms.Form):
    """The roles one person holds at the school, ticked."""

    roles = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Roles"
    )

    def __init__(self, *args, may_grant_district_leader: bool, **kwargs):
        super().__init__(*args, **kwargs)
        roles = self.fields["roles"]
        assert isinstance(roles, forms.MultipleChoiceField)
        roles.choices = _role_choices(may_grant_district_leader)


class PersonAddForm(PersonRolesForm):
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    email = forms.EmailField(max_length=254, label="Email")
    invite = forms.BooleanField(
        required=False,
        initial=True,
        label="Send an invitation now",
        help_text="An email with a link to set their password. You can also send it later.",
    )

    field_order = ["first_name", "last_name", "email", "roles", "invite"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].required = True
        self.fields["roles"].error_messages["required"] = "Tick at least one role."

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Person.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                f"{email} is already someone's address in OpenDoors. If they work here, "
                "search for them above and change their roles; if not, ask a district leader."
            )
        return email


class PersonEmailForm(forms.Form):
    """The address of someone who has not signed in yet: a typo fixed before the invitation
    reaches them, or an address for someone who came without one."""

    email = forms.EmailField(max_length=254, label="Email")
    invite = forms.BooleanField(
        required=False, initial=True, label="Send the invitation to this address"
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class AuditFilterForm(forms.Form):
    school = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="School")

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        school = self.fields["school"]
        assert isinstance(school, forms.TypedChoiceField)
        school.choices = [("", "All schools"), *[(s.pk, s.name) for s in schools]]

    def school_id(self) -> int | None:
        return self.cleaned_data.get("school") if self.is_valid() else None


class PersonEraseForm(forms.Form):
    """Erasing someone's personal data cannot be undone: their name is typed to confirm."""

    name = forms.CharField(max_length=300, label="Type their name to confirm")

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if name.casefold() != str(self.person).casefold():
            raise forms.ValidationError(f"Type their name as it is shown: {self.person}.")
        return name
