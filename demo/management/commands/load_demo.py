"""`opendoors load-demo`: create (or refresh) the Riverbend demo district and print its logins."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.cycles import demo_cycles_load
from demo.district import SITE_URL, demo_password
from demo.load import demo_load
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
        width = max(len(username) for username, _, _ in logins)
        self.stdout.write(self.style.SUCCESS(f"Demo district ready at {SITE_URL}"))
        for username, role, school in logins:
            self.stdout.write(f"  {username:<{width}}  {role}, {school}")
        self.stdout.write(f"Password for every account: {demo_password()}")
