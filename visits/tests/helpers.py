"""Entries as a phone sends them, for tests of capture and debriefs."""

import uuid
from datetime import UTC, datetime

from django.contrib.auth import SESSION_KEY


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
    """Send entries as the signed-in person's phone does: each names its author, the signed-in
    person unless the entry says otherwise."""
    author = int(client.session[SESSION_KEY]) if SESSION_KEY in client.session else 0
    entries = [{"author": author, **e} for e in entries]
    return client.post(
        f"/api/visits/{visit.pk}/evidence", {"entries": entries}, content_type="application/json"
    )
