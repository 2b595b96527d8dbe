"""Schools: districts, people and roles, the master schedule and its imports."""

from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
