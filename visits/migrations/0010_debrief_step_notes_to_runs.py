"""Each debrief written before debriefs ran library protocols keeps its notes: its
`step_notes` ({step name: text}, keyed by the name of the structure's debrief step) become an
ended ProtocolRun of its structure's library protocol, with a StepNote per step, matched by
name. A note under a name the protocol no longer has becomes one more step of that run (a run
keeps its own copy of the steps), so nothing written is lost."""

from django.db import migrations

from inquiry.structures import PRESETS

# The minutes of a step added only to keep a note whose step left the protocol.
KEPT_STEP_MINUTES = 1
KEPT_STEP_PROMPT = "Notes written under this step before the debrief ran a library protocol."


def step_notes_to_runs(apps, schema_editor):
    Debrief = apps.get_model("visits", "Debrief")
    Protocol = apps.get_model("teams", "Protocol")
    ProtocolStep = apps.get_model("teams", "ProtocolStep")
    ProtocolRun = apps.get_model("teams", "ProtocolRun")
    StepNote = apps.get_model("teams", "StepNote")
    debriefs = Debrief.objects.filter(run__isnull=True).select_related("visit__cycle")
    for debrief in debriefs.iterator():
        written = {
            str(name): str(text)
            for name, text in (debrief.step_notes or {}).items()
            if str(text).strip()
        }
        if not written:
            continue
        key = PRESETS[debrief.visit.cycle.structure].debrief_protocol.key
        protocol = Protocol.objects.get(library_key=key)
        steps = [
            {"title": s.title, "minutes": s.minutes, "roles": s.roles, "prompt": s.prompt}
            for s in ProtocolStep.objects.filter(protocol=protocol).order_by("position", "id")
        ]
        titles = [step["title"] for step in steps]
        for name in written:
            if name not in titles:
                titles.append(name)
                steps.append(
                    {
                        "title": name,
                        "minutes": KEPT_STEP_MINUTES,
                        "roles": "",
                        "prompt": KEPT_STEP_PROMPT,
                    }
                )
        run = ProtocolRun.objects.create(
            protocol=protocol,
            meeting=None,
            steps=steps,
            current_step=len(steps) - 1,
            version=1,
            started_at=debrief.updated_at,
            ended_at=debrief.updated_at,
        )
        StepNote.objects.bulk_create(
            StepNote(run=run, step=titles.index(name), text=text) for name, text in written.items()
        )
        debrief.run = run
        debrief.save(update_fields=["run"])


def runs_to_step_notes(apps, schema_editor):
    """Back: each debrief's run notes as `step_notes` again, by step name (the runs stay)."""
    Debrief = apps.get_model("visits", "Debrief")
    StepNote = apps.get_model("teams", "StepNote")
    for debrief in Debrief.objects.filter(run__isnull=False).select_related("run"):
        titles = [step["title"] for step in debrief.run.steps]
        notes = StepNote.objects.filter(run=debrief.run)
        debrief.step_notes = {titles[n.step]: n.text for n in notes if n.step < len(titles)}
        debrief.save(update_fields=["step_notes"])


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0009_debrief_run"),
        ("teams", "0004_debrief_protocols"),
        ("inquiry", "0001_initial"),
    ]

    operations = [migrations.RunPython(step_notes_to_runs, runs_to_step_notes)]
