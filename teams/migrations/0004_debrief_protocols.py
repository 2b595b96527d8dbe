"""Bring the protocol library up to date with the structures' debrief protocols (“What? So
what? Now what?” and the student experience debrief) that `teams/library.py` now ships."""

from django.db import migrations


def sync_library(apps, schema_editor):
    from teams.protocol_services import library_sync

    library_sync(
        protocol_model=apps.get_model("teams", "Protocol"),
        step_model=apps.get_model("teams", "ProtocolStep"),
    )


class Migration(migrations.Migration):
    dependencies = [("teams", "0003_run_attachment")]

    operations = [migrations.RunPython(sync_library, migrations.RunPython.noop)]
