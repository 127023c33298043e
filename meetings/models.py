"""Meetings: a recording, its transcript segments, their edit history and speakers."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone

from assistant.models import Job, Team, TeamScopedQuerySet

SPEAKER_COLOURS = 8


def recording_path(meeting: "Meeting", filename: str) -> str:
    """A random name under the team's folder: the person's file name is never a path."""
    suffix = PurePath(filename).suffix.lower()[:8]
    if not suffix[1:].isalnum():
        suffix = ""
    return f"recordings/{meeting.team_id}/{uuid.uuid4().hex}{suffix}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meetings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="meetings_created")
    title = models.CharField(max_length=200)
    held_on = models.DateField(help_text="The day of the meeting: due dates are resolved from it.")
    language = models.CharField(max_length=8, blank=True,
                                help_text="Leave empty to detect it from the audio.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROCESSING)
    audio = models.FileField(upload_to=recording_path, blank=True)
    audio_name = models.CharField(max_length=255, blank=True, help_text="The uploaded file's name.")
    audio_size = models.BigIntegerField(default=0)
    audio_deleted_at = models.DateTimeField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_audio(self) -> bool:
        return bool(self.audio) and self.audio_deleted_at is None


class MeetingScopedQuerySet(TeamScopedQuerySet):
    team_path = "meeting__team"


class Speaker(models.Model):
    """A voice in one meeting: a team member once matched or named, else "Speaker N"."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers")
    label = models.CharField(max_length=120)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    colour = models.PositiveSmallIntegerField(default=0)
    similarity = models.FloatField(null=True, blank=True)
    centroid = models.JSONField(default=list, blank=True)

    objects = MeetingScopedQuerySet.as_manager()

    class Meta:
        ordering = ["colour", "label"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.member.display_name if self.member else self.label


class Segment(models.Model):
    """One stretch of the transcript, with its words' times for click-to-seek."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="segments")
    index = models.PositiveIntegerField()
    start = models.FloatField()
    end = models.FloatField()
    text = models.TextField()
    language = models.CharField(max_length=8, blank=True)
    speaker = models.ForeignKey(Speaker, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="segments")
    words = models.JSONField(default=list, blank=True,
                             help_text="[[start, end, word], ...] in seconds")
    edited = models.BooleanField(default=False)

    objects = MeetingScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "index"]
        constraints = [models.UniqueConstraint(fields=["meeting", "index"], name="segment_order")]

    def __str__(self) -> str:
        return f"{self.start:.1f}s {self.text[:40]}"


class SegmentRevision(models.Model):
    """The text a segment had before an edit."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-edited_at"]

    def __str__(self) -> str:
        return f"Revision of {self.segment_id} at {self.edited_at:%Y-%m-%d %H:%M}"


def voice_sample_path(profile: "VoiceProfile", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"voices/{profile.user_id}/{uuid.uuid4().hex}{suffix if suffix[1:].isalnum() else ''}"


class VoiceProfile(models.Model):
    """A member's enrolled voice: matched against the speakers of their teams' meetings."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="voice")
    sample = models.FileField(upload_to=voice_sample_path, blank=True)
    embedding = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Voice of {self.user}"


class Minutes(models.Model):
    """A meeting's minutes; the text lives in versions so no edit is ever lost."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    current = models.ForeignKey("MinutesVersion", on_delete=models.SET_NULL, null=True,
                                related_name="+")
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"

    @property
    def edited_by_a_person(self) -> bool:
        return bool(self.current and self.current.author_id)

    @property
    def newer_generated(self) -> "MinutesVersion | None":
        """A generated version made after a person's edit, waiting to be looked at."""
        if not self.current:
            return None
        return (self.versions.filter(author=None, created_at__gt=self.current.created_at)
                .order_by("-created_at").first())


class MeetingTranslation(models.Model):
    """A meeting's transcript and minutes in another language, through the team's text
    translation slots; written whole by one job, so it is never half there."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8)
    segments = models.JSONField(default=dict, blank=True, help_text="segment id → text")
    minutes = models.JSONField(default=dict, blank=True,
                               help_text="title, summary, decisions, open_questions, items")
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "language"],
                                               name="one_translation_per_language")]

    def __str__(self) -> str:
        return f"{self.meeting} in {self.language}"


class MinutesVersion(models.Model):
    """One state of the minutes: generated (no author) or written by a person."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    body = models.JSONField(help_text="title, summary, decisions, open_questions, attendees")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.minutes} at {self.created_at:%Y-%m-%d %H:%M}"


class ActionItem(models.Model):
    """A to-do the meeting produced, waiting for a manager's review."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"
        MERGED = "merged", "Merged"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    owner_name = models.CharField(max_length=120, blank=True,
                                  help_text="Who the meeting named, as said.")
    task = models.CharField(max_length=300)
    due = models.DateField(null=True, blank=True)
    quote = models.TextField(blank=True)
    start = models.FloatField(null=True, blank=True)
    confidence = models.FloatField(default=0.5)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUGGESTED)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = MeetingScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "start"]

    def __str__(self) -> str:
        return self.task


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    quote = models.TextField(blank=True)
    start = models.FloatField(null=True, blank=True)

    objects = MeetingScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "start"]

    def __str__(self) -> str:
        return self.text[:80]


class Todo(models.Model):
    """Someone's to-do: accepted from a meeting, or assigned by a manager."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        BLOCKED = "blocked", "Blocked"
        DONE = "done", "Done"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="todos")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="todos")
    title = models.CharField(max_length=300)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    action_item = models.OneToOneField(ActionItem, on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="todo")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due", "-created_at"]

    def __str__(self) -> str:
        return self.title


class TodoEvent(models.Model):
    """A to-do's status change: daily reports and learning read this history."""

    todo = models.ForeignKey(Todo, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=Todo.Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.todo} → {self.status} at {self.at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A secret, revocable address for a person's to-do due dates in their calendar."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"


class Room(models.Model):
    """A live room: members speak, everyone reads captions in their language; then a meeting."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ENDED = "ended", "Ended"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rooms")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="rooms_hosted")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The room's revision counter: every caption change takes the next number, so a
    # participant's stream asks for "everything after N" and misses nothing.
    revision = models.PositiveBigIntegerField(default=0)
    # Which live worker serves the room, until when (renewed while it runs).
    pump = models.CharField(max_length=40, blank=True)
    pump_until = models.DateTimeField(null=True, blank=True)
    archived = models.BooleanField(default=False,
                                   help_text="The audio and captions were made into a meeting.")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RoomScopedQuerySet(TeamScopedQuerySet):
    team_path = "room__team"


class Participant(models.Model):
    """A member in a room, with the language they read captions in ("" = as spoken)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    caption_language = models.CharField(max_length=8, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    # Room-relative sample (16 kHz) up to which this person's audio has final captions.
    heard_until = models.PositiveBigIntegerField(default=0)
    # The microphone session being streamed and the room sample its first sample fell on.
    capture = models.CharField(max_length=40, blank=True)
    capture_base = models.PositiveBigIntegerField(default=0)

    objects = RoomScopedQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at"]
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="one_seat_each")]

    def __str__(self) -> str:
        return f"{self.user} in {self.room}"


class Caption(models.Model):
    """What someone said (partial until final) or typed, with its translations by language."""

    class Kind(models.TextChoices):
        SPEECH = "speech", "Speech"
        CHAT = "chat", "Chat"

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="captions")
    participant = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True,
                                    related_name="captions")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SPEECH)
    revision = models.PositiveBigIntegerField(db_index=True)
    start = models.FloatField(default=0.0, help_text="Seconds from the room's start.")
    end = models.FloatField(default=0.0)
    text = models.TextField()
    language = models.CharField(max_length=8, blank=True)
    final = models.BooleanField(default=False)
    translations = models.JSONField(default=dict, blank=True, help_text="{language: text}")
    translated = models.BooleanField(default=False, help_text="Translations are done.")
    final_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RoomScopedQuerySet.as_manager()

    class Meta:
        ordering = ["start", "created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class RoomAudio(models.Model):
    """A piece (≤ 1 s) of one participant's microphone: 16 kHz mono 16-bit PCM."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="audio")
    offset = models.PositiveBigIntegerField(help_text="Room-relative first sample.")
    pcm = models.BinaryField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{len(self.pcm) // 2} samples at {self.offset}"
