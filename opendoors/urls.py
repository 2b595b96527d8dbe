"""The site's URLs: each app's pages, sign-in under /accounts/."""

from django.urls import include, path

from . import views
from .api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("schools/", include("schools.urls")),
    path("", include("inquiry.urls")),
    path("", include("visits.urls")),
    path("", include("growth.urls")),
    path("", include("insights.urls")),
    path("api/", api.urls),
]
