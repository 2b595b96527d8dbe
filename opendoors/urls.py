"""The site's URLs: each app's pages under its own prefix, sign-in under /accounts/."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("schools/", include("schools.urls")),
]
