"""Credential pages (growth/credentials.py): claiming one for a completed cycle, downloading
it and the whole record, the public issuer documents any verifier reads (profile, keys,
status list), the public verify page, and the district leaders' revocation page."""

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest
from opendoors.security import private_no_store
from schools.models import District

from .credentials import (
    MAX_CREDENTIAL_CHARS,
    STATUS_LIST_BITS,
    CredentialRefused,
    CredentialsNotSetUp,
    Verdict,
    clr_signed,
    credential_claim,
    credential_revoke,
    credential_verify,
    document_of,
    issuer_profile,
    jwks,
    key_document,
    key_thumbprint,
    record_districts,
    signing_key,
    status_list_signed,
)

JWT_TYPE = "application/jwt"
JSON_TYPE = "application/json"
# Status indexes are positive 32-bit integers: lists beyond these hold none.
MAX_LISTS = 2**31 // STATUS_LIST_BITS
KINDS = {"jwt", "json"}


def _portfolio_credentials() -> str:
    return reverse("growth:portfolio") + "#credentials-h"


@require_POST
@login_required
@private_no_store
def claim(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_credential_claim(request.user, cycle_id)
    try:
        credential = credential_claim(person=request.user, cycle=cycle)
    except (CredentialRefused, CredentialsNotSetUp) as refused:
        messages.error(request, str(refused))
    else:
        if credential.revoked_at:
            messages.error(request, f"The district revoked your credential for {cycle.title}.")
        else:
            messages.success(request, f"Your credential for {cycle.title} is ready to download.")
    return redirect(_portfolio_credentials())


def _download(body: str, filename: str, kind: str) -> HttpResponse:
    response = HttpResponse(body, content_type=JWT_TYPE if kind == "jwt" else JSON_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


def _readable(signed: str) -> str:
    return json.dumps(document_of(signed), indent=2, ensure_ascii=False) + "\n"


@require_GET
@login_required
@private_no_store
def download(request: AuthenticatedRequest, credential_id: UUID, kind: str) -> HttpResponse:
    """One's own credential: the signed .jwt to hand on, or its readable .json."""
    credential = access.credential_for_holder(request.user, credential_id)
    if kind not in KINDS:
        raise Http404
    body = credential.signed if kind == "jwt" else _readable(credential.signed)
    name = slugify(credential.cycle.title if credential.cycle else "cycle") or "cycle"
    return _download(body, f"credential-{name}.{kind}", kind)


@require_GET
@login_required
@private_no_store
def record(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """The whole record as a signed CLR 2.0, from the district named (else the first)."""
    districts = record_districts(request.user)
    chosen = [d for d in districts if d.slug == request.GET.get("district")] or districts[:1]
    if kind not in KINDS or not chosen:
        raise Http404
    try:
        signed = clr_signed(person=request.user, district=chosen[0])
    except CredentialsNotSetUp as missing:
        messages.error(request, str(missing))
        return redirect(_portfolio_credentials())
    body = signed if kind == "jwt" else _readable(signed)
    return _download(body, f"learning-record-{chosen[0].slug}.{kind}", kind)


# Public documents for verifiers: no sign-in, cacheable for a few minutes (a revocation shows
# in the status list within that time).
PUBLIC = cache_control(public=True, max_age=300)


def _issuer(slug: str) -> tuple[District, Any]:
    district = access.issuing_district(slug)
    key = signing_key()
    if key is None:  # a district without credentials publishes nothing
        raise Http404
    return district, key


@require_GET
@PUBLIC
def issuer(request: HttpRequest, slug: str) -> HttpResponse:
    district, _ = _issuer(slug)
    return JsonResponse(issuer_profile(district), json_dumps_params={"indent": 2})


@require_GET
@PUBLIC
def key_set(request: HttpRequest, slug: str) -> HttpResponse:
    district, key = _issuer(slug)
    return JsonResponse(jwks(district, key), json_dumps_params={"indent": 2})


@require_GET
@PUBLIC
def public_key(request: HttpRequest, slug: str, thumbprint: str) -> HttpResponse:
    """The JWK a credential's `kid` names (OB 3.0 §8.2.3: "a URI that can be dereferenced to
    an object of type JWK")."""
    district, key = _issuer(slug)
    if thumbprint != key_thumbprint(key):
        raise Http404
    return JsonResponse(key_document(district, key), json_dumps_params={"indent": 2})


@require_GET
@PUBLIC
def status_list(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    district, key = _issuer(slug)
    if not 1 <= number <= MAX_LISTS:
        raise Http404
    return HttpResponse(status_list_signed(district, number, key), content_type=JWT_TYPE)


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label="Paste the credential",
        required=False,
        strip=True,
        max_length=MAX_CREDENTIAL_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text="The whole text of the .jwt file: three long parts separated by dots.",
    )
    file = forms.FileField(
        label="Or choose the file",
        required=False,
        help_text="The credential's .jwt file.",
        widget=forms.ClearableFileInput(attrs={"accept": ".jwt,.txt,application/jwt"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        text = cleaned.get("credential") or ""
        if upload is not None:
            if upload.size > MAX_CREDENTIAL_CHARS:
                self.add_error("file", "This file is far larger than any credential.")
                return cleaned
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", "This file is not a credential: it is not text.")
                return cleaned
        if "\x00" in text:
            self.add_error("credential", "This is not a credential: it holds a NUL character.")
        elif not text.strip() and not self.errors:
            self.add_error("credential", "Paste a credential, or choose its file.")
        cleaned["text"] = text
        return cleaned


HEADLINES = {
    Verdict.VALID: "Genuine",
    Verdict.REVOKED: "Revoked",
    Verdict.TAMPERED: "Not genuine",
    Verdict.ELSEWHERE: "Not from this site",
    Verdict.MALFORMED: "Not a credential",
}


@require_http_methods(["GET", "POST"])
@private_no_store
def verify(request: HttpRequest) -> HttpResponse:
    """Public: anyone pastes or uploads a credential and learns whether it is genuine."""
    result = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            result = credential_verify(form.cleaned_data["text"])
    else:
        form = VerifyForm()
    context = {
        "form": form,
        "result": result,
        "headline": HEADLINES[result.verdict] if result else "",
        "summary": _summary(result.document) if result and result.document else None,
    }
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "growth/credentials/verify.html", context, status=status)


def _summary(document: dict[str, Any]) -> dict[str, Any]:
    """What the page shows of a verified credential: who, what, when, how much."""
    subject = document.get("credentialSubject") or {}
    names = [i.get("identityHash") for i in subject.get("identifier") or [] if isinstance(i, dict)]
    achievements = subject.get("achievement")
    if isinstance(achievements, dict):
        achievements = [achievements]
    return {
        "name": document.get("name"),
        "description": document.get("description"),
        "issuer": (document.get("issuer") or {}).get("name"),
        "learner": ", ".join(str(n) for n in names if n),
        "valid_from": _moment(document.get("validFrom")),
        "achievements": [a.get("name") for a in achievements or [] if isinstance(a, dict)],
        "credits": subject.get("creditsEarned"),
    }


def _moment(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


# The district leaders' page ---------------------------------------------------------------


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why (kept in the district's audit log)",
        max_length=300,
        widget=forms.TextInput(),
    )


CREDENTIALS_PER_PAGE = 50


@require_GET
@login_required
@private_no_store
def district_credentials(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Every credential the district issued, newest first, to revoke one issued in error.
    District leaders only: it names people (as the hours export does)."""
    district, credentials = access.credentials_for_leader(request.user, slug)
    newest_first = credentials.select_related("person", "cycle").order_by("-issued_at", "-pk")
    context = {
        "district": district,
        "credentials": Paginator(newest_first, CREDENTIALS_PER_PAGE).get_page(
            request.GET.get("page")
        ),
        "form": RevokeForm(),
        "set_up": signing_key() is not None,
    }
    return render(request, "growth/credentials/district.html", context)


@require_POST
@login_required
@private_no_store
def revoke(request: AuthenticatedRequest, slug: str, credential_id: UUID) -> HttpResponse:
    credential = access.credential_for_revoker(request.user, slug, credential_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the credential is revoked, in up to 300 characters.")
    elif credential_revoke(
        credential=credential, reason=form.cleaned_data["reason"], by=request.user
    ):
        messages.success(request, f"Revoked {credential.person}'s credential.")
    else:
        messages.info(request, "That credential was revoked already.")
    return redirect("growth:district_credentials", slug=slug)
