"""The protocol library OpenDoors ships: loaded by the data migration, kept up to date by
`library_sync`, and written so a team can run each one."""

from dataclasses import replace

import pytest

from inquiry.structures import DESCRIBE_TO_NEXT_LEVEL, PRESETS
from teams.library import PROTOCOLS, LibraryStep
from teams.models import STEP_MINUTES_MAX, STEP_MINUTES_MIN, Protocol, ProtocolStep
from teams.protocol_services import library_sync

pytestmark = pytest.mark.django_db

KEYS = {
    "tuning",
    "consultancy",
    "atlas-looking-at-data",
    "success-analysis",
    "save-the-last-word",
    "teach-one-another",
    "goal-check-in",
    "celebrate-successes",
    "rounds-debrief",
    "what-so-what",
    "student-experience-debrief",
    "lab-co-planning",
}


def steps_of(key: str) -> list[tuple[str, int, str, str]]:
    return list(
        ProtocolStep.objects.filter(protocol__library_key=key).values_list(
            "title", "minutes", "roles", "prompt"
        )
    )


def test_the_migration_loads_every_shipped_protocol_with_its_steps():
    assert set(Protocol.objects.values_list("library_key", flat=True)) == KEYS
    for entry in PROTOCOLS:
        assert steps_of(entry.key) == [(s.title, s.minutes, s.roles, s.prompt) for s in entry.steps]
        assert Protocol.objects.get(library_key=entry.key).school is None


def test_every_protocol_says_where_it_comes_from_and_who_speaks_in_each_step():
    for entry in PROTOCOLS:
        assert entry.source and entry.purpose, entry.key
        # What the columns hold (SQLite would not say; PostgreSQL would refuse the migration).
        assert len(entry.source) <= Protocol._meta.get_field("source").max_length
        assert len(entry.title) <= Protocol._meta.get_field("title").max_length
        for step in entry.steps:
            assert step.roles and step.prompt, (entry.key, step.title)
            assert STEP_MINUTES_MIN <= step.minutes <= STEP_MINUTES_MAX
            assert len(step.roles) <= ProtocolStep._meta.get_field("roles").max_length
            assert len(step.title) <= ProtocolStep._meta.get_field("title").max_length


def test_the_tuning_protocol_keeps_the_presenter_silent_during_feedback():
    tuning = next(p for p in PROTOCOLS if p.key == "tuning")
    feedback = next(s for s in tuning.steps if s.title == "Warm and cool feedback")
    assert "presenter is silent" in feedback.roles
    assert "National School Reform Faculty" in tuning.source
    assert tuning.total_minutes == Protocol.objects.get(library_key="tuning").total_minutes == 50


def test_the_rounds_debrief_uses_the_visits_debrief_s_very_words():
    rounds = next(p for p in PROTOCOLS if p.key == "rounds-debrief")
    assert [(s.title, s.prompt, s.minutes) for s in rounds.steps] == [
        (s.name, s.prompt, s.minutes) for s in DESCRIBE_TO_NEXT_LEVEL
    ]
    assert "Instructional Rounds in Education" in rounds.source


def test_every_structure_s_debrief_is_a_library_protocol_in_the_structure_s_own_words():
    for structure, preset in PRESETS.items():
        steps = steps_of(preset.debrief_protocol.key)
        assert [(title, minutes, prompt) for title, minutes, _, prompt in steps] == [
            (s.name, s.minutes, s.prompt) for s in preset.debrief_protocol
        ], structure
        assert all(roles for _, _, roles, _ in steps), structure


def test_syncing_again_changes_nothing():
    ids = dict(Protocol.objects.values_list("library_key", "pk"))
    step_ids = set(ProtocolStep.objects.values_list("pk", flat=True))
    assert library_sync() == 0
    assert dict(Protocol.objects.values_list("library_key", "pk")) == ids
    assert set(ProtocolStep.objects.values_list("pk", flat=True)) == step_ids


def test_a_changed_library_brings_its_rows_up_to_date_and_archives_what_left_it():
    tuning = next(p for p in PROTOCOLS if p.key == "tuning")
    changed = replace(
        tuning,
        title="Tuning protocol (revised)",
        steps=(*tuning.steps, LibraryStep("Closing", 2, "Everyone", "One word each.")),
    )
    others = tuple(p for p in PROTOCOLS if p.key not in {"tuning", "celebrate-successes"})
    assert library_sync(protocols=(changed, *others)) == 2
    row = Protocol.objects.get(library_key="tuning")
    assert row.title == "Tuning protocol (revised)"
    assert steps_of("tuning")[-1] == ("Closing", 2, "Everyone", "One word each.")
    assert Protocol.objects.get(library_key="celebrate-successes").archived_at is not None
    # Back as shipped: the archived one returns.
    assert library_sync() == 2
    assert Protocol.objects.get(library_key="celebrate-successes").archived_at is None
    assert len(steps_of("tuning")) == len(tuning.steps)
