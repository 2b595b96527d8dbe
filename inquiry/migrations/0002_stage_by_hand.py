"""The stage follows the cycle's steps; what was stored is kept only as a stage set by hand.

Before, `stage` was only ever set by hand (pages never moved it), so a stored stage other
than "planning" was a facilitator's (or the demo's) choice: it is kept as set by hand, and
"planning", the untouched default, now follows the steps.
"""

from django.db import migrations, models


def keep_chosen_stages(apps, schema_editor):
    Cycle = apps.get_model("inquiry", "Cycle")
    Cycle.objects.filter(stage_by_hand="planning").update(stage_by_hand="")


class Migration(migrations.Migration):
    dependencies = [("inquiry", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="cycle", old_name="stage", new_name="stage_by_hand"),
        migrations.AlterField(
            model_name="cycle",
            name="stage_by_hand",
            field=models.CharField(
                blank=True,
                choices=[
                    ("planning", "Planning"),
                    ("scheduled", "Visits scheduled"),
                    ("debriefing", "Debriefing"),
                    ("following_up", "Following up"),
                    ("closed", "Closed"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(keep_chosen_stages, migrations.RunPython.noop),
    ]
