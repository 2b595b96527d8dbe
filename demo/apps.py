"""Demo: the Riverbend demo district, its people, master schedule and cycles.

It stands on every other app and no app stands on it (demo/tests/test_demo_stands_apart.py):
the product never needs the demo to run.
"""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
