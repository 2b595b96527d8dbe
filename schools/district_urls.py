"""URLs of a district's own pages, under /district/<slug>/ (namespace "district")."""

from django.urls import path

from inquiry import leader_views

from . import district_views, views

app_name = "district"
urlpatterns = [
    path("<slug:slug>/audit/", views.audit, name="audit"),
    # A district's first run (superusers), its settings and its schools (its leaders).
    path("setup/", district_views.setup, name="setup"),
    path("<slug:slug>/settings/", district_views.settings, name="settings"),
    # Its credit rules and the designations its state requires (each posted on its own).
    path("<slug:slug>/settings/credits/", district_views.credits, name="credits"),
    path(
        "<slug:slug>/settings/designations/",
        district_views.designation_new,
        name="designation_new",
    ),
    path(
        "<slug:slug>/settings/designations/<id:designation_id>/",
        district_views.designation_edit,
        name="designation_edit",
    ),
    path(
        "<slug:slug>/settings/designations/<id:designation_id>/remove/",
        district_views.designation_delete,
        name="designation_remove",
    ),
    path("<slug:slug>/schools/", district_views.schools, name="schools"),
    # The district's strategy, each school's goals and the cycles serving them (inquiry).
    path("<slug:slug>/strategy/", leader_views.strategy, name="strategy"),
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
