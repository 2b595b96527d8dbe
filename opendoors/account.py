"""The account page: a person's name, email, password, calendar address and email choices.

Passwords are changed on django-allauth's own page and the calendar address on the
calendar page (visits.views.calendar); this page links to both. The email address is
changed here and recorded as an allauth EmailAddress that nobody has verified: single sign-on
connects a school account to a person by email only through a verified address or the one an
import gave them (opendoors.adapters), never through an address someone typed here. Changing
the address needs the current password and is throttled per person, so the refusal of an
address already in use cannot be used to find out who has an account.
"""

from allauth.account.models import EmailAddress
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import BaseUserManager
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from schools.models import Person

from .http import AuthenticatedRequest

# Attempts to change one's email address, per person per hour: plenty for typos, too few to
# probe which addresses have an account.
EMAIL_CHANGES_PER_HOUR = 10


def email_change_attempt_allowed(person: Person) -> bool:
    """Count one attempt to change the person's address; False once they made too many this hour."""
    key = f"account:email-change:{person.pk}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        attempts = cache.incr(key)
    except ValueError:  # the hour ended between add and incr
        cache.set(key, 1, timeout=60 * 60)
        attempts = 1
    return attempts <= EMAIL_CHANGES_PER_HOUR


def email_trusted(person: Person, email: str) -> bool:
    """Single sign-on may connect to this person by this address: allauth verified it, or it is
    the address an import gave them (imports write Person.email and no allauth record). An
    address typed on the account page has an unverified record, so it is not trusted."""
    records = [a.verified for a in EmailAddress.objects.filter(user=person, email__iexact=email)]
    if records:
        return any(records)
    return (person.email or "").lower() == email.lower()


def email_taken(email: str, *, by_other_than: Person) -> bool:
    """Someone else signs in with this address (in either place allauth looks it up)."""
    others = Person.objects.exclude(pk=by_other_than.pk).filter(email__iexact=email)
    other_addresses = EmailAddress.objects.exclude(user=by_other_than).filter(email__iexact=email)
    return others.exists() or other_addresses.exists()


@transaction.atomic
def change_email(person: Person, email: str) -> None:
    """The person's one address from now on, recorded in allauth as the primary, unverified
    address (so single sign-on does not connect by it). The old addresses go: one left there
    would still sign in and still receive password resets."""
    person.email = email
    person.save(update_fields=["email"])
    addresses = EmailAddress.objects.filter(user=person)
    addresses.exclude(email__iexact=email).delete()
    address = addresses.filter(email__iexact=email).first() or EmailAddress.objects.create(
        user=person, email=email.lower(), verified=False
    )
    if not address.primary:
        address.set_as_primary()


class ProfileForm(forms.ModelForm):
    """Name and email; a new email needs the current password (a borrowed, still signed-in
    browser must not be able to move someone's password resets to another inbox)."""

    current_password = forms.CharField(
        label="Current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only when you change your email address.",
    )

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "email"]
        labels = {"email": "Email address"}
        help_texts = {"email": "Where OpenDoors sends visit emails and password resets."}
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    instance: Person

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["first_name"].required = True
        self.fields["email"].required = True
        self.signs_in_with_password = self.instance.has_usable_password()
        if not self.signs_in_with_password:
            # Signed in only through the school's single sign-on: that account owns the address.
            email = self.fields["email"]
            email.disabled = True
            email.help_text = "It comes from your school’s sign-in; ask its office to change it."
            del self.fields["current_password"]

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, object] | None:
        """A new address: within the hour's attempts, then the password, and only then whether
        it is free, so that nobody learns which addresses have an account without both."""
        cleaned = super().clean()
        email = self.cleaned_data.get("email")
        if "email" not in self.changed_data or not email:
            return cleaned
        if not email_change_attempt_allowed(self.instance):
            self.add_error(
                "email", "You tried to change your address too many times. Try again in an hour."
            )
            return cleaned
        password = self.cleaned_data.get("current_password") or ""
        if not self.instance.check_password(password):
            self.add_error(
                "current_password",
                "Type your current password to change your email address."
                if not password
                else "That is not your current password.",
            )
        elif email_taken(email, by_other_than=self.instance):
            self.add_error(
                "email",
                "This address cannot be used for your account. Use your own school address,"
                " or ask your school’s office if it is yours.",
            )
        return cleaned

    def save(self, commit: bool = True) -> Person:
        person = self.instance
        # Names here; the email through change_email, which keeps allauth's records in step.
        person.save(update_fields=["first_name", "last_name"])
        if "email" in self.changed_data:
            change_email(person, self.cleaned_data["email"])
        return person


class EmailChoicesForm(forms.ModelForm):
    """Which emails a person wants. Visits stay on their home page and in their calendar."""

    class Meta:
        model = Person
        fields = ["email_visit_changes", "email_reminders"]
        labels = {
            "email_visit_changes": "Changes to my visits",
            "email_reminders": "Reminders",
        }


class SectionForm(forms.Form):
    """Which part of the page was sent: each part has its own Save button."""

    section = forms.ChoiceField(choices=[("profile", "profile"), ("emails", "emails")])


@require_http_methods(["GET", "POST"])
@login_required
def account_page(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user
    profile = ProfileForm(instance=person, prefix="profile")
    choices = EmailChoicesForm(instance=person, prefix="emails")
    status = 200
    if request.method == "POST":
        section = SectionForm(request.POST)
        if not section.is_valid():
            return HttpResponseBadRequest("Send the form from the account page.")
        if section.cleaned_data["section"] == "profile":
            profile = ProfileForm(request.POST, instance=person, prefix="profile")
            if profile.is_valid():
                profile.save()
                messages.success(request, "Your name and email address are saved.")
                return redirect("account")
        else:
            choices = EmailChoicesForm(request.POST, instance=person, prefix="emails")
            if choices.is_valid():
                choices.save()
                messages.success(request, "Your email choices are saved.")
                return redirect("account")
        status = 400
        # A failed form changed the instance in memory; the other form shows what is saved.
        person.refresh_from_db()
    return render(
        request,
        "account/account.html",
        {"profile": profile, "choices": choices},
        status=status,
    )
