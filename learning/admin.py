from django.contrib import admin

from .models import Goal, Resource, Skill, SkillLevel, Suggestion


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "expected_level"]
    list_filter = ["team"]
    search_fields = ["name", "description"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "kind", "level", "duration_minutes"]
    list_filter = ["team", "kind", "level"]
    search_fields = ["title", "description"]
    filter_horizontal = ["skills"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["resource", "member", "status", "score", "rank"]
    list_filter = ["status", "team"]


admin.site.register(SkillLevel)
admin.site.register(Goal)
