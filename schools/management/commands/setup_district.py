"""`opendoors setup-district --name NAME --slug SLUG --school-name NAME --leader-email EMAIL`.

Creates a district, its first school (a district leader's role is held at one school of the
district and counts for all of them) and its first district leader. Run again with the same
slug, it says so and changes nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from schools.district_forms import DistrictSetupForm
from schools.services import DistrictChangeRefused, district_setup


class Command(BaseCommand):
    help = "Set up a district with its first school and its first district leader."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the district's name")
        parser.add_argument("--slug", required=True, help="its web address, e.g. riverbend")
        parser.add_argument("--school-name", required=True, help="the district's first school")
        parser.add_argument("--school-slug", default="", help="default: made from its name")
        parser.add_argument("--leader-email", required=True, help="the first district leader")
        parser.add_argument("--leader-username", default="", help="default: made from the email")

    def handle(self, *args: Any, **options: Any) -> None:
        fields = ("name", "slug", "school_name", "school_slug", "leader_email", "leader_username")
        form = DistrictSetupForm({name: options[name] for name in fields})
        if not form.is_valid():
            problems = "; ".join(
                f"--{name.replace('_', '-')}: {' '.join(str(e) for e in errors)}"
                for name, errors in form.errors.items()
            )
            raise CommandError(problems)
        try:
            done = district_setup(**form.cleaned_data, actor=None)
        except DistrictChangeRefused as refused:
            raise CommandError(refused.reason) from None
        if not done.created:
            self.stdout.write(
                f"District “{done.district}” ({done.district.slug}) already exists: "
                "nothing changed."
            )
            return
        assert done.school is not None and done.leader is not None
        password = (
            "they sign in with their password"
            if done.leader.has_usable_password()
            else "they set a password with “Forgot your password?” on the sign-in page "
            f"(or: opendoors changepassword {done.leader.username})"
        )
        self.stdout.write(
            f"Set up {done.district} ({done.district.slug}) with {done.school} "
            f"({done.school.slug}); district leader {done.leader.username} "
            f"<{done.leader.email}>: {password}."
        )
