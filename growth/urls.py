"""URLs for goals and follow-ups."""

from django.urls import path

from . import views

app_name = "growth"
urlpatterns = [
    path("cycles/<id:cycle_id>/goal/", views.goal_new, name="goal_new"),
    path("follow-ups/<id:follow_up_id>/", views.follow_up, name="follow_up"),
    path(
        "cycles/<id:cycle_id>/follow-ups/<id:follow_up_id>/share/",
        views.follow_up_share_with_cycle,
        name="follow_up_share",
    ),
]
