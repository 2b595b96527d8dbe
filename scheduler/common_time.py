"""A team's common time in the master schedule, and what would make some when there is none.

`common_time` reads plain data (the team, the school's week, who teaches what when, and
other commitments) and returns the slots in which every member is free, those in which
all but one are (and which one), and, when no slot is free for everyone, the slots that
the fewest single-lesson moves would free. It is advice only: nothing here changes a
schedule. `words` says the result in one or two sentences a principal can act on.

Each member's week is a bitmask (bit i = the i-th slot of the week), and the busy members
of every slot are counted at once by adding the masks in binary, so a team of 12 in a week
of 40 slots costs a few dozen integer operations beyond reading its lessons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from .explain import plural

Slot = tuple[str, str]  # (day label, period label)

#: How many slots or lessons a sentence lists before it says "and N others".
SHOWN = 3


@dataclass(frozen=True)
class MemberMove:
    member: str  # the member's id
    teaches: str  # what they teach in that slot (section label; "" if unknown)


@dataclass(frozen=True)
class CommonTime:
    all_free: list[Slot]  # week order: every member is free
    all_but_one: list[tuple[Slot, str]]  # week order: (slot, the one member who is busy)
    # When all_free is empty: the slots where the fewest members are busy, each with
    # the members whose single lesson there would have to move (ties: all such slots, week order).
    fewest_moves: list[tuple[Slot, list[MemberMove]]]
    members: tuple[str, ...] = ()  # the team as counted: given order, each member once
    # Week order: slots in which a member has another commitment, which no move frees.
    unmovable: list[Slot] = field(default_factory=list)


def common_time(
    members: Sequence[str],
    slots: Sequence[Slot],
    lessons: Mapping[str, Mapping[Slot, str]],
    unavailable: Mapping[str, AbstractSet[Slot]] | None = None,
) -> CommonTime:
    """The team's common time in this week (`slots`, in week order).

    `lessons` maps a member's id to the slots they teach in and what they teach there (a
    member missing from it is free all week); `unavailable` gives other commitments (visits,
    duties), which make a member busy but are not lessons a principal could move: a slot
    in which some member is unavailable is never offered in `fewest_moves`, and is listed
    in `unmovable` instead. Slots outside the week and people outside the team are ignored;
    a member named twice counts once. `all_but_one` is empty for a team of one (nobody
    else would be free). Raises ValueError for an empty team.
    """
    team = tuple(dict.fromkeys(members))
    if not team:
        raise ValueError("A team needs at least one member before it can have common time.")
    week = list(dict.fromkeys(slots))
    bit = {slot: 1 << i for i, slot in enumerate(week)}
    everyone_free = (1 << len(week)) - 1
    commitments = unavailable or {}
    busy: list[int] = []
    fixed = 0
    for member in team:
        taught = 0
        for slot in lessons.get(member, ()):
            taught |= bit.get(slot, 0)
        held = 0
        for slot in commitments.get(member, ()):
            held |= bit.get(slot, 0)
        busy.append(taught | held)
        fixed |= held
    counts = _counts(busy)
    free = _with_count(counts, 0, everyone_free)
    only_one: list[tuple[int, str]] = []
    if len(team) > 1:
        alone = _with_count(counts, 1, everyone_free)
        for member, mask in zip(team, busy, strict=True):
            only_one.extend((i, member) for i in _bits(mask & alone))
        only_one.sort()
    fewest: list[tuple[Slot, list[MemberMove]]] = []
    movable = everyone_free & ~fixed
    if not free and movable:
        # Every slot has 1 to len(team) busy members: the first count met is the fewest.
        least = next(c for c in range(1, len(team) + 1) if _with_count(counts, c, movable))
        for i in _bits(_with_count(counts, least, movable)):
            movers = [m for m, mask in zip(team, busy, strict=True) if mask >> i & 1]
            fewest.append((week[i], [MemberMove(m, lessons[m].get(week[i], "")) for m in movers]))
    return CommonTime(
        all_free=[week[i] for i in _bits(free)],
        all_but_one=[(week[i], member) for i, member in only_one],
        fewest_moves=fewest,
        members=team,
        unmovable=[week[i] for i in _bits(fixed)],
    )


def _counts(busy: list[int]) -> list[int]:
    """How many members are busy in each slot, all slots at once, in binary: bit i of
    `digits[j]` is digit j of slot i's count (a ripple-carry adder over the masks)."""
    digits: list[int] = []
    for mask in busy:
        carry = mask
        for j, digit in enumerate(digits):
            digits[j], carry = digit ^ carry, digit & carry
            if not carry:
                break
        if carry:
            digits.append(carry)
    return digits


def _with_count(digits: list[int], count: int, among: int) -> int:
    """The slots of `among` in which exactly `count` members are busy."""
    if count >> len(digits):
        return 0
    for j, digit in enumerate(digits):
        among &= digit if count >> j & 1 else ~digit
    return among


def _bits(mask: int) -> list[int]:
    """The positions of the set bits of `mask`, lowest first (so: week order)."""
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


# --- the words ------------------------------------------------------------------------------


def words(result: CommonTime, names: Mapping[str, str]) -> str:
    """The result for a principal: the common free periods, or, when there are none, which
    lessons would have to move to make one (OpenDoors only advises; the master schedule is
    changed where it is kept). `names` maps a member's id to their name (else the id)."""
    team = result.members
    whom = _whom(team, names)
    if result.all_free:
        verb = "is" if len(team) == 1 else "are"
        shown = _listing([slot_label(s) for s in result.all_free])
        periods = plural(len(result.all_free), "period")
        return f"{_capital(whom)} {verb} free in {periods}: {shown}."
    if not result.fewest_moves:
        if not result.unmovable:
            return "The school's week has no periods yet: import a master schedule first."
        return (
            f"No period is free for {whom}, and no lesson move would make one: in every "
            "period at least one of them has another commitment, such as a duty or a visit. "
            "Free one of those commitments first."
        )
    (first, moves), *tied = result.fewest_moves[:SHOWN]
    advice = f"{slot_label(first)} would be, if {_moves(moves, names)} moved to another period"
    for slot, moves in tied:
        advice += f"; so would {slot_label(slot)}, if {_moves(moves, names)} moved"
    if len(result.fewest_moves) > SHOWN:
        others = plural(len(result.fewest_moves) - SHOWN, "other period")
        advice += f"; as would {others} with as few moves"
    return f"No period is free for {whom}. {_capital(advice)}."


def slot_label(slot: Slot) -> str:
    """'Tue period 3' for a numbered period, else the period's own label ('Tue Lunch')."""
    day, period = slot
    return f"{day} period {period}" if period.isdigit() else f"{day} {period}"


def _whom(team: tuple[str, ...], names: Mapping[str, str]) -> str:
    if len(team) == 1:
        return names.get(team[0], team[0])
    if len(team) == 2:
        return "both members"
    return f"all {len(team)} members"


def _moves(moves: list[MemberMove], names: Mapping[str, str]) -> str:
    lessons = [
        f"{names.get(move.member, move.member)}'s {move.teaches or 'lesson'}" for move in moves
    ]
    return _listing(lessons, others="other lessons")


def _listing(items: list[str], *, others: str = "others") -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 others'."""
    if len(items) > SHOWN + 1:
        return f"{', '.join(items[:SHOWN])} and {len(items) - SHOWN} {others}"
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
