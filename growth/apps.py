"""Growth: what each participant will try (goals), and the follow-ups that ask how it went."""

from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "growth"
