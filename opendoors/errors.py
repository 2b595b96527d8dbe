"""Friendly 403, 404 and 500 pages, in the site's layout, in every mode.

Django shows its technical pages when DEBUG is on, and the demo runs with DEBUG on: a teacher
following a debrief link they may not open would read a list of the site's URL patterns.
`handler403/404/500` (opendoors/urls.py) answer in production; `FriendlyErrorPagesMiddleware`
answers the same pages in development. A developer still reads every traceback in the
console (Django logs it before this middleware sees the response) and in test failures.

A 404 never says whether what was asked for exists: `opendoors.access` answers 404 for
anything a person may not see, so these pages say the same for a mistyped address and for a
debrief of someone else's round. A 403 is only raised once a person may see the thing, so
its reason (the access function's message) is shown.
"""

import logging
from collections.abc import Callable

from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)

# Marks a response as one of these pages, so the middleware never replaces it again.
FRIENDLY = "opendoors_friendly_error"


def bare_page(title: str, text: str) -> str:
    """The last resort when a page's template cannot be drawn (broken settings, static files
    not collected): plain HTML that needs nothing at all."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} · OpenDoors</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>{title}</h1>
<p>{text} <a href="/">Go to your home page</a>.</p>
</main></body></html>
"""


BARE = {
    403: bare_page("Not allowed", "This is not yours to open or change."),
    404: bare_page("Page not found", "We can’t show you this page."),
    500: bare_page(
        "Something went wrong",
        "OpenDoors could not finish this. What was saved before stays saved: try again in a "
        "minute.",
    ),
}


def _is_api(request: HttpRequest) -> bool:
    """The JSON API answers errors in JSON, as its own handlers do (opendoors/api.py)."""
    return request.path_info.startswith("/api/")


def _mark(response: HttpResponse) -> HttpResponse:
    setattr(response, FRIENDLY, True)
    # django-csp leaves 404 and 500 answers without a policy in DEBUG (Django's technical
    # pages need inline styles); these pages need none, so they keep the site's policy.
    response.headers.setdefault("Content-Security-Policy", build_policy())
    return response


def _render_or_bare(
    request: HttpRequest, template: str, context: dict[str, str], status: int
) -> HttpResponse:
    """An error page must not fail in turn: if the layout cannot be drawn, the bare page says
    the same in a line, and the log says why."""
    try:
        return render(request, template, context, status=status)
    except Exception:
        logger.exception("The %s page failed; answered with the bare page instead.", status)
        return HttpResponse(BARE[status], status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _mark(JsonResponse({"detail": "Not found."}, status=404))
    context = {"path": request.get_full_path()}
    return _mark(_render_or_bare(request, "404.html", context, 404))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The access functions word their reasons for the person refused; a bare PermissionDenied
    # (Django's own) has none, and the page then says only the general part.
    reason = str(exception) if isinstance(exception, PermissionDenied) else ""
    if _is_api(request):
        return _mark(JsonResponse({"detail": reason or "Not allowed."}, status=403))
    context = {"reason": reason, "path": request.get_full_path()}
    return _mark(_render_or_bare(request, "403.html", context, 403))


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request: the database, the session or a context processor may be
    what failed. The template extends the site's layout, which then knows nobody is signed in."""
    if _is_api(request):
        return _mark(JsonResponse({"detail": "Something went wrong on the server."}, status=500))
    try:
        body = loader.get_template("500.html").render()
    except Exception:
        logger.exception("The 500 page itself failed; answered with the bare page instead.")
        body = BARE[500]
    return _mark(HttpResponse(body, status=500))


class FriendlyErrorPagesMiddleware:
    """In development, the friendly pages instead of Django's technical 404 and 500 pages.

    Last in MIDDLEWARE, so that what it answers still passes through the security headers'
    middleware (Content-Security-Policy, Permissions-Policy). In production it does nothing:
    Django calls the handlers itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not settings.DEBUG or getattr(response, FRIENDLY, False):
            return response
        # No view matched the address: Django answered its list of URL patterns.
        if response.status_code == 404 and request.resolver_match is None:
            return page_not_found(request)
        # An uncaught exception: Django has logged the traceback and answered it as a page.
        html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 500 and (html or _is_api(request)):
            return server_error(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's Http404 (say, a debrief one may not open): Django would show it with the
        technical 404 page in development. PermissionDenied already reaches handler403."""
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
