"""URLs of the protocol library and the live runner."""

from django.urls import path

from . import protocol_views as views

app_name = "protocols"
urlpatterns = [
    path("schools/<slug:slug>/protocols/", views.library, name="library"),
    path("schools/<slug:slug>/protocols/new/", views.protocol_new, name="new"),
    path("schools/<slug:slug>/protocols/<id:protocol_id>/", views.protocol_detail, name="detail"),
    path(
        "schools/<slug:slug>/protocols/<id:protocol_id>/copy/",
        views.protocol_copy,
        name="copy",
    ),
    path("protocols/<id:protocol_id>/edit/", views.protocol_edit, name="edit"),
    path("protocols/<id:protocol_id>/steps/", views.step_add, name="step_add"),
    path("protocols/<id:protocol_id>/steps/<id:step_id>/", views.step_change, name="step_change"),
    path("protocols/<id:protocol_id>/share/", views.protocol_share, name="share"),
    path("meetings/<id:meeting_id>/run-protocol/", views.run_start, name="run_start"),
    path("runs/<id:run_id>/", views.run_page, name="run"),
    path("runs/<id:run_id>/state/", views.run_state, name="run_state"),
    path("runs/<id:run_id>/projector/", views.run_projector, name="run_projector"),
    path("runs/<id:run_id>/move/", views.run_move, name="run_move"),
    path("runs/<id:run_id>/notes/", views.run_note, name="run_note"),
    path("runs/<id:run_id>/end/", views.run_end, name="run_end"),
    path("runs/<id:run_id>/attachment/", views.run_attachment, name="run_attachment"),
]
