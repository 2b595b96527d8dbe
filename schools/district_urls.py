"""URLs of a district's own pages, under /district/<slug>/ (namespace "district")."""

from django.urls import path

from . import district_views, views

app_name = "district"
urlpatterns = [
    path("<slug:slug>/audit/", views.audit, name="audit"),
    # A district's first run (superusers), its settings and its schools (its leaders).
    path("setup/", district_views.setup, name="setup"),
    path("<slug:slug>/settings/", district_views.settings, name="settings"),
    path("<slug:slug>/schools/", district_views.schools, name="schools"),
    path(
        "<slug:slug>/schools/<id:school_id>/rename/",
        district_views.school_rename_view,
        name="school_rename",
    ),
    path(
        "<slug:slug>/schools/<id:school_id>/archive/",
        district_views.school_archive,
        name="school_archive",
    ),
    path(
        "<slug:slug>/schools/<id:school_id>/unarchive/",
        district_views.school_unarchive,
        name="school_unarchive",
    ),
]
