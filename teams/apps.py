"""Teams: a school's teams, their collaboration time (PLC meetings found in the master
schedule, with an agenda that protects the protocol), and the protocol library and runner."""

from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
