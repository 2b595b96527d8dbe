"""URLs of the team pages: /schools/<slug>/teams/, /teams/<id>/ and /meetings/<id>/."""

from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [
    path("schools/<slug:slug>/teams/", views.team_list, name="list"),
    path("schools/<slug:slug>/teams/new/", views.team_new, name="new"),
    path("teams/<id:team_id>/", views.team_detail, name="detail"),
    path("teams/<id:team_id>/edit/", views.team_edit, name="edit"),
    path("teams/<id:team_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("teams/<id:team_id>/parking-lot/", views.parking_lot_add, name="parking_lot_add"),
    path(
        "teams/<id:team_id>/parking-lot/<id:item_id>/done/",
        views.parking_lot_done,
        name="parking_lot_done",
    ),
    path("meetings/<id:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<id:meeting_id>/agenda/", views.agenda_add, name="agenda_add"),
    path(
        "meetings/<id:meeting_id>/agenda/<id:item_id>/",
        views.agenda_change,
        name="agenda_change",
    ),
    path("meetings/<id:meeting_id>/announcements/", views.announcements, name="announcements"),
    path("meetings/<id:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
]
