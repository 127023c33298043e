"""Fine-tuning: extractive QA pairs, scores, a real LoRA run, activation and rollback."""

from pathlib import Path

import pytest
from django.urls import reverse

from assistant.finetune import (
    default_steps,
    exact_match,
    finetune_activate,
    finetune_rollback_to_base,
    qa_pairs,
    qa_pairs_from,
    rouge_l,
    save_merged,
)
from assistant.knowledge import knowledge_document_put, knowledge_embed
from assistant.models import FineTuneRun, ModelChange
from assistant.slots import slot_config
from assistant.views_models import loss_chart

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).resolve().parents[2] / "bench" / "kb_fixture" / "docs"


def test_pairs_turn_amounts_dates_and_names_into_questions():
    pairs = qa_pairs_from("Our main contact is Dana Ortiz, and the contract renews on "
                          "1 March for 120 seats.", source=1)
    assert {p.answer for p in pairs} == {"Dana Ortiz", "1 March", "120 seats"}
    seats = next(p for p in pairs if p.answer == "120 seats")
    assert seats.question == ("Our main contact is Dana Ortiz, and the contract renews on "
                              "1 March for what?")


def test_scores():
    assert rouge_l("within 30 days", "30 days") == pytest.approx(0.8)
    assert rouge_l("nothing", "30 days") == 0.0
    assert exact_match("30 Days.", "30 days") and not exact_match("30", "30 days")


def test_the_loss_chart_spans_its_box():
    chart = loss_chart([3.0, 2.0, 1.0])
    first, *_, last = chart["points"].split()
    assert first == "24.0,24.0" and last == "456.0,136.0"
    assert loss_chart([1.0]) == {}


def _fixture_team(world, count=12):
    for path in sorted(FIXTURE.iterdir())[:count]:
        knowledge_embed(source=knowledge_document_put(team=world.team, user=None, name=path.name,
                                                      data=path.read_bytes()))
    return world.team


def test_held_out_pairs_come_from_other_documents(world):
    train, held = qa_pairs(team=_fixture_team(world))
    assert len(train) >= 16 and len(held) >= 4
    assert not {p.source for p in train} & {p.source for p in held}


def test_a_short_real_run_trains_scores_and_activates_only_if_better(world, client_for):
    """Through `manage.py finetune`, which runs the job in the foreground with progress."""
    import io

    from django.core.management import call_command

    team = _fixture_team(world)
    out = io.StringIO()
    call_command("finetune", "--team", team.slug, "--steps", "2", stdout=out)
    run = FineTuneRun.objects.get(team=team)
    assert run.job.status == "succeeded"
    summary = f"v1: {run.pairs['train']} training / {run.pairs['held_out']} held-out"
    assert summary in out.getvalue()
    assert len(run.losses) == 2 and all(loss > 0 for loss in run.losses)
    assert set(run.before) >= {"rouge_l", "exact_match"} and set(run.after) >= {"rouge_l"}
    assert (Path(run.folder) / "adapter" / "adapter_config.json").is_file()
    # Better means ROUGE-L up without exact matches going down.
    better = (run.after["rouge_l"] > run.before["rouge_l"]
              and run.after["exact_match"] >= run.before["exact_match"])
    assert (run.status == "active") == better
    assert (slot_config(team=team, kind="text").source == "path") == better
    assert "Training step 2 of 2" in out.getvalue()
    if better:  # the production engine's file is used if it too scores better, through it
        gguf_better = run.after["llama_cpp"]["rouge_l"] > run.before["rouge_l"]
        assert slot_config(team=team, kind="text").path.endswith("merged.gguf") == gguf_better
    page = client_for(world.owner).get(reverse("finetune-detail", args=[run.pk]))
    assert b"<polyline points=" in page.content and b"ROUGE-L" in page.content


def test_a_merged_version_loads_in_the_text_runtime_and_rolls_back(world, tmp_path):
    import copy

    from assistant.ai import generate_text
    from assistant.ai import text as runtime

    loaded = runtime.load(slot_config(team=None, kind="text")).model
    save_merged(copy.deepcopy(loaded.model), loaded.tokenizer, tmp_path / "v1" / "merged")
    run = FineTuneRun.objects.create(team=world.team, version=1, status="kept",
                                     folder=str(tmp_path / "v1"),
                                     base={"source": "embedded", "path": "", "params": {}})
    finetune_activate(run=run, user=world.owner)
    config = slot_config(team=world.team, kind="text")
    assert config.source == "path" and config.path == str(tmp_path / "v1" / "merged")
    assert generate_text(config, [{"role": "user", "content": "Say hello."}],
                         max_new_tokens=4).strip()
    run.refresh_from_db()
    assert run.status == "active"

    finetune_rollback_to_base(team=world.team, user=world.owner)
    assert slot_config(team=world.team, kind="text").source == "embedded"
    run.refresh_from_db()
    assert run.status == "inactive"
    assert [c.new.get("note") for c in ModelChange.objects.order_by("created_at")] == [
        "adapter v1", "no adapter"]


def test_the_default_training_is_two_passes_over_the_pairs_within_bounds():
    assert default_steps(70, 8) == 20  # 18 steps for two passes, at least 20
    assert default_steps(200, 8) == 50
    assert default_steps(240, 2) == 120  # never more than 120


def _agreement(first, second) -> float:
    """How often two GGUF files predict the same next token along one English text."""
    import numpy as np
    from llama_cpp import Llama

    text = ("The team met on Monday to plan the release. Anna will update the documentation "
            "before Friday, and the security review is scheduled for next week.")
    guesses = []
    for path in (first, second):
        llm = Llama(model_path=str(path), n_ctx=256, logits_all=True, verbose=False, n_threads=2)
        tokens = llm.tokenize(text.encode())
        llm.eval(tokens)
        guesses.append(np.argmax(np.asarray(llm.scores[:len(tokens)]), axis=1))
        llm.close()
    return float(np.mean(guesses[0] == guesses[1]))


def test_a_merged_model_is_written_for_llama_cpp_and_answers_as_the_base_file_does(
        world, tmp_path):
    import numpy as np
    import torch

    from assistant.ai import SlotConfig
    from assistant.ai import text as runtime
    from assistant.finetune_gguf import gguf_with_merged, llama_permute

    base = runtime.load(SlotConfig(kind="text"))
    assert base.model.engine == "llama.cpp" and str(base.path).endswith(".gguf")
    state = base.model.model.state_dict()  # de-quantized by transformers, as training sees it
    out = tmp_path / "v1" / "merged.gguf"
    layers = base.model.model.config.num_hidden_layers
    assert gguf_with_merged(Path(base.path), state, out) == 4 * layers
    assert not out.with_suffix(".partial").exists()
    # llama.cpp runs it and predicts the next word along a text as the base file does
    # (float16 against 4-bit weights: not always the same rounding, so nearly always).
    assert _agreement(base.path, out) >= 0.8
    # Read back as transformers reads a GGUF file (undoing llama.cpp's row order of q and k),
    # the attention weights are the merged ones, to float16's precision.
    from transformers import AutoModelForCausalLM

    again = AutoModelForCausalLM.from_pretrained(out.parent, gguf_file=out.name,
                                                 local_files_only=True).state_dict()
    for name in [k for k in state if k.endswith(("_proj.weight",)) and "self_attn" in k]:
        assert torch.allclose(again[name], state[name], atol=2e-3, rtol=1e-2), name
    weights = np.arange(24 * 2, dtype=np.float32).reshape(24, 2)
    assert not np.array_equal(llama_permute(weights, 3), weights)

    # A version with a llama.cpp file is activated with it.
    run = FineTuneRun.objects.create(team=world.team, version=1, status="kept",
                                     folder=str(out.parent),
                                     base={"source": "embedded", "path": "", "params": {}})
    finetune_activate(run=run, user=world.owner)
    config = slot_config(team=world.team, kind="text")
    assert config.source == "path" and config.path == str(out)
    assert runtime.load(config).model.engine == "llama.cpp"


def test_a_model_that_is_not_llama_is_refused_clearly(tmp_path):
    import gguf

    from assistant.finetune_gguf import gguf_with_merged

    path = tmp_path / "other.gguf"
    writer = gguf.GGUFWriter(str(path), "gpt2")
    writer.add_tensor("token_embd.weight", __import__("numpy").zeros((4, 4), "float32"))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    with pytest.raises(ValueError, match="only Llama-family"):
        gguf_with_merged(path, {}, tmp_path / "out.gguf")
    assert not (tmp_path / "out.gguf").exists()
