"""Districts, schools, people and roles in Django's admin (superusers only: see
opendoors/admin_site.py). The audit log is read-only here as everywhere."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from .models import AuditEntry, District, Membership, Person, School


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "min_classrooms_for_aggregates"]
    search_fields = ["name", "slug"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "district", "time_zone", "archived_at"]
    list_filter = ["district"]
    search_fields = ["name", "slug"]
    list_select_related = ["district"]
    filter_horizontal = ["cover_staff"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["school"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    """Django's user admin with OpenDoors' own fields and the person's roles at schools."""

    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "OpenDoors",
            {"fields": ("years_of_experience", "email_visit_changes", "email_reminders")},
        ),
    )
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_superuser"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "school"]
    list_filter = ["role", "school__district"]
    search_fields = ["person__username", "person__email", "person__last_name", "school__name"]
    list_select_related = ["person", "school"]
    autocomplete_fields = ["person", "school"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "district", "school", "action", "summary"]
    list_filter = ["district", "action"]
    search_fields = ["summary"]
    list_select_related = ["district", "school"]
    readonly_fields = ["district", "school", "actor", "subject", "action", "summary", "at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
