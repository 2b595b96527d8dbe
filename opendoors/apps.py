"""The project package as an app, so its templates and static files are found."""

from django.apps import AppConfig


class OpenDoorsConfig(AppConfig):
    name = "opendoors"
    verbose_name = "OpenDoors"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
