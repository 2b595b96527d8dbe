"""Patterns across a visit's classrooms, for the debrief and for a host's own classroom:
look-for frequency, talk time, tallies, bright moments, and quotes grouped by look-for.
Classrooms go by `classroom_label`, never by their teachers' names.

At most four queries, however many entries were captured: the database counts (one GROUP
BY), the cycle's look-fors, then the words a page at a time, read only from the look-fors the
page shows, and the newest bright moments with words (each only when there are any), so a
visit of 20,000 entries draws about as fast as one of 20. The classrooms and their entries come
from `opendoors.access.classrooms_and_evidence_for`: this module never fetches evidence itself,
and it counts only what it is given (the visit's group, or one host's classroom), so no number
here reaches anyone outside the visit (insights publishes school-wide numbers, over k
classrooms).
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Count, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Trim

from inquiry.models import LookFor
from inquiry.structures import classroom_label

from .models import Evidence, EvidenceKind, Visit, VisitClassroom

# Entries whose words are quotes: under their look-for when tagged with one, else "Other notes".
# Bright moments have their own list (with or without words); time-outs without words are
# counted in the protocol, not quoted.
QUOTED_KINDS = {
    EvidenceKind.NOTE,
    EvidenceKind.WHAT,
    EvidenceKind.SO_WHAT,
    EvidenceKind.NOW_WHAT,
    EvidenceKind.STUDENT_PROMPT,
    EvidenceKind.TIME_OUT,
}
# Words on one page of the debrief; the rest are a "next page" away (?quotes=2).
QUOTES_PER_PAGE = 100
# Bright moments with words: the newest shown, the others counted.
BRIGHT_WORDS_SHOWN = 50
# The share bar's parts, in the order the capture page's talk-time tracker shows them.
TALK_PARTS = (("Teacher talk", "teacher"), ("Student talk", "students"), ("Silence", "silence"))


@dataclass
class ClassroomPattern:
    classroom: VisitClassroom
    label: str = ""  # classroom_label: a letter in rounds and walks, else the section
    look_fors: Counter = field(default_factory=Counter)
    tallies: Counter = field(default_factory=Counter)
    talk: list[int] = field(default_factory=lambda: [0, 0, 0])  # teacher, students, silence
    bright_moments: int = 0

    @property
    def talk_tracked(self) -> bool:
        """Whether anyone timed talk here: a classroom without is "not tracked", never 0%."""
        return sum(self.talk) > 0

    @property
    def talk_percentages(self) -> list[int]:
        total = sum(self.talk)
        if not total:
            return [0, 0, 0]
        teacher, students = (round(100 * part / total) for part in self.talk[:2])
        return [teacher, students, 100 - teacher - students]

    @property
    def talk_parts(self) -> list[dict[str, object]]:
        """The parts of components/share_bar.html; none when talk time was not tracked."""
        if not self.talk_tracked:
            return []
        return [
            {"label": label, "percent": percent, "key": key}
            for (label, key), percent in zip(TALK_PARTS, self.talk_percentages, strict=True)
        ]


@dataclass
class LookForRow:
    look_for: LookFor
    counts: list[int]  # one per classroom, in classroom order
    quotes: list[Evidence]  # notes and other words tagged with this look-for

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class QuotePage:
    """Which words this page shows: `number` of `pages`, QUOTES_PER_PAGE at a time."""

    number: int
    total: int  # every quote the reader may read, on all pages

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // QUOTES_PER_PAGE))

    @property
    def first(self) -> int:
        return (self.number - 1) * QUOTES_PER_PAGE + 1

    @property
    def last(self) -> int:
        return min(self.total, self.number * QUOTES_PER_PAGE)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


@dataclass
class Patterns:
    classrooms: list[ClassroomPattern]
    look_fors: list[LookForRow]
    tally_labels: list[str]
    other_quotes: list[Evidence]  # words tagged with no look-for, on this page of quotes
    bright_moment_count: int  # every one, with words or without
    bright_moment_words: Sequence[Evidence]  # the newest ones with words (BRIGHT_WORDS_SHOWN)
    bright_moments_with_words: int
    entry_count: int
    most: int  # the largest count in the look-for chart, for bar lengths
    quotes: QuotePage = field(default_factory=lambda: QuotePage(1, 0))

    def tally_rows(self) -> list[tuple[str, list[int]]]:
        return [(label, [c.tallies[label] for c in self.classrooms]) for label in self.tally_labels]

    @property
    def has_talk_time(self) -> bool:
        return any(c.talk_tracked for c in self.classrooms)

    @property
    def has_quotes(self) -> bool:
        return self.quotes.total > 0

    @property
    def several_classrooms(self) -> bool:
        return len(self.classrooms) > 1

    def look_for_chart(self) -> list[dict[str, object]]:
        """The rows of components/bar_chart.html: each look-for's taps over the classrooms,
        with each classroom's count in words where there are several."""
        most = max((row.total for row in self.look_fors), default=0)
        return [
            {
                "label": row.look_for.text,
                "value": row.total,
                "max": most,
                "note": " · ".join(
                    f"{c.label} {n}" for c, n in zip(self.classrooms, row.counts, strict=True)
                )
                if self.several_classrooms
                else "",
            }
            for row in self.look_fors
        ]

    @property
    def bright_moment_classrooms(self) -> int:
        return sum(1 for c in self.classrooms if c.bright_moments)

    @property
    def bright_moment_words_hidden(self) -> int:
        return self.bright_moments_with_words - len(self.bright_moment_words)


def _page_number(asked: str | None, total: int) -> int:
    """The page of quotes asked for; one that is not a page shows the nearest."""
    pages = max(1, -(-total // QUOTES_PER_PAGE))
    number = int(asked) if asked and asked.isdigit() and len(asked) < 7 else 1
    return min(max(number, 1), pages)


def _quote_groups(
    quoted: Counter, cycle_look_fors: list[LookFor], page: QuotePage
) -> tuple[Q, int]:
    """Which look-fors' words this page shows, and how many words of those come before it.
    The words run look-for after look-for (as the cycle orders them), then the untagged ones
    (and any of a look-for not the cycle's); counted already, so the page reads only the
    groups it shows, not every word of the visit."""
    groups = [(Q(look_for_id=lf.pk), quoted[lf.pk]) for lf in cycle_look_fors]
    rest = Q(look_for__isnull=True) | ~Q(look_for_id__in=[lf.pk for lf in cycle_look_fors])
    groups.append((rest, quoted.total() - sum(n for _, n in groups)))
    shown: Q | None = None
    before = seen = 0
    for group, n in groups:
        # This group's words are numbers seen + 1 to seen + n, of all the visit's.
        if n and seen < page.last and seen + n >= page.first:
            if shown is None:
                shown, before = group, seen
            else:
                shown |= group
        seen += n
    assert shown is not None, "a page of words shows at least one group"
    return shown, before


def visit_patterns(
    visit: Visit,
    *,
    rooms: list[VisitClassroom],
    evidence: QuerySet[Evidence],
    quotes_page: str | None = None,
) -> Patterns:
    """Patterns over the classrooms and entries the reader may see (both from access: the
    rooms listed with their sections, in the visit's order)."""
    cycle = visit.cycle
    by_room = {room.pk: ClassroomPattern(room, classroom_label(room, cycle)) for room in rooms}
    # `evidence` holds the entries of exactly these rooms (both come from access); an entry of
    # another room would not be the reader's to see, so rows of one are skipped below.
    evidence = evidence.alias(words=Trim("text"))
    worded = ~Q(words="")
    # Grouped on plain columns only (words are counted, not grouped), so that 20,000 entries
    # group in a few milliseconds.
    counts = (
        evidence.order_by()
        .values_list("classroom_id", "kind", "look_for_id", "label")
        .annotate(
            entries=Count("pk"),
            quoted=Count("pk", filter=worded),
            first=Min("recorded_at"),
            teacher=Sum("teacher_talk_seconds"),
            students=Sum("student_talk_seconds"),
            silence=Sum("silence_seconds"),
        )
    )
    entry_count = bright_worded = 0
    quoted_by_look_for: Counter = Counter()  # words to quote, by look-for (None: untagged)
    tally_first: dict[str, datetime] = {}
    tagged: set[int] = set()
    for room, kind, look_for, label, n, quoted, first, teacher, students, silence in counts:
        pattern = by_room.get(room)
        if pattern is None:
            continue
        entry_count += n
        if kind == EvidenceKind.LOOK_FOR and look_for:
            pattern.look_fors[look_for] += n
            tagged.add(look_for)
        elif kind == EvidenceKind.TALLY:
            pattern.tallies[label] += n
            tally_first[label] = min(first, tally_first.get(label, first))
        elif kind == EvidenceKind.TALK_TIME:
            for i, seconds in enumerate((teacher, students, silence)):
                pattern.talk[i] += seconds or 0
        elif kind == EvidenceKind.BRIGHT_MOMENT:
            # A tap on "Bright moment" has no words, and still counts.
            pattern.bright_moments += n
            bright_worded += quoted
        if kind in QUOTED_KINDS and quoted:
            quoted_by_look_for[look_for] += quoted
            if look_for:
                tagged.add(look_for)
    cycle_look_fors = list(LookFor.objects.filter(cycle_id=visit.cycle_id))
    quote_total = quoted_by_look_for.total()
    page = QuotePage(_page_number(quotes_page, quote_total), quote_total)
    quotes_on_page: list[Evidence] = []
    if quote_total:
        shown, before = _quote_groups(quoted_by_look_for, cycle_look_fors, page)
        # The look-fors' order (LookFor.Meta.ordering) as a number, so the sort needs no join.
        place = Case(
            *(When(look_for_id=lf.pk, then=Value(i)) for i, lf in enumerate(cycle_look_fors)),
            default=Value(len(cycle_look_fors)),
        )
        # The words in the order the page groups them: by look-for (as the cycle orders
        # them), untagged last, then as captured.
        offset = page.first - 1 - before
        quotes_on_page = list(
            evidence.filter(worded, shown, kind__in=QUOTED_KINDS)
            .only("id", "classroom_id", "kind", "look_for_id", "text")
            .order_by(place, "recorded_at", "id")[offset : offset + QUOTES_PER_PAGE]
        )
    bright_words: list[Evidence] = []
    if bright_worded:
        bright_words = list(
            evidence.filter(worded, kind=EvidenceKind.BRIGHT_MOMENT)
            .only("id", "classroom_id", "kind", "text")
            .order_by("-recorded_at", "id")[:BRIGHT_WORDS_SHOWN]
        )
    quotes: dict[int, list[Evidence]] = defaultdict(list)
    others: list[Evidence] = []
    quotes_on_page = [e for e in quotes_on_page if e.classroom_id in by_room]
    bright_words = [e for e in bright_words if e.classroom_id in by_room]
    for entry in quotes_on_page + bright_words:
        entry.classroom = by_room[entry.classroom_id].classroom  # the label, without a query
    for entry in quotes_on_page:
        (quotes[entry.look_for_id] if entry.look_for_id else others).append(entry)
    # A retired look-for keeps its row where something was captured for it.
    look_fors = [lf for lf in cycle_look_fors if not lf.retired or lf.pk in tagged]
    rows = [
        LookForRow(lf, [by_room[r.pk].look_fors[lf.pk] for r in rooms], quotes.get(lf.pk, []))
        for lf in look_fors
    ]
    most = max((count for row in rows for count in row.counts), default=0)
    return Patterns(
        classrooms=[by_room[r.pk] for r in rooms],
        look_fors=rows,
        tally_labels=sorted(tally_first, key=lambda label: (tally_first[label], label)),
        other_quotes=others,
        bright_moment_count=sum(c.bright_moments for c in by_room.values()),
        bright_moment_words=bright_words,
        bright_moments_with_words=bright_worded,
        entry_count=entry_count,
        most=most,
        quotes=page,
    )
