"""Load the protocol library that OpenDoors ships (teams/library.py).

The same function brings the rows up to date later: a later migration that follows a change
of the library's content calls `library_sync` again (it changes only what differs)."""

from django.db import migrations


def load_library(apps, schema_editor):
    from teams.protocol_services import library_sync

    library_sync(
        protocol_model=apps.get_model("teams", "Protocol"),
        step_model=apps.get_model("teams", "ProtocolStep"),
    )


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_teams_meetings_protocols")]

    operations = [migrations.RunPython(load_library, migrations.RunPython.noop)]
