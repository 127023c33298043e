"""Drafts (emails, feedback, daily reports' text), daily reports, and each team's drafting style."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from assistant.models import Job, Team, TeamScopedQuerySet

from . import layouts as L


class Draft(models.Model):
    """A piece of writing the assistant drafted and a person edits; never sent on its own."""

    class Kind(models.TextChoices):
        FOLLOWUP = L.FOLLOWUP, "Meeting follow-up"
        EMAIL = L.EMAIL, "Email"
        REPLY = L.REPLY, "Reply"
        DAILY_REPORT = L.DAILY_REPORT, "Daily report"
        FEEDBACK = L.FEEDBACK, "Feedback"

    class Tone(models.TextChoices):
        FORMAL = L.FORMAL, "Formal"
        FRIENDLY = L.FRIENDLY, "Friendly"
        BRIEF = L.BRIEF, "Brief"

    class Status(models.TextChoices):
        WRITING = "writing", "Writing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="drafts")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    tone = models.CharField(max_length=10, choices=Tone.choices, default=Tone.FRIENDLY)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True, help_text="While writing: the text streamed so far.")
    recipients = models.TextField(blank=True, help_text="Email addresses, comma-separated.")
    inputs = models.JSONField(default=dict, blank=True, help_text="What the person asked for.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WRITING)
    stop_requested = models.BooleanField(default=False)
    outcome = models.JSONField(default=dict, blank=True,
                               help_text="How the model's sentences went, and timings.")
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                               blank=True, related_name="feedback_received",
                               help_text="Feedback: the team member it is about.")
    shared_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject or self.get_kind_display()

    @property
    def is_writing(self) -> bool:
        return self.status == self.Status.WRITING

    @property
    def is_email(self) -> bool:
        return self.kind in (self.Kind.FOLLOWUP, self.Kind.EMAIL, self.Kind.REPLY)

    @property
    def note(self) -> str:
        """Who wrote what, for the person editing the draft."""
        if self.is_writing:
            return ""
        parts = self.outcome.get("parts", [])
        by_model = [p["slot"] for p in parts if p.get("source") == "model"]
        kept = [f"{p['slot']} ({p['reason']})" for p in parts
                if p.get("source") != "model" and p.get("reason") != "no model"]
        note = "Names, dates and lists come from your records."
        if by_model:
            note += f" The assistant wrote the {' and '.join(by_model)} sentence."
        if kept:
            note += f" Standard sentences were used for: {'; '.join(kept)}."
        if self.outcome.get("error"):
            note += f" The assistant was not used: {self.outcome['error']}."
        return note


class DailyReport(models.Model):
    """One person's report for one day; the managers see it once it is submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not submitted"
        SUBMITTED = "submitted", "Submitted"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="daily_reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="daily_reports")
    day = models.DateField()
    notes = models.TextField(blank=True, help_text="Anything the to-dos do not say.")
    draft = models.OneToOneField(Draft, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="daily_report")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "author__name"]
        constraints = [models.UniqueConstraint(fields=["team", "author", "day"],
                                               name="one_report_a_day")]

    def __str__(self) -> str:
        return f"{self.author} · {self.day:%Y-%m-%d}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class DraftStyle(models.Model):
    """A team's drafting style: its usual tone, sign-offs and layouts (set by an admin)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="draft_style")
    tone = models.CharField(max_length=10, choices=Draft.Tone.choices,
                            default=Draft.Tone.FRIENDLY)
    signoffs = models.JSONField(default=dict, blank=True, help_text="{tone: sign-off line}")
    layouts = models.JSONField(default=dict, blank=True,
                               help_text="{kind: {subject, body}}; missing kinds use the default")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Drafting style of {self.team}"

    def layout(self, kind: str) -> L.Layout:
        """The team's layout for a kind, else the default one."""
        saved = self.layouts.get(kind)
        return L.Layout(**saved) if saved else L.DEFAULT_LAYOUTS[kind]

    def signoff(self, tone: str) -> str:
        return self.signoffs.get(tone) or L.SIGNOFFS[tone]


# Dictation to records (issue #14) lives in its own module.
from .records_models import Record, RecordChange, RecordTemplate, TemplateVersion  # noqa: E402,F401
