"""Record templates (versioned), records filled from dictations, and their change history."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from assistant.models import Job, Role, Team, TeamScopedQuerySet
from meetings.models import recording_path


class RecordTemplate(models.Model):
    """A team's form for routine records; its fields live in versions, newest first."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="record_templates")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    visible_to = models.JSONField(
        default=list,
        blank=True,
        help_text="Roles that see every record of this template; authors always see theirs.",
    )
    use_model = models.BooleanField(
        default=False,
        help_text="Let the team's small model propose free-text fields the rules "
        "leave empty (checked against the transcript).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "slug"], name="one_template_slug_a_team")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> "TemplateVersion":
        """The version new records are made with."""
        return self.versions.order_by("-number").first()

    def shows_all_to(self, role: str) -> bool:
        """Whether a member with this role sees every record (not only their own)."""
        return role in self.visible_to or role == Role.ADMIN and Role.MANAGER in self.visible_to


class VersionQuerySet(TeamScopedQuerySet):
    team_path = "template__team"


class TemplateVersion(models.Model):
    """The fields of a template as they were at one time; records point at the one they used."""

    template = models.ForeignKey(RecordTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    fields = models.JSONField(help_text="[{name, label, type, required, hint, options, unit}]")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    def field(self, name: str) -> dict | None:
        return next((f for f in self.fields if f["name"] == name), None)


class Record(models.Model):
    """One filled form: from a dictation (audio or text) through review to saved."""

    class Status(models.TextChoices):
        TRANSCRIBING = "transcribing", "Transcribing"
        REVIEW = "review", "To review"
        SAVED = "saved", "Saved"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        AUDIO = "audio", "Recording"
        TEXT = "text", "Pasted text"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="records")
    template = models.ForeignKey(RecordTemplate, on_delete=models.CASCADE, related_name="records")
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="records")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="records"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REVIEW)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.TEXT)
    recorded_on = models.DateField(help_text="Relative dates in the dictation count from it.")
    audio = models.FileField(upload_to=recording_path, blank=True)
    audio_name = models.CharField(max_length=255, blank=True)
    transcript = models.TextField(blank=True)
    segments = models.JSONField(
        default=list, blank=True, help_text="[{start, end, char_start, char_end, text}]"
    )
    filled = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the filler found: {fields: {name: {value, source, "
        "method, note}}, missing: [...]}",
    )
    values = models.JSONField(default=dict, blank=True, help_text="The record as reviewed.")
    search_text = models.TextField(blank=True, help_text="Values and transcript, for search.")
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    saved_at = models.DateTimeField(null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "template", "status"])]

    def __str__(self) -> str:
        return f"{self.template.name} · {self.recorded_on:%Y-%m-%d}"

    @property
    def title(self) -> str:
        """The first filled text value, to tell records apart in a list."""
        for spec in self.version.fields:
            value = self.values.get(spec["name"])
            if spec["type"] == "text" and value:
                return str(value)[:80]
        return str(self)


class RecordChange(models.Model):
    """Who changed what in a record: {field: [before, after]} (created: before is null)."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=40, default="edited")
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.what} by {self.user} at {self.at:%Y-%m-%d %H:%M}"
