"""The order of a week's days and a day's periods, from labels as schools write them.

FORMATS.md §1 keeps the order of first appearance, which is right for `A`/`B`
days but wrong for an export that happens to start on Tuesday. So labels that
are all weekday names of one language, or all numbered (`Day_2`, `P3`, `7`),
are put in calendar or numeric order; anything else keeps its file order.
"""

import re

# Each language's names of Monday … Sunday, each day with every spelling schools use.
WEEKDAYS: dict[str, list[tuple[str, ...]]] = {
    "english": [
        ("mon", "monday", "mo", "m"),
        ("tue", "tues", "tuesday", "tu", "t"),
        ("wed", "wednesday", "we", "w"),
        ("thu", "thur", "thurs", "thursday", "th", "r"),
        ("fri", "friday", "fr", "f"),
        ("sat", "saturday", "sa"),
        ("sun", "sunday", "su"),
    ],
    "dutch": [
        ("ma", "maandag"),
        ("di", "dinsdag"),
        ("wo", "woensdag"),
        ("do", "donderdag"),
        ("vr", "vrijdag"),
        ("za", "zaterdag"),
        ("zo", "zondag"),
    ],
    "german": [
        ("mo", "montag"),
        ("di", "dienstag"),
        ("mi", "mittwoch"),
        ("do", "donnerstag"),
        ("fr", "freitag"),
        ("sa", "samstag"),
        ("so", "sonntag"),
    ],
    "finnish": [
        ("ma", "maanantai"),
        ("ti", "tiistai"),
        ("ke", "keskiviikko"),
        ("to", "torstai"),
        ("pe", "perjantai"),
        ("la", "lauantai"),
        ("su", "sunnuntai"),
    ],
    "catalan": [
        ("dl", "dilluns"),
        ("dt", "dimarts"),
        ("dc", "dimecres"),
        ("dj", "dijous"),
        ("dv", "divendres"),
        ("ds", "dissabte"),
        ("dg", "diumenge"),
    ],
    "spanish": [
        ("lu", "lun", "lunes"),
        ("ma", "mar", "martes"),
        ("mi", "mié", "mie", "miércoles", "miercoles"),
        ("ju", "jue", "jueves"),
        ("vi", "vie", "viernes"),
        ("sá", "sa", "sáb", "sab", "sábado", "sabado"),
        ("do", "dom", "domingo"),
    ],
    "french": [
        ("lu", "lun", "lundi"),
        ("ma", "mar", "mardi"),
        ("me", "mer", "mercredi"),
        ("je", "jeu", "jeudi"),
        ("ve", "ven", "vendredi"),
        ("sa", "sam", "samedi"),
        ("di", "dim", "dimanche"),
    ],
    "portuguese": [
        ("seg", "segunda", "segunda-feira"),
        ("ter", "terça", "terca", "terça-feira"),
        ("qua", "quarta", "quarta-feira"),
        ("qui", "quinta", "quinta-feira"),
        ("sex", "sexta", "sexta-feira"),
        ("sáb", "sab", "sábado"),
        ("dom", "domingo"),
    ],
}

NUMBERED = re.compile(r"^(?P<prefix>\D*?)[\s_-]*(?P<number>\d+)$")


def _weekday_order(labels: list[str]) -> list[str] | None:
    for days in WEEKDAYS.values():
        index = {name: i for i, names in enumerate(days) for name in names}
        positions = [index.get(label.strip().lower().rstrip(".")) for label in labels]
        if None not in positions and len(set(positions)) == len(labels):
            return [label for _, label in sorted(zip(positions, labels, strict=True))]
    return None


def _numbered_order(labels: list[str]) -> list[str] | None:
    matches = [match for label in labels if (match := NUMBERED.match(label.strip()))]
    if len(matches) != len(labels):
        return None
    prefixes = {m["prefix"].lower() for m in matches}
    numbers = [int(m["number"]) for m in matches]
    if len(prefixes) != 1 or len(set(numbers)) != len(labels):
        return None
    return [label for _, label in sorted(zip(numbers, labels, strict=True))]


def natural_order(labels: list[str]) -> list[str]:
    """Weekday or numeric order when every label allows it, else the order given."""
    if len(labels) < 2:
        return list(labels)
    return _weekday_order(labels) or _numbered_order(labels) or list(labels)


def weekday_of(label: str) -> int | None:
    """Monday=0 … Sunday=6 when every language that knows the label agrees, else None.
    ("do" is Thursday in Dutch but Sunday in Spanish: such a label says nothing.)"""
    name = label.strip().lower().rstrip(".")
    found = {
        index
        for days in WEEKDAYS.values()
        for index, names in enumerate(days)
        if name in names and len(name) > 1
    }
    return found.pop() if len(found) == 1 else None
