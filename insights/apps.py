"""Insights: patterns across classrooms for people outside a visit's group, never below k."""

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
