"""The JSON API, described by the OpenAPI schema at /api/openapi.json (docs at /api/docs,
drawn by the server from that schema: opendoors/api_docs.py)."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import django_auth

from visits.api import router as visits_router

from .api_docs import ReadableDocs
from .security import private_no_store, too_big_message

api = NinjaAPI(
    title="OpenDoors API",
    version="1",
    description="Capture and sync evidence from observers' phones. Signed-in sessions only.",
    auth=django_auth,
    urls_namespace="api",
    docs=ReadableDocs(),
)
# Every answer of the capture API is evidence or names classrooms: never kept in a cache.
visits_router.add_decorator(private_no_store, mode="view")
api.add_router("/", visits_router)


@api.exception_handler(PermissionDenied)
def forbidden(request, error):
    return api.create_response(request, {"detail": str(error) or "Not allowed."}, status=403)


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(RequestDataTooBig)
def too_big(request, error):
    return api.create_response(request, {"detail": too_big_message()}, status=413)
