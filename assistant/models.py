"""Accounts, organisations, teams, memberships, invitations and background jobs."""

import secrets
import uuid
import zoneinfo
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/Paris.")


TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("A user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    time_zone = models.CharField(
        max_length=64, blank=True, validators=[validate_time_zone],
        help_text="Leave empty to use your team's time zone.",
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]


class Organisation(models.Model):
    name = models.CharField(max_length=120)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    EMPLOYEE = "employee", "Employee"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"


# Roles that include another role's rights, from least to most.
ROLE_RANK = {Role.EMPLOYEE: 0, Role.MANAGER: 1, Role.ADMIN: 2}


class TeamScopedQuerySet(models.QuerySet):
    """The one way to read team data: only rows of teams the user belongs to."""

    team_path = "team"

    def for_user(self, user, *, min_role: str = Role.EMPLOYEE):
        if not user.is_authenticated:
            return self.none()
        roles = [r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[Role(min_role)]]
        teams = Membership.objects.filter(user=user, role__in=roles).values("team_id")
        return self.filter(**{f"{self.team_path}__in": teams})


class TeamQuerySet(TeamScopedQuerySet):
    team_path = "pk"


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    language = models.CharField(
        max_length=8, default="en", help_text="The language the team usually meets in."
    )
    glossary = models.TextField(
        blank=True, help_text="Names and terms the speech model should spell right, one a line."
    )
    recording_retention_days = models.PositiveIntegerField(
        null=True, blank=True,
        help_text="Delete recordings (keeping their transcripts) after this many days. "
                  "Empty keeps them.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def glossary_terms(self) -> list[str]:
        return [line.strip() for line in self.glossary.splitlines() if line.strip()]


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EMPLOYEE)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="one_membership")]
        ordering = ["team__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"

    def has_role(self, role: str) -> bool:
        """True when this membership's role includes `role`'s rights."""
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EMPLOYEE)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.team}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class Job(models.Model):
    """The source of truth for one piece of long work done by a Celery worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ENDED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="jobs")
    owner = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="jobs")
    kind = models.CharField(max_length=80, help_text="The Celery task that does the work.")
    title = models.CharField(max_length=200, blank=True)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=120, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, help_text="What went wrong, for a person to read.")
    attempts = models.PositiveSmallIntegerField(default=0)
    checkpoint = models.JSONField(default=dict, blank=True,
                                  help_text="What a resumed attempt may skip.")
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.title or self.kind} ({self.status})"

    @property
    def has_ended(self) -> bool:
        return self.status in self.ENDED


class ModelSlot(models.Model):
    """A team's choice for one kind of model: embedded, or a local path, with parameters."""

    class Source(models.TextChoices):
        EMBEDDED = "embedded", "Embedded (from packages)"
        PATH = "path", "A local folder or file"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="model_slots")
    kind = models.CharField(max_length=20)
    pair = models.CharField(max_length=12, blank=True, help_text="For translation: e.g. de-en.")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.EMBEDDED)
    path = models.CharField(max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "kind", "pair"], name="one_slot")]

    def __str__(self) -> str:
        return f"{self.team} {self.kind}{' ' + self.pair if self.pair else ''}"


class KnowledgeSource(models.Model):
    """One document or meeting transcript in a team's knowledge base, cut into chunks."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        MEETING = "meeting", "Meeting"

    class Status(models.TextChoices):
        EMBEDDING = "embedding", "Being indexed"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="knowledge_sources")
    key = models.CharField(max_length=300, help_text="doc:<file name> or meeting:<id>; "
                                                    "a source with the same key is replaced.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True, help_text="Link back, for meetings.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.EMBEDDING)
    error = models.TextField(blank=True)
    embedded_with = models.CharField(max_length=500, blank=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    added_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["team", "key"], name="one_source_key")]

    def __str__(self) -> str:
        return self.title


class KnowledgeChunk(models.Model):
    """A passage of a source, with its sentence embedding (float32 bytes) once indexed."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(KnowledgeSource, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    start = models.FloatField(null=True, blank=True, help_text="Seconds into a meeting.")
    embedding = models.BinaryField(null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["source", "index"]
        indexes = [models.Index(fields=["team", "id"])]

    def __str__(self) -> str:
        return f"{self.source} #{self.index}"


class KnowledgeIndexVersion(models.Model):
    """Bumped on every change to a team's chunks: workers rebuild their cached matrix."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.team} knowledge v{self.version}"


class ChatMessage(models.Model):
    """One question a person asked the team assistant, and its cited answer."""

    class Status(models.TextChoices):
        WRITING = "writing", "Writing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="chat_messages")
    question = models.TextField()
    answer = models.TextField(blank=True)
    citations = models.JSONField(default=list, blank=True)
    known = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WRITING)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def is_writing(self) -> bool:
        return self.status == self.Status.WRITING


class PromptTemplate(models.Model):
    """A team's wording of one prompt the app sends to its text model."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="prompt_templates")
    key = models.CharField(max_length=40)
    text = models.TextField()

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "key"], name="one_prompt_key")]

    def __str__(self) -> str:
        return f"{self.team} {self.key}"


class ModelChange(models.Model):
    """The audit of a team's model configuration: who changed what, when, old → new."""

    class Status(models.TextChoices):
        TESTING = "testing", "Being tested"
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Rejected"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="model_changes")
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    subject = models.CharField(max_length=80, help_text="slot:text, glossary, prompt:<key>, …")
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPLIED)
    error = models.TextField(blank=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} by {self.user} ({self.status})"


class FineTuneRun(models.Model):
    """One LoRA fine-tuning of a team's text model: its data, losses, scores and adapter."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        ACTIVE = "active", "Active"
        KEPT = "kept", "Kept, not better"
        INACTIVE = "inactive", "Rolled back"
        FAILED = "failed", "Failed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="finetune_runs")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    started_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    base = models.JSONField(default=dict, blank=True, help_text="The text slot it started from.")
    pairs = models.JSONField(default=dict, blank=True, help_text="Counts of QA pairs.")
    losses = models.JSONField(default=list, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    folder = models.CharField(max_length=500, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["team", "version"],
                                               name="one_finetune_version")]

    def __str__(self) -> str:
        return f"{self.team} adapter v{self.version} ({self.status})"
