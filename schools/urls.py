"""URLs of a school's schedule pages, under /schools/<slug>/."""

from django.urls import path

from . import erasure_views, goal_views, views

app_name = "schools"
urlpatterns = [
    path("<slug:slug>/schedule/", views.schedule, name="schedule"),
    path("<slug:slug>/settings/", views.school_settings, name="settings"),
    # The school's improvement goals: its principals and the district's leaders.
    path("<slug:slug>/goals/", goal_views.goals, name="goals"),
    path("<slug:slug>/goals/<id:goal_id>/", goal_views.goal_edit, name="goal_edit"),
    path("<slug:slug>/goals/<id:goal_id>/action/", goal_views.goal_action, name="goal_action"),
    path("<slug:slug>/schedule.csv", views.schedule_csv, name="schedule_csv"),
    path("<slug:slug>/teachers/<id:person_id>/", views.teacher, name="teacher"),
    path("<slug:slug>/imports/new/", views.import_new, name="import_new"),
    path("<slug:slug>/imports/<id:import_id>/", views.import_detail, name="import_detail"),
    path("<slug:slug>/imports/<id:import_id>/apply/", views.import_apply, name="import_apply"),
    path("<slug:slug>/imports/<id:import_id>/retry/", views.import_retry, name="import_retry"),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/people/invitations/", views.people_invitations, name="people_invitations"),
    path(
        "<slug:slug>/people/<id:person_id>/invitation/",
        views.person_invitation,
        name="person_invitation",
    ),
    path("<slug:slug>/people/<id:person_id>/roles/", views.person_roles, name="person_roles"),
    path("<slug:slug>/people/<id:person_id>/email/", views.person_email, name="person_email"),
    path(
        "<slug:slug>/people/<id:person_id>/deactivate/",
        views.person_deactivate,
        name="person_deactivate",
    ),
    path(
        "<slug:slug>/people/<id:person_id>/reactivate/",
        views.person_reactivate,
        name="person_reactivate",
    ),
    path(
        "<slug:slug>/people/<id:person_id>/erase/",
        erasure_views.person_erase_view,
        name="person_erase",
    ),
]
