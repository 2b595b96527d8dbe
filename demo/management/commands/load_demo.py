"""`opendoors load-demo`: create (or refresh) the Riverbend demo district and print its logins."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.celebrations import demo_celebrations_load
from demo.credentials import demo_credentials_load
from demo.cycles import demo_cycles_load
from demo.district import SITE_URL, demo_password
from demo.goals import demo_goals_load
from demo.history import demo_history_load
from demo.hours import demo_hours_load
from demo.load import demo_load
from demo.portfolio import demo_portfolio_load
from demo.teams import demo_teams_load
from schools.models import School


class Command(BaseCommand):
    help = (
        "Create the Riverbend demo district: two middle schools, their staff, a "
        "7-period master schedule and one cycle of each structure. Running it again "
        "changes nothing."
    )

    def handle(self, *args, **options) -> None:
        logins = demo_load()
        demo_cycles_load(School.objects.get(slug="lincoln"), today=timezone.localdate())
        # Goals before the year of history (its cycles serve them), and both before the hours.
        demo_goals_load(School.objects.get(slug="lincoln").district)
        demo_history_load(today=timezone.localdate())
        demo_teams_load(School.objects.get(slug="lincoln"), today=timezone.localdate())
        demo_celebrations_load(School.objects.get(slug="lincoln"))
        demo_hours_load(School.objects.get(slug="lincoln"), today=timezone.localdate())
        demo_portfolio_load(School.objects.get(slug="lincoln"))
        holder = demo_credentials_load(School.objects.get(slug="lincoln"))
        width = max(len(username) for username, _, _ in logins)
        self.stdout.write(self.style.SUCCESS(f"Demo district ready at {SITE_URL}"))
        for username, role, school in logins:
            self.stdout.write(f"  {username:<{width}}  {role}, {school}")
        self.stdout.write(f"Password for every account: {demo_password()}")
        if holder is not None:
            self.stdout.write(f"{holder.username} has claimed a credential (My portfolio).")
