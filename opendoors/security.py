"""Response headers and answers that keep the site safe by default.

- `PermissionsPolicyMiddleware` turns off browser features no page uses (camera, microphone,
  location…); the Content-Security-Policy itself comes from django-csp (settings.py).
- `private_no_store` marks a response as private to the person who asked, never stored by a
  browser or a proxy: calendar feeds and evidence, which name teachers and what was seen.
- `bad_request` answers a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` with 413 and what to do
  (a page, or JSON for the API) instead of Django's bare 400 page.
"""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views import defaults

# Off for everyone: nothing in OpenDoors films, records, locates or pays. The capture page keeps
# the phone's screen awake during a visit, hence screen-wake-lock for the site itself.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "browsing-topics=()",
        "camera=()",
        "display-capture=()",
        "geolocation=()",
        "gyroscope=()",
        "hid=()",
        "idle-detection=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "serial=()",
        "usb=()",
        "xr-spatial-tracking=()",
        "fullscreen=(self)",
        "screen-wake-lock=(self)",
    ]
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


_Params = ParamSpec("_Params")
_Response = TypeVar("_Response", bound=HttpResponseBase)


def private_no_store(view: Callable[_Params, _Response]) -> Callable[_Params, _Response]:
    """`Cache-Control: private, no-store`: a shared computer's browser cache or a school's
    caching proxy must not keep a copy of evidence or of someone's visit calendar."""

    @wraps(view)
    def wrapped(*args: _Params.args, **kwargs: _Params.kwargs) -> _Response:
        response = view(*args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def too_big_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return (
        f"What you sent is larger than {limit:g} MB, the most OpenDoors accepts at once. "
        "Send it in smaller parts."
    )


def request_too_big(request: HttpRequest) -> HttpResponse:
    """413, as JSON for the API and as a page saying what to do for pages."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": too_big_message()}, status=413)
    return render(request, "413.html", {"message": too_big_message()}, status=413)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django answers every SuspiciousOperation with 400; a body that is only too big gets 413."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_big(request)
    return defaults.bad_request(request, exception)
