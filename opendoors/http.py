"""The request a view receives, as mypy should see it.

Django types `request.user` as `AbstractBaseUser | AnonymousUser`, since any page may be
opened signed out. Behind `login_required` it is always a `Person`: a view behind it
annotates its request as `AuthenticatedRequest` and hands `request.user` to the access
functions as it is. A view open to everyone keeps `HttpRequest`, or `HtmxRequest` when it
reads `request.htmx`. These classes are annotations only: Django never builds them.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from schools.models import Person


class HtmxRequest(HttpRequest):
    """Any request: HtmxMiddleware, on every page, says whether htmx sent it."""

    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """A request that passed `login_required`: its user is a signed-in person."""

    user: Person
