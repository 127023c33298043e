"""The live worker: microphone audio → utterances (Silero VAD) → Whisper base captions.

One `meetings.live_pump` task serves every open room it can lease (a conditional UPDATE, so
two live workers never serve the same room), polling the rooms' new audio a few times a second.
For each participant it keeps the audio not yet captioned; when voice activity shows an
utterance has ended it is transcribed (the caption becomes final) and translated for the
languages the participants read; while someone is still speaking, the growing utterance is
transcribed now and then as a partial caption that the final one replaces. When the host ends
a room, the rest is captioned and the whole audio becomes a meeting (meetings/live_archive.py).
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field

import numpy as np
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

from assistant.ai import SlotConfig, transcribe, translate
from assistant.slots import slot_config

from .models import Caption, Participant, Room, RoomAudio
from .rooms import PUMP_LEASE, RATE, caption_save, translation_pairs

log = logging.getLogger(__name__)

POLL_S = 0.05
RENEW_S = 3.0
MIN_SILENCE_MS = 500  # this much quiet after speech ends an utterance
SPEECH_PAD_MS = 150
MAX_UTTERANCE_S = 12.0  # a longer stretch without a pause is cut here
BATCH_S = 25.0  # finished utterances captioned in one Whisper pass when the worker is behind
PARTIAL_EVERY_S = 1.5  # new speech before the growing utterance is transcribed again
GAP_S = 0.3  # a jump in the audio's position larger than this is a new microphone session
SHORT_S = 1.5  # shorter utterances keep the speaker's last language (detection is unsure)
# A pause this long may be the end of the utterance: what was said is transcribed at once, so
# if the pause lasts to MIN_SILENCE_MS the final caption is that transcript, already made.
PAUSE_MS = 150


def live_speech_config(team) -> SlotConfig:
    """The team's multilingual Whisper, decoding greedily for speed (same loaded weights)."""
    base = slot_config(team=team, kind="speech_multi")
    params = {**base.params, "beam_size": 1, "temperature": 0.0,
              "condition_on_previous_text": False}
    return SlotConfig(kind=base.kind, source=base.source, path=base.path, params=params)


def speech_regions(audio: np.ndarray, min_silence_ms: int = MIN_SILENCE_MS) -> list[dict]:
    """Silero VAD's speech stretches, as sample ranges of `audio`."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=min_silence_ms, speech_pad_ms=SPEECH_PAD_MS,
                         min_speech_duration_ms=200)
    return get_speech_timestamps(audio, options)


def pause_at(audio: np.ndarray) -> int | None:
    """Where the speech in `audio` paused for at least PAUSE_MS at its end (the sample after
    the last speech, with its padding), or None while it goes on or is all quiet."""
    regions = speech_regions(audio, PAUSE_MS)
    if regions and regions[-1]["end"] < len(audio) - 1:
        return regions[-1]["end"]
    return None


@dataclass
class Stream:
    """One participant's audio in the worker, from sample `base` (room-relative) on."""

    participant: Participant
    base: int
    audio: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    checked: int = 0  # len(audio) when voice activity was last looked at
    partial: Caption | None = None
    partial_start: int = 0
    partial_upto: int = 0  # the partial caption's text covers the audio up to here
    heard_upto: int = 0  # the last partial transcription, with words or without
    language: str = ""  # of the speaker's last utterance
    heard_as: str = ""  # of the utterance in progress, from its first partial
    # A partial costs a whole Whisper pass: on a busy machine they are spaced out further,
    # so an utterance's end never waits long behind one.
    partial_every: float = PARTIAL_EVERY_S

    @property
    def end(self) -> int:
        return self.base + len(self.audio)

    def add(self, piece: RoomAudio) -> bool:
        """Append a piece; False when it does not follow on (the caller finishes first)."""
        samples = np.frombuffer(bytes(piece.pcm), dtype="<i2").astype(np.float32) / 32768.0
        if len(self.audio) and piece.offset > self.end + GAP_S * RATE:
            return False
        if not len(self.audio):
            self.base = max(piece.offset, self.base)
        self.audio = np.concatenate([self.audio, samples])
        return True

    def drop(self, upto: int) -> None:
        """Forget audio before buffer sample `upto`: it has been captioned (or was quiet)."""
        self.audio = self.audio[upto:]
        self.base += upto
        self.checked = max(0, self.checked - upto)
        self.partial_start -= upto
        self.partial_upto -= upto
        self.heard_upto -= upto


class RoomWork:
    """What the worker does for one room: its streams, captions and translations."""

    def __init__(self, room: Room) -> None:
        self.room = room
        self.streams: dict[int, Stream] = {}
        self.last_piece = 0
        self.speech = live_speech_config(room.team)

    def warm(self) -> None:
        """Load Whisper when the room opens, so the first words do not wait for it."""
        from assistant.ai.speech import load

        load(self.speech)

    # -- audio in -----------------------------------------------------------------------
    def pull(self) -> bool:
        """Take the room's new audio pieces; True when there were any."""
        pieces = list(RoomAudio.objects.filter(participant__room=self.room, id__gt=self.last_piece)
                      .select_related("participant__user").order_by("id")[:200])
        for piece in pieces:
            self.last_piece = piece.pk
            stream = self.streams.get(piece.participant_id)
            if stream is None:
                stream = self.streams[piece.participant_id] = Stream(
                    piece.participant, piece.participant.heard_until)
            if piece.offset + len(piece.pcm) // 2 <= stream.participant.heard_until:
                continue  # captioned before this worker took over
            if not stream.add(piece):
                self.finish(stream, len(stream.audio))
                stream.audio, stream.base = np.zeros(0, np.float32), piece.offset
                stream.add(piece)
        return bool(pieces)

    # -- utterances ---------------------------------------------------------------------
    def step(self, stream: Stream, *, closing: bool = False) -> bool:
        """Look for an utterance end in a stream; transcribe what is due. True if it worked."""
        n = len(stream.audio)
        if n == 0 or (n == stream.checked and not closing) or n < 0.3 * RATE and not closing:
            return False
        stream.checked = n
        regions = speech_regions(stream.audio)
        if not regions:
            self.discard_partial(stream)
            if n > RATE:  # keep a little: speech may be starting at the very end
                stream.drop(n - RATE // 2)
            return False
        start = regions[0]["start"]
        done = [r for r in regions if r["end"] < n - 1]
        if closing:
            self.finish(stream, n, start)
            return True
        if done:
            # Behind (a busy machine), several utterances have ended: Whisper hears up to
            # 30 s for the price of one, so they are captioned together to catch up.
            fits = [r for r in done if r["end"] - start <= BATCH_S * RATE] or done[:1]
            began = time.monotonic()
            self.finish(stream, fits[-1]["end"], start)
            log.info("live: %.1f s utterance final %.2f s after its end was seen, which was "
                     "%.2f s of audio after the end", (fits[-1]["end"] - start) / RATE,
                     time.monotonic() - began, (n - fits[-1]["end"]) / RATE)
            return True
        if n - start > MAX_UTTERANCE_S * RATE:
            self.finish(stream, n, start)
            return True
        paused = pause_at(stream.audio[start:])
        if paused is not None and stream.heard_upto < start + paused:
            self.partial(stream, start, n)  # likely the final caption's text
            return True
        if n - max(stream.heard_upto, start) >= stream.partial_every * RATE:
            self.partial(stream, start, n)
            return True
        return False

    def _hear(self, stream: Stream | None, audio: np.ndarray, task: str = "transcribe",
              language: str | None = None):
        if language is None and stream and stream.language and len(audio) < SHORT_S * RATE:
            language = stream.language
        return transcribe(self.speech, audio, language=language, task=task, vad=False,
                          word_timestamps=False)

    def partial(self, stream: Stream, start: int, end: int) -> None:
        began, given = time.monotonic(), stream.heard_as or None
        # The first partial of an utterance detects its language; the later ones and the
        # final caption reuse it.
        heard = self._hear(stream, stream.audio[start:end], language=given)
        if not stream.heard_as and heard.language_probability >= 0.5:
            stream.heard_as = heard.language
        took = time.monotonic() - began
        stream.partial_every = max(PARTIAL_EVERY_S, 2 * took)
        stream.heard_upto = end  # even if it was not words
        log.info("live: partial of %.1f s took %.2f s (language %s)", (end - start) / RATE,
                 took, "given" if given else "detected")
        text = heard.text.strip()
        if not text:
            return
        fields = {"text": text, "language": heard.language, "start": self.seconds(stream, start),
                  "end": self.seconds(stream, end)}
        if stream.partial is None or abs(stream.partial_start - start) > GAP_S * RATE:
            self.discard_partial(stream)
            stream.partial = Caption(room=self.room, participant=stream.participant)
        caption_save(stream.partial, **fields)
        stream.partial_start, stream.partial_upto = start, end

    def finish(self, stream: Stream, end: int, start: int = 0) -> None:
        """Make the utterance [start, end) of the stream a final caption, then translate it."""
        audio = stream.audio[start:end]
        partial = stream.partial
        if (partial is not None and stream.partial_start <= start + GAP_S * RATE
                and stream.partial_upto >= end - SPEECH_PAD_MS * RATE // 1000):
            text, language = partial.text, partial.language  # already heard all of it
        elif len(audio) >= 0.2 * RATE:
            heard = self._hear(stream, audio, language=stream.heard_as or None)
            text, language = heard.text.strip(), heard.language
        else:
            text, language = "", ""
        at = (self.seconds(stream, start), self.seconds(stream, end))
        stream.drop(end)
        stream.partial, stream.heard_as, stream.heard_upto = None, "", 0
        Participant.objects.filter(pk=stream.participant.pk).update(heard_until=stream.base)
        stream.participant.heard_until = stream.base
        if not text:
            if partial is not None:
                self.discard(partial)
            return
        stream.language = language
        caption = partial or Caption(room=self.room, participant=stream.participant)
        targets = self.targets(language)
        caption_save(caption, text=text, language=language, start=at[0], end=at[1], final=True,
                     final_at=timezone.now(), translated=not targets)
        if targets:
            self.translate(caption, targets, audio=audio)

    def seconds(self, stream: Stream, sample: int) -> float:
        return round((stream.base + sample) / RATE, 2)

    def discard_partial(self, stream: Stream) -> None:
        if stream.partial is not None:
            self.discard(stream.partial)
            stream.partial, stream.heard_as = None, ""

    def discard(self, caption: Caption) -> None:
        """A partial that turned out to be no speech: emptied, so every page drops it."""
        if caption.pk:
            caption_save(caption, text="", final=True, translated=True)

    # -- translations -------------------------------------------------------------------
    def targets(self, language: str) -> list[str]:
        wanted = set(Participant.objects.filter(room=self.room).exclude(caption_language="")
                     .values_list("caption_language", flat=True))
        return sorted(wanted - {language})

    def translate(self, caption: Caption, targets: list[str], *, audio=None) -> None:
        """English from Whisper (speech) or a text slot; other languages from text slots."""
        pairs = set(translation_pairs(team=self.room.team))
        source, done = caption.language, {}
        english = caption.text if source == "en" else None
        if "en" in targets or any(f"en-{t}" in pairs and f"{source}-{t}" not in pairs
                                  for t in targets):
            if english is None and audio is not None:
                english = self._hear(None, audio, task="translate", language=source).text.strip()
            elif english is None and f"{source}-en" in pairs:
                english = self._text(f"{source}-en", caption.text)
        for target in targets:
            if target == "en" and english:
                done["en"] = english
            elif f"{source}-{target}" in pairs:
                done[target] = self._text(f"{source}-{target}", caption.text)
            elif english and f"en-{target}" in pairs:
                done[target] = self._text(f"en-{target}", english)
        caption_save(caption, translations={k: v for k, v in done.items() if v},
                     translated=True)

    def _text(self, pair: str, text: str) -> str:
        try:
            config = slot_config(team=self.room.team, kind="translation", pair=pair)
            return translate(config, [text])[0]
        except Exception:
            log.exception("translation %s failed in room %s", pair, self.room.pk)
            return ""

    def chats(self) -> bool:
        """Translate typed messages that wait for it."""
        waiting = list(Caption.objects.filter(room=self.room, kind=Caption.Kind.CHAT,
                                              translated=False).select_related("participant__user"))
        for caption in waiting:
            targets = self.targets(caption.language)
            if targets:
                self.translate(caption, targets)
            else:
                caption_save(caption, translated=True)
        return bool(waiting)

    def run_once(self) -> bool:
        """One pass over the room; True when there was anything to do."""
        worked = self.pull()
        for stream in list(self.streams.values()):
            worked |= self.step(stream)
        worked |= self.chats()
        return worked

    def close(self) -> None:
        """The room has ended: caption what is left, then make the meeting."""
        from .live_archive import room_archive

        while self.pull():
            pass
        for stream in self.streams.values():
            self.step(stream, closing=True)
        self.chats()
        room_archive(room=self.room)


def rooms_claim(token: str) -> list[Room]:
    """Lease every open or unarchived room no live worker is serving, plus our own."""
    now = timezone.now()
    (Room.objects.filter(archived=False)
     .filter(Q(pump_until__isnull=True) | Q(pump_until__lt=now) | Q(pump=token))
     .update(pump=token, pump_until=now + PUMP_LEASE))
    return list(Room.objects.filter(pump=token, archived=False).select_related("team"))


def pump_run(*, max_seconds: float = 600.0, idle_exit: float = 20.0) -> int:
    """Serve rooms until none is left for idle_exit seconds (or max_seconds, then re-send)."""
    token = uuid.uuid4().hex
    started = last_work = time.monotonic()
    renewed = 0.0
    works: dict[int, RoomWork] = {}
    served = 0
    while True:
        now = time.monotonic()
        if now - renewed > RENEW_S:
            close_old_connections()
            rooms = rooms_claim(token)
            renewed = now
            for room in rooms:
                if room.pk not in works:
                    works[room.pk] = RoomWork(room)
                    works[room.pk].warm()
                    served += 1
                works[room.pk].room.status = room.status
        worked = False
        for pk, work in list(works.items()):
            try:
                if work.room.status == Room.Status.ENDED:
                    work.close()
                    del works[pk]
                    worked = True
                else:
                    worked |= work.run_once()
            except Exception:
                log.exception("live room %s failed a step", pk)
        if worked or works:
            last_work = time.monotonic()
        if not works and time.monotonic() - last_work > idle_exit:
            break
        if time.monotonic() - started > max_seconds:
            Room.objects.filter(pump=token).update(pump="", pump_until=None)
            from assistant.celery import app, queue_name

            app.send_task("meetings.live_pump", queue=queue_name("live"))
            break
        if not worked:
            time.sleep(POLL_S)
    return served
