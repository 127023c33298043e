from django.contrib import admin

from .models import Invitation, Job, Membership, Organisation, Team, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "is_staff", "date_joined"]
    search_fields = ["email", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "organisation", "time_zone"]
    inlines = [MembershipInline]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "team", "status", "progress", "attempts", "created_at"]
    list_filter = ["status", "kind"]


admin.site.register(Organisation)
admin.site.register(Invitation)
