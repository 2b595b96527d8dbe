"""The JSON API, described by the OpenAPI schema at /api/openapi.json (docs at /api/docs)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import django_auth

from visits.api import router as visits_router

api = NinjaAPI(
    title="OpenDoors API",
    version="1",
    description="Capture and sync evidence from observers' phones. Signed-in sessions only.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/", visits_router)


@api.exception_handler(PermissionDenied)
def forbidden(request, error):
    return api.create_response(request, {"detail": str(error) or "Not allowed."}, status=403)


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(request, {"detail": "Not found."}, status=404)
