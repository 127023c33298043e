"""The live worker with the real models: utterance ends found by Silero VAD, Whisper base
captions (partial, then final), translations by Whisper and by the team's translation slot
(a tiny MarianMT built here), and the room made into a meeting when the host ends it."""

import asyncio
import concurrent.futures
import json

import numpy as np
import pytest

from assistant.ai import translate
from assistant.ai.audio import load_audio, speak
from assistant.models import Job, ModelSlot
from assistant.slots import slot_config
from meetings.live import RoomWork, rooms_claim
from meetings.live_stream import Relay
from meetings.models import Caption, Meeting, Room, RoomAudio
from meetings.rooms import audio_append, caption_save, chat_post, room_create, room_end, room_join
from tests.ai.conftest import espeak, tiny_marian, tmp_models  # noqa: F401 - fixtures
from tests.eval_data import EVAL

pytestmark = pytest.mark.django_db
RATE = 16000
MULTILINGUAL = EVAL / "real" / "multilingual.mp3"


def _pcm(seconds_of_silence: float = 0.0, text: str = "", voice: str | None = None) -> np.ndarray:
    parts = [np.zeros(int(seconds_of_silence * RATE), np.float32)]
    if text:
        parts.append(speak(text, voice))
    return np.concatenate(parts)


def _feed(participant, audio: np.ndarray, work: RoomWork | None = None, at: int = 0) -> int:
    """Send audio in half-second pieces like the browser; let the worker look after each."""
    samples = (np.clip(audio, -1, 1) * 32767).astype("<i2")
    for start in range(0, len(samples), RATE // 2):
        audio_append(participant=participant, pcm=samples[start:start + RATE // 2].tobytes(),
                     capture="test", at=at + start)
        if work is not None:
            work.run_once()
    return at + len(samples)


def _said(room) -> list[Caption]:
    return list(Caption.objects.filter(room=room, final=True).exclude(text="").order_by("start"))


@pytest.fixture
def room(world):
    return room_create(team=world.team, host=world.owner, title="Live sync")


def test_utterances_become_partial_then_final_captions(room, espeak):  # noqa: F811
    host = room.participants.get()
    audio = np.concatenate([
        _pcm(0.5, "Good morning everyone, the quarterly budget is ready for review."),
        _pcm(1.2, "Please send your comments to the whole team."), _pcm(1.2)])
    work = RoomWork(room)
    revisions = []
    samples = (audio * 32767).astype("<i2")
    for start in range(0, len(samples), RATE // 2):
        audio_append(participant=host, pcm=samples[start:start + RATE // 2].tobytes(),
                     capture="a", at=start)
        work.run_once()
        revisions += list(Caption.objects.filter(room=room).values_list("final", "text"))
    while work.run_once():
        pass
    finals = _said(room)
    assert len(finals) == 2, [c.text for c in finals]
    first, second = (c.text.lower() for c in finals)
    assert "budget" in first and "morning" in first
    assert "comments" in second and "team" in second
    assert finals[0].end < finals[1].start  # the pause between them
    assert all(c.language == "en" for c in finals)
    # While the first sentence was spoken, a partial caption stood in for it.
    assert any(not final and text for final, text in revisions)
    assert room.participants.get().heard_until >= int(finals[1].end * RATE) - RATE


def test_a_pause_is_heard_at_once_so_the_final_caption_needs_no_second_hearing(
        room, espeak, monkeypatch):  # noqa: F811
    import meetings.live

    heard = []

    def counting(config, audio, **options):
        result = transcribe(config, audio, **options)
        heard.append((len(audio) / RATE, result.text.strip()))
        return result

    transcribe = meetings.live.transcribe
    monkeypatch.setattr(meetings.live, "transcribe", counting)
    # After the first partial, no more on a schedule: only the pause can be heard early.
    monkeypatch.setattr(meetings.live, "PARTIAL_EVERY_S", 1e9)
    host = room.participants.get()
    said = speak("Please send the budget report to the whole team by Friday.")
    audio = np.concatenate([np.zeros(RATE // 2, np.float32), said,
                            np.zeros(int(1.5 * RATE), np.float32)])
    work, shown = RoomWork(room), []
    samples = (audio * 32767).astype("<i2")
    for start in range(0, len(samples), RATE // 2):
        audio_append(participant=host, pcm=samples[start:start + RATE // 2].tobytes(),
                     capture="a", at=start)
        work.run_once()
        shown += list(Caption.objects.filter(room=room, final=False).values_list("text", flat=True))
    while work.run_once():
        pass
    [final] = _said(room)
    assert "budget" in final.text.lower() and "team" in final.text.lower()
    # Heard whole once, at the pause, before its end was sure: shown as a partial caption,
    # then made final as it was.
    whole = [text for seconds, text in heard if seconds >= len(said) / RATE - 0.3]
    assert whole == [final.text] and final.text in shown


def test_german_speech_reaches_each_reader_in_their_language(world, room):
    speaker = room_join(room=room, user=world.teammate, caption_language="")
    english_reader = room_join(room=room, user=world.manager, caption_language="en")
    room.participants.filter(user=world.owner).update(caption_language="fr")  # no fr slot
    work = RoomWork(room)
    german = load_audio(MULTILINGUAL)[int(30.8 * RATE):int(38.6 * RATE)]  # the MIT licence
    _feed(speaker, np.concatenate([_pcm(0.3), german, _pcm(1.5)]), work)
    while work.run_once():
        pass
    caption, = _said(room)
    assert caption.language == "de" and caption.translated
    assert "software" in caption.translations["en"].lower(), caption.translations
    assert "fr" not in caption.translations
    # Each reader's stream shows it their way: English, or German with a note about pairs.
    shown = [json.loads(c.split("data: ", 1)[1]) for c in Relay(english_reader.pk).backlog()
             if c.startswith("event: caption")]
    assert shown[-1]["text"] == caption.translations["en"]
    assert shown[-1]["original"] == caption.text
    host = room.participants.get(user=world.owner)
    shown = [json.loads(c.split("data: ", 1)[1]) for c in Relay(host.pk).backlog()
             if c.startswith("event: caption")]
    assert shown[-1]["text"] == caption.text and "no de→fr translation" in shown[-1]["note"]


def test_typed_chat_goes_through_the_translation_slots(world, room, tiny_marian):  # noqa: F811
    # The tiny model's words are random, but they must be exactly what the slots make of them:
    # German → English directly, German → French through English (de-en, then en-fr).
    for pair in ("de-en", "en-fr"):
        ModelSlot.objects.create(team=world.team, kind="translation", pair=pair, source="path",
                                 path=tiny_marian.path, params={"max_tokens": 12})
    writer = room_join(room=room, user=world.teammate, caption_language="de")
    room_join(room=room, user=world.manager, caption_language="en")
    room.participants.filter(user=world.owner).update(caption_language="fr")
    message = chat_post(participant=writer, text="bitte schick das budget an das team")
    RoomWork(room).run_once()
    message.refresh_from_db()
    de_en = slot_config(team=world.team, kind="translation", pair="de-en")
    en_fr = slot_config(team=world.team, kind="translation", pair="en-fr")
    english = translate(de_en, [message.text])[0]
    assert message.translated and english
    assert message.translations == {"en": english, "fr": translate(en_fr, [english])[0]}


def test_the_ended_room_becomes_a_meeting_in_the_normal_pipeline(world, room, espeak):  # noqa: F811
    host = room.participants.get()
    guest = room_join(room=room, user=world.teammate)
    _feed(host, _pcm(0.2, "Hello"))
    _feed(guest, _pcm(0.2, "Hi there"))
    room_end(room=room, by=world.owner)
    work = RoomWork(Room.objects.get(pk=room.pk))
    work.close()
    room.refresh_from_db()
    assert room.archived and room.meeting is not None
    meeting = Meeting.objects.get()
    assert meeting.title == "Live sync" and meeting.audio_size > 0
    assert Job.objects.get(pk=meeting.job_id).kind == "meetings.transcribe"
    assert not RoomAudio.objects.exists()
    assert {c.participant_id for c in _said(room)} == {host.pk, guest.pk}


def test_one_live_worker_serves_a_room_at_a_time(room):
    assert [r.pk for r in rooms_claim("worker-a")] == [room.pk]
    assert rooms_claim("worker-b") == []
    Room.objects.filter(pk=room.pk).update(pump_until=None)
    assert [r.pk for r in rooms_claim("worker-b")] == [room.pk]


@pytest.mark.django_db(transaction=True)  # the stream reads from another thread
def test_captions_fan_out_through_redis_pub_sub(world, room, settings):
    redis = pytest.importorskip("redis")
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(settings.REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on this machine")
    from meetings import rooms
    from meetings.live_stream import aroom_events

    rooms._client = None
    reader = room_join(room=room, user=world.teammate)

    async def first_caption():
        events = aroom_events(reader.pk)
        async for chunk in events:
            if chunk.startswith("event: presence"):
                break  # the backlog is read: now say something
        from asgiref.sync import sync_to_async

        await sync_to_async(caption_save)(Caption(room=room, participant=reader),
                                          text="hello", language="en")
        async for chunk in events:
            if chunk.startswith("event: caption"):
                await events.aclose()
                return json.loads(chunk.split("data: ", 1)[1])

    # A thread of its own: after the browser tests, Playwright's loop runs in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        caption = pool.submit(asyncio.run, asyncio.wait_for(first_caption(), 10)).result()
    assert caption["text"] == "hello" and caption["speaker"] == world.teammate.display_name
    rooms._client = None
