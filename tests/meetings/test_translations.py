"""A past meeting translated from its page with the team's translation slots (a tiny MarianMT
built here): routes, the languages offered, the job writing the whole translation at once."""

import pytest

from assistant.ai import translate
from assistant.jobs import job_run
from assistant.models import Job, ModelSlot
from assistant.slots import slot_config
from meetings.models import ActionItem, MeetingTranslation, Minutes, MinutesVersion
from meetings.tasks import translate as translate_task
from meetings.translations import route, translation_queue, translation_targets
from tests.ai.conftest import tiny_marian, tmp_models  # noqa: F401 - fixtures
from tests.factories import MeetingFactory, SegmentFactory

pytestmark = pytest.mark.django_db


def _slots(team, path, *pairs):
    for pair in pairs:
        ModelSlot.objects.create(team=team, kind="translation", pair=pair, source="path",
                                 path=path, params={"max_tokens": 12})


def test_routes_are_direct_or_through_english():
    pairs = {"de-en", "en-fr", "de-it"}
    assert route("de", "de", pairs) == []
    assert route("de", "it", pairs) == ["de-it"]
    assert route("de", "fr", pairs) == ["de-en", "en-fr"]
    assert route("fr", "de", pairs) is None


def test_the_page_offers_only_languages_the_slots_reach(world, client_for, tiny_marian):  # noqa: F811
    meeting = MeetingFactory(team=world.team, language="de")
    SegmentFactory(meeting=meeting, language="de", text="wir schicken das budget")
    client = client_for(world.teammate)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "an admin adds a translation model" in page and "Translate into" not in page
    _slots(world.team, tiny_marian.path, "de-en", "en-fr")
    assert translation_targets(meeting=meeting) == [("en", "English"), ("fr", "French")]
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Translate into" in page and '<option value="fr">French</option>' in page
    # Nothing reaches Italian: refused with a message, nothing queued.
    response = client.post(f"/meetings/{meeting.pk}/translate/", {"language": "it"}, follow=True)
    assert "no translation model that reaches" in response.content.decode()
    assert not Job.objects.exists() and not MeetingTranslation.objects.exists()


def test_the_job_translates_transcript_and_minutes_and_the_page_shows_both(
    world, client_for, tiny_marian  # noqa: F811
):
    _slots(world.team, tiny_marian.path, "de-en", "en-fr")
    meeting = MeetingFactory(team=world.team, language="de")
    first = SegmentFactory(meeting=meeting, language="de", text="wir schicken das budget")
    second = SegmentFactory(meeting=meeting, language="en", text="send the budget <b>today</b>")
    minutes = Minutes.objects.create(meeting=meeting)
    minutes.current = MinutesVersion.objects.create(minutes=minutes, body={
        "title": "Budget", "summary": [{"text": "das budget geht raus", "start": 0.0}],
        "decisions": ["wir schicken es"], "open_questions": [], "attendees": []})
    minutes.save()
    item = ActionItem.objects.create(meeting=meeting, task="das budget schicken")

    client = client_for(world.teammate)
    response = client.post(f"/meetings/{meeting.pk}/translate/", {"language": "fr"})
    assert response.status_code == 302 and response["Location"].endswith("/translation/fr/")
    translation = MeetingTranslation.objects.get()
    assert translation.segments == {} and translation.job.kind == "meetings.translate"
    waiting = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in waiting

    job_run(job_id=translation.job_id, func=translate_task.job_function)
    assert Job.objects.get().status == Job.Status.SUCCEEDED
    translation.refresh_from_db()
    de_en = slot_config(team=world.team, kind="translation", pair="de-en")
    en_fr = slot_config(team=world.team, kind="translation", pair="en-fr")

    def to_french(text, source):
        english = translate(de_en, [text])[0] if source == "de" else text
        return translate(en_fr, [english])[0]

    # Each segment from its own language: German through English, English directly.
    assert translation.segments == {str(first.pk): to_french(first.text, "de"),
                                    str(second.pk): to_french(second.text, "en")}
    assert translation.minutes["summary"] == [to_french("das budget geht raus", "de")]
    assert translation.minutes["decisions"] == [to_french("wir schicken es", "de")]
    assert translation.minutes["items"] == {str(item.pk): to_french(item.task, "de")}

    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' not in page  # done: the page stops polling
    assert "send the budget &lt;b&gt;today&lt;/b&gt;" in page  # transcripts are escaped
    for text in translation.segments.values():
        assert text in page or not text.strip()


def test_a_failed_translation_leaves_the_previous_one_whole(world, tiny_marian):  # noqa: F811
    _slots(world.team, tiny_marian.path, "de-en")
    meeting = MeetingFactory(team=world.team, language="de")
    SegmentFactory(meeting=meeting, language="de", text="wir schicken das budget")
    translation = translation_queue(meeting=meeting, language="en", user=world.owner)
    MeetingTranslation.objects.filter(pk=translation.pk).update(segments={"1": "kept"})
    # The admin removes the slot while the job waits: it fails with a clear message.
    ModelSlot.objects.filter(team=world.team, kind="translation").delete()
    job_run(job_id=translation.job_id, func=translate_task.job_function)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "no translation model from German" in job.error
    assert MeetingTranslation.objects.get().segments == {"1": "kept"}
