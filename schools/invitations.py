"""The page behind an invitation email (`services.person_invite`): public, by its token.

It shows whose account it is and where, and a form to set a password; setting it signs the
person in. A link that expired, was used (the password is set, or they signed in), or names
someone deactivated shows one page that says what to do instead, never an error. The token is
Django's password-reset token (`access.person_for_invitation`).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from opendoors import access

from .models import School

# Signing in here skips allauth's own sign-in; the password was just set, so this is it.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
@never_cache
def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    person = access.person_for_invitation(uidb64, token)
    if person is None:
        return render(request, "schools/invitation_invalid.html")
    form = SetPasswordForm(person, request.POST if request.method == "POST" else None)
    if form.is_valid():
        form.save()
        login(request, person, backend=PASSWORD_BACKEND)
        messages.success(
            request,
            f"Welcome to OpenDoors, {person.first_name or person}. Your password is set; next "
            f"time, sign in with your username {person.username} or your email address.",
        )
        return redirect("home")
    schools = School.objects.filter(memberships__person=person, archived_at__isnull=True)
    context = {"person": person, "schools": schools.distinct().order_by("name"), "form": form}
    return render(request, "schools/invitation.html", context, status=400 if form.errors else 200)
