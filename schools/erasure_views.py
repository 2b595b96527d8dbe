"""Erasing the personal data of someone who left, from a school's People page: the district's
leaders only (opendoors.access); the rules are in schools.retention.person_erase."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest

from .forms import PersonEraseForm
from .retention import person_erase
from .services import PeopleChangeRefused


@require_POST
@login_required
def person_erase_view(request: AuthenticatedRequest, slug: str, person_id: int) -> HttpResponse:
    school, person = access.member_for_district_leader(request.user, slug, person_id)
    form = PersonEraseForm(request.POST, person=person)
    if not form.is_valid():
        messages.error(
            request, f"{person} was not erased: {' '.join(str(e) for e in form.errors['name'])}"
        )
        return redirect("schools:people", slug=school.slug)
    name = str(person)  # the service scrubs this object, even when it then rolls back
    try:
        person_erase(school=school, person=person, actor=request.user)
    except PeopleChangeRefused as refused:
        messages.error(request, f"{name} was not erased: {refused.reason}")
    except IntegrityError:
        # Nothing was changed (one transaction): the username it would take is someone's.
        messages.error(
            request, f"{name} was not erased: their data could not be replaced. Try again."
        )
    else:
        messages.success(
            request,
            f"Erased: the personal data of person #{person.pk} is gone; what they captured "
            "or wrote in visits stays, naming nobody.",
        )
    return redirect("schools:people", slug=school.slug)
