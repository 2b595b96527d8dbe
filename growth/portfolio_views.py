"""The portfolio: the teacher's own page, its shares, and what a share shows.

/portfolio/ is always the signed-in person's own. A named colleague opens a share at
/portfolio/shared/<id>/; anyone with a link opens /p/<token>/ without signing in. Withdrawn
or expired, a share answers a page that says so (404) and shows nothing of the portfolio.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest
from opendoors.navigation import url_or_none
from opendoors.security import private_no_store

from .artifact_views import artifact_response
from .credentials import credentials_panel
from .models import PortfolioShare
from .portfolio import (
    Portfolio,
    portfolio_read,
    portfolio_share_create,
    portfolio_share_withdraw,
    section_labels,
    share_state,
    shares_of,
)
from .portfolio_forms import PortfolioShareForm

NEW_LINK = "portfolio_new_link"  # the session key that carries a new link to the page, once


def _portfolio_page(
    request: AuthenticatedRequest, form: PortfolioShareForm, status: int = 200
) -> HttpResponse:
    owner = access.portfolio_of(request.user)
    portfolio = portfolio_read(owner=owner, own=True)
    artifacts = [
        (artifact, reverse("growth:artifact_download", args=[artifact.pk]))
        for artifact in portfolio.artifacts
    ]
    shares = [
        (share, share_state(share), section_labels(share.sections)) for share in shares_of(owner)
    ]
    context = {
        "portfolio": portfolio,
        "artifacts": artifacts,
        "shares": shares,
        "shared_with_me": access.portfolios_shared_with(owner),
        "form": form,
        "new_link": request.session.pop(NEW_LINK, None),
        "hours_url": url_or_none("growth:my_hours"),
        "credentials": credentials_panel(owner),
    }
    return render(request, "growth/portfolio/portfolio.html", context, status=status)


@require_GET
@login_required
@private_no_store
def portfolio(request: AuthenticatedRequest) -> HttpResponse:
    """My portfolio: everything in it, who I shared it with, and what others shared with me."""
    return _portfolio_page(request, PortfolioShareForm(owner=request.user))


@require_POST
@login_required
@private_no_store
def share_new(request: AuthenticatedRequest) -> HttpResponse:
    form = PortfolioShareForm(request.POST, owner=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = portfolio_share_create(
                owner=request.user,
                sections=data["sections"],
                colleague=data["colleague"] if data["way"] == "colleague" else None,
                days=data["days"] if data["way"] == "link" else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created.token is None:
                messages.success(request, f"Shared with {created.share.colleague}.")
            else:
                link = reverse("growth:link_portfolio", args=[created.token])
                request.session[NEW_LINK] = request.build_absolute_uri(link)
            return redirect(reverse("growth:portfolio") + "#shares-h")
    return _portfolio_page(request, form, status=400)


@require_POST
@login_required
def share_withdraw(request: AuthenticatedRequest, share_id: int) -> HttpResponse:
    share = access.share_for_owner(request.user, share_id)
    portfolio_share_withdraw(share=share)
    messages.success(request, "Withdrawn: the share no longer shows anything.")
    return redirect(reverse("growth:portfolio") + "#shares-h")


def _shared_page(
    request: HttpRequest, share: PortfolioShare, portfolio: Portfolio, download: str, *key
) -> HttpResponse:
    artifacts = [
        (artifact, reverse(download, args=[*key, artifact.pk])) for artifact in portfolio.artifacts
    ]
    context = {"share": share, "portfolio": portfolio, "artifacts": artifacts}
    response = render(request, "growth/portfolio/shared.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _read(share: PortfolioShare) -> Portfolio:
    return portfolio_read(owner=share.owner, sections=tuple(share.sections))


@require_GET
@login_required
@private_no_store
def shared_portfolio(request: AuthenticatedRequest, share_id: int) -> HttpResponse:
    """A colleague's portfolio, shared with me by name: exactly the parts they chose."""
    share = access.share_for_viewer(request.user, share_id)
    return _shared_page(request, share, _read(share), "growth:shared_artifact", share.pk)


@require_GET
@login_required
@private_no_store
def shared_artifact(request: AuthenticatedRequest, share_id: int, artifact_id: int) -> FileResponse:
    share = access.share_for_viewer(request.user, share_id)
    return artifact_response(access.artifact_for_download(request.user, artifact_id, share))


def _link_gone(request: HttpRequest) -> HttpResponse:
    response = render(request, "growth/portfolio/link_gone.html", status=404)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
@private_no_store
def link_portfolio(request: HttpRequest, token: str) -> HttpResponse:
    """A portfolio opened by its link, signed in or not, while the link works."""
    try:
        share = access.share_for_token(token)
    except Http404:
        return _link_gone(request)
    return _shared_page(request, share, _read(share), "growth:link_artifact", token)


@require_GET
@private_no_store
def link_artifact(request: HttpRequest, token: str, artifact_id: int) -> HttpResponseBase:
    try:
        share = access.share_for_token(token)
    except Http404:
        return _link_gone(request)
    return artifact_response(access.artifact_for_download(request.user, artifact_id, share))
