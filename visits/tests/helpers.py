"""Entries as a phone sends them, for tests of capture and debriefs."""

import uuid
from datetime import UTC, datetime


def entry(classroom, **fields) -> dict:
    """A JSON-ready entry; a look-for tap unless said otherwise."""
    return {
        "id": str(fields.pop("id", uuid.uuid4())),
        "classroom": classroom.pk,
        "kind": "look_for",
        "recorded_at": fields.pop("recorded_at", datetime.now(UTC).isoformat()),
        **fields,
    }


def sync(client, visit, entries: list[dict]):
    return client.post(
        f"/api/visits/{visit.pk}/evidence", {"entries": entries}, content_type="application/json"
    )
