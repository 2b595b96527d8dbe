"""A teacher's portfolio: what it holds, read section by section, and the shares of it.

The portfolio is its owner's own record (DESIGN.md, "Who sees what"): their cycles, goals with
follow-up answers, the reflections of the learning they reported, their artifacts, the
celebrations about them and their hours. It is private until they share it, with a named
colleague or by a link that expires; a share shows exactly the sections chosen, read-only.
On their own page a teacher sees every celebration about them; a share shows only those they
made visible to their team or school, never one they kept for themselves.

`portfolio_read` reads one query per section shown, whatever the number of rows. The two
writes of shares (`portfolio_share_create`, `portfolio_share_withdraw`) live here too: they
touch only PortfolioShare.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from inquiry.models import Cycle, Participant
from opendoors.access import portfolio_link_digest
from schools.models import Membership, Person

from .ledger import counted
from .models import (
    Artifact,
    Audience,
    Goal,
    LedgerEntry,
    PortfolioSection,
    PortfolioShare,
    ShoutOut,
)

ALL_SECTIONS = tuple(PortfolioSection.values)
LINK_DAYS = (1, 90)


@dataclass(frozen=True)
class CycleTaken:
    cycle: Cycle
    roles: list[str]


@dataclass(frozen=True)
class Hours:
    minutes: int
    # (unit, credits) for each credit unit the person's entries were counted in.
    credits: list[tuple[str, Decimal]]

    @property
    def hours(self) -> str:
        whole, minutes = divmod(self.minutes, 60)
        return f"{whole} h {minutes:02d} min" if minutes else f"{whole} h"


@dataclass
class Portfolio:
    owner: Person
    sections: tuple[str, ...]
    cycles: list[CycleTaken] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    reflections: list[LedgerEntry] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    celebrations: list[ShoutOut] = field(default_factory=list)
    hours: Hours | None = None

    def shows(self, section: str) -> bool:
        return section in self.sections


def _cycles(owner: Person) -> list[CycleTaken]:
    taken: dict[int, CycleTaken] = {}
    parts = (
        Participant.objects.filter(person=owner)
        .select_related("cycle__school")
        .order_by("-cycle__created_at", "cycle_id", "role")
    )
    for part in parts:
        entry = taken.setdefault(part.cycle_id, CycleTaken(part.cycle, []))
        entry.roles.append(part.get_role_display())
    return list(taken.values())


def _hours(owner: Person) -> Hours:
    """The entries that count, as My hours, the transcript and the export count them."""
    rows = (
        LedgerEntry.objects.filter(counted(), person=owner)
        .values("credit_unit")
        .annotate(minutes=Sum("minutes"), credits=Sum("credits"))
        .order_by("credit_unit")
    )
    minutes = 0
    credits = []
    for row in rows:
        minutes += row["minutes"]
        if row["credit_unit"]:
            credits.append((row["credit_unit"], row["credits"]))
    return Hours(minutes, credits)


def portfolio_read(
    *, owner: Person, sections: tuple[str, ...] = ALL_SECTIONS, own: bool = False
) -> Portfolio:
    """The sections asked for, each read in one query: all of them on the owner's own page
    (`own`), a share's on a share."""
    portfolio = Portfolio(owner=owner, sections=sections)
    if PortfolioSection.CYCLES in sections:
        portfolio.cycles = _cycles(owner)
    if PortfolioSection.GOALS in sections:
        portfolio.goals = list(
            Goal.objects.filter(person=owner)
            .select_related("cycle", "meeting__team", "follow_up")
            .order_by("-created_at", "-id")
        )
    if PortfolioSection.REFLECTIONS in sections:
        portfolio.reflections = list(
            LedgerEntry.objects.filter(person=owner, source="")
            .exclude(reflection="")
            .order_by("-date", "-id")
        )
    if PortfolioSection.ARTIFACTS in sections:
        portfolio.artifacts = list(
            Artifact.objects.filter(owner=owner).select_related(
                "goal", "follow_up__goal", "pre_brief__cycle", "ledger_entry"
            )
        )
    if PortfolioSection.CELEBRATIONS in sections:
        celebrations = ShoutOut.objects.filter(celebrated=owner).select_related("author")
        if not own:
            celebrations = celebrations.exclude(audience=Audience.PRIVATE)
        portfolio.celebrations = list(celebrations)
    if PortfolioSection.HOURS in sections:
        portfolio.hours = _hours(owner)
    return portfolio


def shares_of(owner: Person) -> QuerySet[PortfolioShare]:
    return PortfolioShare.objects.filter(owner=owner).select_related("colleague")


def share_state(share: PortfolioShare) -> str:
    """ "withdrawn", "expired" or "live", in the owner's list."""
    if share.withdrawn_at is not None:
        return "withdrawn"
    if share.expires_at is not None and share.expires_at <= timezone.now():
        return "expired"
    return "live"


def section_labels(sections: list[str]) -> list[str]:
    return [label for value, label in PortfolioSection.choices if value in sections]


def colleagues_of(owner: Person) -> QuerySet[Person]:
    """Whom a teacher may share with by name: active people of their own schools."""
    schools = Membership.objects.filter(person=owner).values("school_id")
    return (
        Person.objects.filter(is_active=True, memberships__school__in=schools)
        .exclude(pk=owner.pk)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class ShareCreated:
    share: PortfolioShare
    # The link's token, for its owner to copy now: only its digest is kept.
    token: str | None


@transaction.atomic
def portfolio_share_create(
    *,
    owner: Person,
    sections: list[str],
    colleague: Person | None = None,
    days: int | None = None,
) -> ShareCreated:
    """Share the chosen sections with a named colleague, or by a link for `days` days."""
    chosen = [section for section in ALL_SECTIONS if section in sections]
    if not chosen:
        raise ValidationError("Choose at least one part of your portfolio to share.")
    if colleague is not None:
        if not colleagues_of(owner).filter(pk=colleague.pk).exists():
            raise ValidationError("Share with a colleague of your own school.")
        share = PortfolioShare.objects.create(owner=owner, colleague=colleague, sections=chosen)
        return ShareCreated(share, None)
    if days is None or not LINK_DAYS[0] <= days <= LINK_DAYS[1]:
        raise ValidationError(f"A link works for {LINK_DAYS[0]} to {LINK_DAYS[1]} days.")
    token = secrets.token_urlsafe(32)
    share = PortfolioShare.objects.create(
        owner=owner,
        token=portfolio_link_digest(token),
        sections=chosen,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return ShareCreated(share, token)


def portfolio_share_withdraw(*, share: PortfolioShare) -> None:
    """The share stops working at once; it stays in its owner's list, marked withdrawn."""
    if share.withdrawn_at is None:
        share.withdrawn_at = timezone.now()
        share.save(update_fields=["withdrawn_at"])
