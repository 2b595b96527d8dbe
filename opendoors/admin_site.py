"""Django's admin, for superusers only.

Staff who are not superusers get no further than the admin's sign-in page: OpenDoors gives
rights through roles at schools (opendoors.access), never through the admin's permissions.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.http import HttpRequest


class SuperusersOnlyAdminSite(admin.AdminSite):
    site_header = "OpenDoors administration"
    site_title = "OpenDoors administration"
    index_title = "Districts, schools and people"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class AdminConfig(DjangoAdminConfig):
    """Installed in place of django.contrib.admin: its `admin.site` is the site above."""

    default_site = "opendoors.admin_site.SuperusersOnlyAdminSite"
