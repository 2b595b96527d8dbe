"""The site's navigation as data: what a person can reach from any page, built from their roles.

`base.html` draws `nav.items` (the main menu) and `nav.school_links` (the pages of the school
one is in). A later page joins the menu with one line in `Navigation.items`; a link is only
shown once its page exists and the person may open it. The whole menu costs one query (the
person's memberships), made only when a full page draws it: htmx fragments never do.
"""

from dataclasses import dataclass
from functools import cached_property

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from schools.models import Membership, Role

from .access import PEOPLE_MANAGERS, SCHEDULE_MANAGERS

# Which part of the site a page belongs to, by its URL name ("namespace:name"), so the menu
# can say where one is even on pages it does not link to (a visit, a cycle's look-fors).
SECTION_OF_NAMESPACE = {
    "inquiry": "cycles",
    "schools": "school",
    "insights": "school",
    "teams": "school",
    "protocols": "school",
    "district": "district",
}
SECTION_OF_VIEW = {
    "home": "visits",
    "visits:detail": "visits",
    "visits:capture": "visits",
    "visits:debrief": "visits",
    "visits:my_classroom": "visits",
    "visits:calendar": "visits",
    "growth:follow_up": "visits",
    "visits:plan": "cycles",
    "visits:change": "cycles",
    "visits:cancel": "cycles",
    "visits:propose": "cycles",
    "visits:proposal": "cycles",
    "growth:goal_new": "cycles",
    "growth:school_celebrations": "school",
    "inquiry:library": "school",
    "growth:my_celebrations": "school",
    "account": "account",
    "account_data": "account",
    "growth:my_hours": "account",
    "growth:reported_edit": "account",
    "growth:hours_approvals": "school",
    "growth:district_hours": "district",
    "insights:district_dashboard": "district",
    "growth:portfolio": "portfolio",
    "growth:artifact_new": "portfolio",
    "growth:shared_portfolio": "portfolio",
    "inquiry:school_cycles": "school",
    "inquiry:school_cycle": "school",
}
CELEBRATIONS = {"growth:school_celebrations", "growth:my_celebrations"}
SCHEDULE_PAGES = {"schools:schedule", "schools:teacher"}
IMPORT_PAGES = {"schools:import_new", "schools:import_detail"}
LIBRARY_PAGES = {"protocols:library", "protocols:detail", "protocols:new", "inquiry:library"}
TEAM_PAGES = {
    "teams:list",
    "teams:new",
    "teams:detail",
    "teams:edit",
    "teams:meeting_new",
    "teams:meeting",
    "growth:goal_at_meeting",
}


@dataclass(frozen=True)
class NavItem:
    """One link: `current` is "page" on the page itself, "true" anywhere else in its section
    (the values of aria-current), "" elsewhere."""

    name: str
    url: str
    current: str = ""


@dataclass(frozen=True)
class SchoolRoles:
    slug: str
    name: str
    roles: frozenset[str]
    district_slug: str = ""
    archived: bool = False

    @property
    def manages(self) -> bool:
        return bool(self.roles & SCHEDULE_MANAGERS)

    @property
    def manages_people(self) -> bool:
        return bool(self.roles & PEOPLE_MANAGERS)


def url_or_none(name: str, **kwargs: str) -> str | None:
    """The page's address, or None while no page has that name (a page of a later issue)."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


class Navigation:
    """The menu of one request, computed when a template first reads it."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def view_name(self) -> str:
        match = self.request.resolver_match
        return match.view_name if match else ""

    @cached_property
    def section(self) -> str:
        if self.view_name in SECTION_OF_VIEW:
            return SECTION_OF_VIEW[self.view_name]
        namespace = self.view_name.partition(":")[0] if ":" in self.view_name else ""
        return SECTION_OF_NAMESPACE.get(namespace, "")

    @cached_property
    def schools(self) -> list[SchoolRoles]:
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        roles: dict[tuple[str, str, str, bool], set[str]] = {}
        for slug, name, district, archived_at, role in (
            Membership.objects.filter(person=user)
            .order_by("school__name")
            .values_list(
                "school__slug",
                "school__name",
                "school__district__slug",
                "school__archived_at",
                "role",
            )
        ):
            roles.setdefault((slug, name, district, archived_at is not None), set()).add(role)
        return [
            SchoolRoles(slug, name, frozenset(r), district, archived)
            for (slug, name, district, archived), r in roles.items()
        ]

    @cached_property
    def current_schools(self) -> list[SchoolRoles]:
        """The person's schools less archived ones, which leave the menu."""
        return [school for school in self.schools if not school.archived]

    @cached_property
    def led_district_slug(self) -> str | None:
        """The district the person leads (the first, when several), from any of its schools."""
        for school in self.schools:
            if Role.DISTRICT_LEADER in school.roles:
                return school.district_slug
        return None

    @cached_property
    def school(self) -> SchoolRoles | None:
        """The school the page is about when it names one of the person's schools, else
        their first school."""
        match = self.request.resolver_match
        slug = match.kwargs.get("slug") if match else None
        for school in self.current_schools:
            if school.slug == slug:
                return school
        return self.current_schools[0] if self.current_schools else None

    def school_url(self, name: str) -> str | None:
        """A page of the person's school (see `school`); None when they belong to none."""
        return url_or_none(name, slug=self.school.slug) if self.school else None

    def district_url(self) -> str | None:
        """The Schools page of the district the person leads; None for everyone else."""
        slug = self.led_district_slug
        return url_or_none("district:schools", slug=slug) if slug else None

    def dashboard_url(self, school: SchoolRoles) -> str | None:
        """The school's dashboard, for its principals and the district's leaders only."""
        if not school.roles & {Role.PRINCIPAL, Role.DISTRICT_LEADER}:
            return None
        return url_or_none("insights:school_dashboard", slug=school.slug)

    def item(self, name: str, url: str | None, within: str | set[str]) -> NavItem | None:
        """A link, current inside `within`: a section's name or a set of URL names."""
        if url is None:
            return None
        if url == self.request.path:
            return NavItem(name, url, "page")
        inside = self.view_name in within if isinstance(within, set) else within == self.section
        return NavItem(name, url, "true" if inside else "")

    @cached_property
    def items(self) -> list[NavItem]:
        """The main menu. "My team", "My portfolio" and "District" join it with their pages."""
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        candidates = [
            self.item("My visits", reverse("home"), "visits"),
            self.item("My cycles", self.school_url("inquiry:cycles"), "cycles"),
            self.item("My school", self.school_url("schools:schedule"), "school"),
            self.item("My portfolio", url_or_none("growth:portfolio"), "portfolio"),
            self.item("District", self.district_url(), "district"),
            self.item("My account", url_or_none("account"), "account"),
        ]
        return [item for item in candidates if item is not None]

    @cached_property
    def school_links(self) -> list[NavItem]:
        """The school's own pages, shown on the school's pages: managers also import its
        schedule and change its settings."""
        school = self.school
        if self.section != "school" or school is None:
            return []
        slug = {"slug": school.slug}
        candidates = [
            self.item("Schedule", reverse("schools:schedule", kwargs=slug), SCHEDULE_PAGES),
            self.item("Patterns", reverse("insights:patterns", kwargs=slug), set()),
            self.item("Dashboard", self.dashboard_url(school), set()),
            self.item("Teams", url_or_none("teams:list", **slug), TEAM_PAGES),
            # The district's library: protocols first, and the shared evidence tools and
            # look-for sets one link away.
            self.item("Library", reverse("protocols:library", kwargs=slug), LIBRARY_PAGES),
            self.item(
                "Celebrations", reverse("growth:school_celebrations", kwargs=slug), CELEBRATIONS
            ),
        ]
        if school.manages:
            candidates += [
                self.item("Import", reverse("schools:import_new", kwargs=slug), IMPORT_PAGES),
                self.item("Settings", reverse("schools:settings", kwargs=slug), set()),
            ]
        if school.manages_people:
            candidates.append(self.item("People", url_or_none("schools:people", **slug), set()))
            # Leaders see every cycle of the school, not only those they take part in.
            candidates.append(
                self.item(
                    "All cycles",
                    url_or_none("inquiry:school_cycles", **slug),
                    {"inquiry:school_cycle"},
                )
            )
        return [item for item in candidates if item is not None]


def navigation(request: HttpRequest) -> dict[str, Navigation]:
    """Context processor: `nav` in every template rendered with a request."""
    return {"nav": Navigation(request)}
