"""The project package as an app, so its templates and static files are found."""

from django.apps import AppConfig


class OpenDoorsConfig(AppConfig):
    name = "opendoors"
    verbose_name = "OpenDoors"
