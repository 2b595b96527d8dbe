"""URLs for school-wide patterns."""

from django.urls import path

from . import dashboard_views, views

app_name = "insights"
urlpatterns = [
    path("schools/<slug:slug>/patterns/", views.patterns, name="patterns"),
    # The dashboards (insights/dashboard.py) and their downloads, same range as the page.
    path(
        "schools/<slug:slug>/dashboard/",
        dashboard_views.school_dashboard,
        name="school_dashboard",
    ),
    path(
        "schools/<slug:slug>/dashboard/report.csv",
        dashboard_views.school_dashboard,
        {"kind": "csv"},
        name="school_dashboard_csv",
    ),
    path(
        "schools/<slug:slug>/dashboard/report.pdf",
        dashboard_views.school_dashboard,
        {"kind": "pdf"},
        name="school_dashboard_pdf",
    ),
    path(
        "district/<slug:slug>/dashboard/",
        dashboard_views.district_dashboard,
        name="district_dashboard",
    ),
    path(
        "district/<slug:slug>/dashboard/report.csv",
        dashboard_views.district_dashboard,
        {"kind": "csv"},
        name="district_dashboard_csv",
    ),
    path(
        "district/<slug:slug>/dashboard/report.pdf",
        dashboard_views.district_dashboard,
        {"kind": "pdf"},
        name="district_dashboard_pdf",
    ),
]
