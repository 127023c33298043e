"""Team models page: slots tested before they apply, glossary and prompts, all audited."""

import pytest
from django.urls import reverse

from assistant.jobs import JobError
from assistant.models import Job, ModelChange, ModelSlot
from assistant.slots import slot_config
from assistant.team_models import prompt_text, slot_propose, slot_test_run

pytestmark = pytest.mark.django_db


def test_it_shows_every_slot_to_admins_only(world, client_for):
    page = client_for(world.owner).get(reverse("models"))
    assert page.status_code == 200
    for kind in ("speech_en", "speech_multi", "text", "embeddings", "speaker", "translation"):
        assert f'id="slot-{kind}"' in page.content.decode()
    assert client_for(world.manager).get(reverse("models")).status_code == 403


def test_a_path_that_does_not_exist_changes_nothing(world, client_for):
    response = client_for(world.owner).post(reverse("model-slot-edit"), {
        "kind": "text", "source": "path", "path": "/nowhere/model.gguf", "params": "{}"},
        follow=True)
    assert "/nowhere/model.gguf does not exist" in response.content.decode()
    assert not ModelSlot.objects.exists() and not ModelChange.objects.exists()


def test_bad_parameters_are_refused(world, client_for):
    response = client_for(world.owner).post(reverse("model-slot-edit"), {
        "kind": "text", "source": "embedded", "params": "{beam"}, follow=True)
    assert "not valid JSON" in response.content.decode()
    assert not ModelChange.objects.exists()


def test_a_model_that_fails_to_load_is_rejected_and_the_previous_one_stays(world, tmp_path):
    ModelSlot.objects.create(team=world.team, kind="text", params={"max_tokens": 99})
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.json").write_text('{"model_type": "nothing-real"}')
    change = slot_propose(team=world.team, user=world.owner, kind="text", source="path",
                          path=str(broken))
    assert change.status == "testing" and change.job.kind == "assistant.slot_test"
    assert change.old["params"] == {"max_tokens": 99} and change.new["path"] == str(broken)

    with pytest.raises(JobError, match="previous one stays in use"):
        slot_test_run(job=change.job)
    change.refresh_from_db()
    assert change.status == "rejected" and "Could not load" in change.error
    assert slot_config(team=world.team, kind="text").source == "embedded"
    assert ModelSlot.objects.get(team=world.team, kind="text").params == {"max_tokens": 99}


def test_a_working_model_is_applied_with_its_load_time_and_audited(world):
    change = slot_propose(team=world.team, user=world.owner, kind="embeddings",
                          source="embedded", params={"threads": 1})
    summary = slot_test_run(job=change.job)
    assert summary["ok"] and summary["load_seconds"] >= 0 and summary["latency_seconds"] > 0
    assert "dim 384" in summary["output"]
    change.refresh_from_db()
    assert change.status == "applied" and change.user == world.owner
    assert change.old["params"] == {} and change.new["params"] == {"threads": 1}
    assert slot_config(team=world.team, kind="embeddings").params == {"threads": 1}


def test_the_test_button_queues_a_smoke_job_on_the_right_workers(world, client_for):
    client = client_for(world.owner)
    client.post(reverse("model-slot-test"), {"kind": "text"})
    client.post(reverse("model-slot-test"), {"kind": "speech_en"})
    assert set(Job.objects.values_list("kind", flat=True)) == {
        "assistant.slot_test", "assistant.slot_test_speech"}
    assert not ModelChange.objects.exists()  # a test changes nothing


def test_glossary_changes_are_audited(world, client_for):
    world.team.glossary = "Kestrel"
    world.team.save()
    client_for(world.owner).post(reverse("model-glossary"), {"glossary": "Kestrel\n  Atlas \n"})
    world.team.refresh_from_db()
    assert world.team.glossary_terms == ["Kestrel", "Atlas"]
    change = ModelChange.objects.get(subject="glossary")
    assert change.old == {"glossary": "Kestrel"} and change.new == {"glossary": "Kestrel\nAtlas"}


def test_prompts_keep_their_placeholders_and_changes_are_audited(world, client_for):
    client = client_for(world.owner)
    response = client.post(reverse("model-prompt"), {"key": "assistant_answer",
                                                     "text": "Just answer."}, follow=True)
    assert "must keep the placeholder {passage}" in response.content.decode()
    default = prompt_text(team=world.team, key="assistant_answer")
    wording = "Use only this: {passage}\nQ: {question}\nA:"
    client.post(reverse("model-prompt"), {"key": "assistant_answer", "text": wording})
    assert prompt_text(team=world.team, key="assistant_answer") == wording
    assert prompt_text(team=world.other_team, key="assistant_answer") == default
    change = ModelChange.objects.get(subject="prompt:assistant_answer")
    assert change.old == {"text": default} and change.new == {"text": wording}
    page = client.get(reverse("models")).content.decode()
    assert "prompt:assistant_answer" in page and world.owner.display_name in page
