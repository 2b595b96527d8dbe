"""URLs for school-wide patterns."""

from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("schools/<slug:slug>/patterns/", views.patterns, name="patterns"),
]
