"""The site's URLs and one bare view: the baseline the sync benchmark divides by.

The bare view goes through the same gunicorn, middleware and client as the sync API,
but does no work of its own and no database query.
"""

from django.http import HttpResponse
from django.urls import path

from opendoors.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
