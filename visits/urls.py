"""URLs for visits and calendars."""

from django.urls import path

from . import proposal_views, views

app_name = "visits"
urlpatterns = [
    path("cycles/<id:cycle_id>/visits/", views.plan, name="plan"),
    path("visits/sw.js", views.service_worker, name="service_worker"),
    path("visits/<id:visit_id>/", views.detail, name="detail"),
    path("visits/<id:visit_id>/capture/", views.capture, name="capture"),
    path("visits/<id:visit_id>/debrief/", views.debrief, name="debrief"),
    path("visits/<id:visit_id>/debrief/run/", views.debrief_run, name="debrief_run"),
    path("visits/<id:visit_id>/my-classroom/", views.my_classroom, name="my_classroom"),
    path("visits/<id:visit_id>/change/", views.change, name="change"),
    path("visits/<id:visit_id>/cancel/", views.cancel, name="cancel"),
    path("visits/<id:visit_id>/visit.ics", views.visit_ics, name="ics"),
    path("cycles/<id:cycle_id>/proposals/", proposal_views.propose, name="propose"),
    path("proposals/<id:proposal_id>/", proposal_views.proposal, name="proposal"),
    path(
        "proposals/<id:proposal_id>/plan.json", proposal_views.proposal_json, name="proposal_json"
    ),
    path(
        "proposals/<id:proposal_id>/change/",
        proposal_views.proposal_change,
        name="proposal_change",
    ),
    path("proposals/<id:proposal_id>/undo/", proposal_views.proposal_undo, name="proposal_undo"),
    path("proposals/<id:proposal_id>/retry/", proposal_views.proposal_retry, name="proposal_retry"),
    path(
        "proposals/<id:proposal_id>/publish/",
        proposal_views.proposal_publish,
        name="proposal_publish",
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
