"""Visits: classroom visits placed in the master schedule, with coverage and calendars."""

from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
