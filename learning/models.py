"""Learning: a team's skills, members' levels and goals, the catalog, signals and suggestions."""

import numpy as np
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from assistant.models import Team, TeamScopedQuerySet

# 0 newcomer · 1 beginner · 2 intermediate · 3 advanced · 4 expert
LEVELS = [(0, "Newcomer"), (1, "Beginner"), (2, "Intermediate"), (3, "Advanced"), (4, "Expert")]
RESOURCE_LEVELS = LEVELS[1:]
MAX_LEVEL = 4
LEVEL_RANGE = [MinValueValidator(0), MaxValueValidator(MAX_LEVEL)]


def level_name(level: int | None) -> str:
    return dict(LEVELS).get(level, "unrated") if level is not None else "unrated"


class EmbeddedMixin(models.Model):
    """A row whose text has a cached sentence embedding (float32 bytes), with the text's hash."""

    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedded_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def vector(self) -> np.ndarray | None:
        return np.frombuffer(self.embedding, dtype=np.float32) if self.embedding else None

    def embedding_text(self) -> str:
        raise NotImplementedError


class Skill(EmbeddedMixin):
    """One skill the team cares about; its description is what to-dos and topics are matched to."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=80)
    description = models.TextField(
        help_text="A sentence or two of what the skill covers: work is matched to it by meaning.")
    expected_level = models.PositiveSmallIntegerField(
        default=2, choices=LEVELS, validators=LEVEL_RANGE,
        help_text="The level the team expects of its members; a gap is measured from it.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="one_skill_name")]

    def __str__(self) -> str:
        return self.name

    def embedding_text(self) -> str:
        return f"{self.name}: {self.description}"


class SkillLevel(models.Model):
    """A member's level in one skill, as they rate it and as a manager rates it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="skill_levels")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="levels")
    self_level = models.PositiveSmallIntegerField(null=True, blank=True, choices=LEVELS,
                                                  validators=LEVEL_RANGE)
    manager_level = models.PositiveSmallIntegerField(null=True, blank=True, choices=LEVELS,
                                                     validators=LEVEL_RANGE)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "skill"], name="one_level")]

    def __str__(self) -> str:
        return f"{self.member} · {self.skill}: {self.level}"

    @property
    def level(self) -> int | None:
        """The manager's rating when there is one, else the member's own."""
        return self.manager_level if self.manager_level is not None else self.self_level


class Goal(models.Model):
    """A level a member wants to reach in a skill."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="learning_goals")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="goals")
    target_level = models.PositiveSmallIntegerField(choices=LEVELS[1:], validators=LEVEL_RANGE)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "skill"], name="one_goal")]

    def __str__(self) -> str:
        return f"{self.member}: {self.skill} → {self.target_level}"


class Resource(EmbeddedMixin):
    """Something to learn from: a link, a team document, or one of the team's recorded meetings."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        VIDEO = "video", "Video"
        COURSE = "course", "Course"
        BOOK = "book", "Book"
        EXERCISE = "exercise", "Exercise"
        DOCUMENT = "document", "Team document"
        MEETING = "meeting", "Recorded meeting"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="learning_resources")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ARTICLE)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="resources")
    level = models.PositiveSmallIntegerField(choices=RESOURCE_LEVELS, default=1,
                                             validators=[MinValueValidator(1),
                                                         MaxValueValidator(MAX_LEVEL)])
    description = models.TextField(blank=True)
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, null=True,
                                blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def embedding_text(self) -> str:
        return f"{self.title}. {self.description}".strip()


class Signal(models.Model):
    """Evidence about a member and a skill, found in their work; kept so it can be shown."""

    class Kind(models.TextChoices):
        TODO_DONE = "todo_done", "Completed to-do"
        TODO_OVERDUE = "todo_overdue", "Overdue to-do"
        TODO_BLOCKED = "todo_blocked", "Blocked to-do"
        MEETING_TOPIC = "meeting_topic", "Meeting topic"
        FEEDBACK = "feedback", "Manager feedback"
        GOAL = "goal", "Goal"
        LEARNED = "learned", "Finished learning"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="learning_signals")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="signals")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=300, help_text="The to-do, topic or sentence it came from.")
    similarity = models.FloatField(default=1.0)
    weight = models.FloatField(help_text="How much it adds to (or takes from) the skill's need.")
    at = models.DateTimeField(default=timezone.now)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-weight"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]} → {self.skill}"


class Suggestion(models.Model):
    """A resource suggested to a member, with the parts of its score and the reason."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        SAVED = "saved", "Saved"
        DISMISSED = "dismissed", "Dismissed"
        DONE = "done", "Done"
        ASSIGNED = "assigned", "Assigned"

    # Never suggested again once in one of these.
    CLOSED = (Status.DISMISSED, Status.DONE)

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="learning_suggestions")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="suggestions")
    skill = models.ForeignKey(Skill, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", help_text="The skill the score leans on.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUGGESTED)
    score = models.FloatField(default=0.0)
    parts = models.JSONField(default=dict, blank=True,
                             help_text="gap, relevance, level_fit and novelty")
    because = models.TextField(blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    dismiss_reason = models.CharField(max_length=300, blank=True)
    todo = models.OneToOneField("meetings.Todo", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="learning")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    computed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "-score"]
        constraints = [models.UniqueConstraint(fields=["team", "member", "resource"],
                                               name="one_suggestion")]

    def __str__(self) -> str:
        return f"{self.resource} for {self.member} ({self.status})"
