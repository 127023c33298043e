"""Fine-tuning a team's text model on its knowledge base: LoRA on the CPU, kept only if better.

1. Question–answer pairs are built extractively: in each sentence of the team's passages a
   span (an amount, a date, a time, a name) becomes the answer and the sentence with "what" in
   its place the question. Whole documents are held out for evaluation.
2. LoRA (PEFT, r=8 on the attention projections) trains a copy of the team's text model on
   the pairs, in the same chat prompt the assistant uses (`assistant_answer`).
3. Before and after scores on the held-out pairs (ROUGE-L F1, exact match). Only a better
   adapter is merged into the base weights, saved as a Hugging Face folder and, when the
   base is a GGUF file (llama.cpp in production), as that file with the merged attention
   weights (finetune_gguf.py), checked on the held-out pairs through llama.cpp; that becomes
   the team's text slot. Every version stays on disk for rollback.
"""

from __future__ import annotations

import copy
import json
import math
import random
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .ai import SlotConfig, evict, generate_text
from .ai import text as text_runtime
from .finetune_gguf import gguf_with_merged
from .knowledge import sentences
from .models import (
    FineTuneRun,
    KnowledgeChunk,
    KnowledgeSource,
    ModelChange,
    ModelSlot,
    Team,
    User,
)
from .slots import slot_config
from .team_models import prompt_text, slot_state

FINETUNE = "assistant.finetune"
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")
UNITS = ("percent|euros?|days?|working days|weeks?|months?|years?|hours?|minutes?|seats?|"
         "characters?|kilometres?|lines?|people|customers")
SPANS = [
    rf"\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b",
    rf"\b\d{{1,2}} (?:{MONTHS})\b",
    rf"\b(?:{MONTHS}) \d{{4}}\b",
    r"\b\d{1,2}:\d{2}\b",
    rf"\b\d[\d,.]*\s(?:{UNITS})\b",
    r"#[0-9A-Fa-f]{6}\b",
    r"\b(?:19|20)\d{2}\b",
    r"(?<=[a-z,] )[A-Z][a-z]+(?: [A-Z][a-z]+)+\b",
    r"\b\d+(?:\.\d+)?\b",
]
HELD_OUT_EVERY = 4  # one source in four is held out
MAX_TRAIN, MAX_EVAL = 240, 40
GGUF_NAME = "merged.gguf"  # the tuned model for llama.cpp, next to the Hugging Face folder
# Two passes over the pairs: on bench/kb_fixture (70 training pairs) one pass already lifts
# held-out ROUGE-L from 0.12 to 0.69 (bench/results/finetune.md); more overfits small teams.
EPOCHS, MIN_STEPS, MAX_STEPS = 2, 20, 120


@dataclass(frozen=True)
class Pair:
    context: str
    question: str
    answer: str
    source: int


def qa_pairs_from(sentence: str, source: int) -> list[Pair]:
    """Question–answer pairs from one sentence: each span found becomes an answer."""
    out, taken = [], []
    for pattern in SPANS:
        for match in re.finditer(pattern, sentence):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            question = (sentence[:match.start()] + "what" + sentence[match.end():]).strip()
            question = re.sub(r"[.!]$", "", question) + "?"
            out.append(Pair(sentence, question[0].upper() + question[1:], match.group(), source))
    return out


def qa_pairs(*, team: Team, max_train: int = MAX_TRAIN,
             max_eval: int = MAX_EVAL) -> tuple[list[Pair], list[Pair]]:
    """(training, held-out) pairs from the team's indexed passages; held out by source."""
    train, held = [], []
    chunks = (KnowledgeChunk.objects.filter(team=team, source__status=KnowledgeSource.Status.READY)
              .order_by("source_id", "index").values_list("source_id", "text"))
    for source, text in chunks:
        pairs = [p for s in sentences(text) if len(s.split()) <= 60
                 for p in qa_pairs_from(s, source)]
        # A stable split: the same source is always on the same side.
        (held if zlib.crc32(str(source).encode()) % HELD_OUT_EVERY == 0 else train).extend(pairs)
    rng = random.Random(0)
    rng.shuffle(train)
    rng.shuffle(held)
    return train[:max_train], held[:max_eval]


def normalise(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 over words (longest common subsequence)."""
    a, b = normalise(candidate), normalise(reference)
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for x in a:
        row = [0]
        for j, y in enumerate(b):
            row.append(previous[j] + 1 if x == y else max(previous[j + 1], row[j]))
        previous = row
    lcs = previous[-1]
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(a), lcs / len(b)
    return 2 * precision * recall / (precision + recall)


def exact_match(candidate: str, reference: str) -> bool:
    return normalise(candidate) == normalise(reference)


def _prompt(tokenizer, template: str, pair: Pair) -> str:
    messages = [{"role": "user", "content": template.format(passage=pair.context,
                                                            question=pair.question)}]
    return tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)


def evaluate(model, tokenizer, template: str, pairs: list[Pair], batch: int = 8) -> dict:
    """Greedy answers to the held-out pairs, scored against their spans."""
    import torch

    tokenizer.padding_side = "left"
    answers = []
    model.eval()
    for i in range(0, len(pairs), batch):
        prompts = [_prompt(tokenizer, template, p) for p in pairs[i:i + batch]]
        inputs = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
        with torch.inference_mode():
            out = model.generate(**inputs, max_new_tokens=16, do_sample=False,
                                 pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id)
        for row in out[:, inputs["input_ids"].shape[1]:]:
            answers.append(tokenizer.decode(row, skip_special_tokens=True).strip().split("\n")[0])
    return {**_scores(answers, pairs),
            "examples": [{"q": p.question, "gold": p.answer, "got": a}
                         for p, a in list(zip(pairs, answers, strict=True))[:5]]}


def _scores(answers: list[str], pairs: list[Pair]) -> dict:
    rouge = [rouge_l(a, p.answer) for a, p in zip(answers, pairs, strict=True)]
    exact = [exact_match(a, p.answer) for a, p in zip(answers, pairs, strict=True)]
    return {"rouge_l": round(sum(rouge) / max(1, len(rouge)), 4),
            "exact_match": round(sum(exact) / max(1, len(exact)), 4)}


def evaluate_engine(config: SlotConfig, template: str, pairs: list[Pair]) -> dict:
    """`evaluate` through the text runtime (llama.cpp for a GGUF file): the product's path."""
    answers = [generate_text(config, [{"role": "user", "content": template.format(
        passage=p.context, question=p.question)}], max_new_tokens=16, temperature=0.0)
        .strip().split("\n")[0] for p in pairs]
    evict(config)
    return _scores(answers, pairs)


def _batches(tokenizer, template: str, pairs: list[Pair], size: int, steps: int, seed: int = 0):
    """Padded training batches; the loss only counts the answer's tokens."""
    import torch

    rng = random.Random(seed)
    encoded = []
    for pair in pairs:
        prompt = tokenizer(_prompt(tokenizer, template, pair), add_special_tokens=False).input_ids
        answer = tokenizer(pair.answer + tokenizer.eos_token, add_special_tokens=False).input_ids
        encoded.append((prompt + answer, [-100] * len(prompt) + answer))
    order: list[int] = []
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    for _ in range(steps):
        if len(order) < size:
            order += rng.sample(range(len(encoded)), len(encoded))
        chosen, order = order[:size], order[size:]
        width = max(len(encoded[i][0]) for i in chosen)
        ids = [encoded[i][0] + [pad] * (width - len(encoded[i][0])) for i in chosen]
        labels = [encoded[i][1] + [-100] * (width - len(encoded[i][1])) for i in chosen]
        mask = [[1] * len(encoded[i][0]) + [0] * (width - len(encoded[i][0])) for i in chosen]
        yield torch.tensor(ids), torch.tensor(labels), torch.tensor(mask)


def adapters_dir(team: Team) -> Path:
    return Path(settings.VAR_DIR) / "adapters" / team.slug


Report = Callable[[float, str], None]


def default_steps(pairs: int, batch: int, epochs: int = EPOCHS) -> int:
    """Steps for `epochs` passes over the training pairs, within [MIN_STEPS, MAX_STEPS]."""
    return min(MAX_STEPS, max(MIN_STEPS, math.ceil(epochs * pairs / batch)))


def finetune_run(*, run: FineTuneRun, progress: Report, steps: int | None = None,
                 batch: int = 8, learning_rate: float = 1e-3,
                 max_eval: int = MAX_EVAL) -> FineTuneRun:
    """Build pairs, evaluate, train, evaluate again, and activate the adapter if it is better.

    `steps` defaults to `default_steps` for the pairs the knowledge base gives.
    """
    import torch
    from peft import LoraConfig, get_peft_model

    began = time.perf_counter()
    team = run.team
    train, held = qa_pairs(team=team, max_eval=max_eval)
    if len(train) < 16 or len(held) < 4:
        raise ValueError(f"The knowledge base gives {len(train)} training and {len(held)} "
                         "held-out question–answer pairs: add documents (at least a few dozen "
                         "facts such as dates, amounts and names) before fine-tuning.")
    steps = steps or default_steps(len(train), batch)
    run.pairs = {"train": len(train), "held_out": len(held)}
    run.losses = []  # a resumed attempt starts over
    run.save(update_fields=["pairs", "losses"])
    config = base_config(run)
    loaded = text_runtime.load(config).model
    tokenizer = loaded.tokenizer
    template = prompt_text(team=team, key="assistant_answer")
    torch.set_num_threads(config.threads)
    torch.manual_seed(0)
    progress(2, "Scoring the current model on held-out questions")
    model = copy.deepcopy(loaded.model)  # the worker's cached copy keeps serving answers
    run.before = evaluate(model, tokenizer, template, held)
    run.save(update_fields=["before"])
    lora = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05, task_type="CAUSAL_LM",
                      target_modules=["q_proj", "k_proj", "v_proj", "o_proj"])
    model = get_peft_model(model, lora)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad],
                                  lr=learning_rate)
    model.train()
    for step, (ids, labels, mask) in enumerate(_batches(tokenizer, template, train, batch,
                                                        steps), 1):
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        run.losses = [*run.losses, round(loss.item(), 4)]
        if step % 5 == 0 or step == steps:
            run.save(update_fields=["losses"])
        progress(5 + 85 * step / steps, f"Training step {step} of {steps} · loss {float(loss):.3f}")
    progress(91, "Scoring the tuned model on held-out questions")
    run.after = evaluate(model, tokenizer, template, held)
    better = (run.after["rouge_l"] > run.before["rouge_l"]
              and run.after["exact_match"] >= run.before["exact_match"])
    folder = adapters_dir(team) / f"v{run.version}"
    model.save_pretrained(folder / "adapter")
    (folder / "metrics.json").write_text(json.dumps(
        {"before": run.before, "after": run.after, "pairs": run.pairs, "losses": run.losses},
        indent=1))
    run.folder = str(folder)
    if better:
        progress(95, "Merging the adapter into the model")
        merged = model.merge_and_unload()
        save_merged(merged, tokenizer, folder / "merged")
        base_file = Path(text_runtime.load(config).path)
        if base_file.suffix == ".gguf":
            # Production serves a GGUF file on llama.cpp: so does the tuned model, checked on
            # the held-out questions through that engine before it is used.
            progress(97, "Writing the tuned model for llama.cpp")
            gguf_with_merged(base_file, merged.state_dict(), folder / GGUF_NAME)
            run.after = {**run.after, "llama_cpp": evaluate_engine(
                SlotConfig(kind="text", source="path", path=str(folder / GGUF_NAME),
                           params=config.params), template, held)}
            if run.after["llama_cpp"]["rouge_l"] <= run.before["rouge_l"]:
                (folder / GGUF_NAME).unlink()  # the Hugging Face folder is used instead
    run.seconds = round(time.perf_counter() - began, 1)
    run.status = FineTuneRun.Status.KEPT
    run.save()
    if better:
        finetune_activate(run=run, user=run.started_by)
        run.refresh_from_db()
    return run


def save_merged(model, tokenizer, folder: Path) -> None:
    """A Hugging Face folder the text runtime loads (a GGUF-loaded model has no save_pretrained)."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    config = model.config.to_dict()
    config.pop("quantization_config", None)
    config["torch_dtype"] = "float32"
    (folder / "config.json").write_text(json.dumps(config, indent=1))
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    if config.get("tie_word_embeddings", True):
        state.pop("lm_head.weight", None)
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    tokenizer.padding_side = "left"
    tokenizer.save_pretrained(folder)


def finetune_activate(*, run: FineTuneRun, user: User | None) -> None:
    """Make this version's merged model the team's text slot (also a rollback to it): the
    llama.cpp file when there is one, else the Hugging Face folder."""
    merged = Path(run.folder) / GGUF_NAME
    if not merged.is_file():
        merged = Path(run.folder) / "merged"
    if not merged.is_file() and not (merged / "config.json").is_file():
        raise ValueError(f"Version {run.version} has no merged model to use.")
    _set_text_slot(team=run.team, user=user, source="path", path=str(merged),
                   params=run.base.get("params", {}), note=f"adapter v{run.version}")
    with transaction.atomic():
        FineTuneRun.objects.filter(team=run.team, status=FineTuneRun.Status.ACTIVE).exclude(
            pk=run.pk).update(status=FineTuneRun.Status.INACTIVE)
        FineTuneRun.objects.filter(pk=run.pk).update(status=FineTuneRun.Status.ACTIVE)


def finetune_rollback_to_base(*, team: Team, user: User | None) -> None:
    """Stop using any adapter: the text slot goes back to what the first active run replaced."""
    first = FineTuneRun.objects.filter(team=team).exclude(base={}).order_by("version").first()
    base = first.base if first else {"source": "embedded", "path": "", "params": {}}
    _set_text_slot(team=team, user=user, source=base["source"], path=base["path"],
                   params=base.get("params", {}), note="no adapter")
    FineTuneRun.objects.filter(team=team, status=FineTuneRun.Status.ACTIVE).update(
        status=FineTuneRun.Status.INACTIVE)


def _set_text_slot(*, team: Team, user: User | None, source: str, path: str, params: dict,
                   note: str) -> None:
    old = slot_config(team=team, kind="text")
    params = {k: v for k, v in params.items() if k != "pair"}
    with transaction.atomic():
        ModelSlot.objects.update_or_create(team=team, kind="text", pair="", defaults={
            "source": source, "path": path, "params": params, "updated_by": user})
        ModelChange.objects.create(team=team, user=user, subject="slot:text",
                                   old=slot_state(old),
                                   new={"source": source, "path": path, "params": params,
                                        "note": note})
    evict(old)


def finetune_start(*, team: Team, user: User | None) -> FineTuneRun:
    """A new version number, and the text slot it starts from (for rollback)."""
    from .jobs import job_create

    with transaction.atomic():
        last = FineTuneRun.objects.filter(team=team).order_by("-version").first()
        run = FineTuneRun.objects.create(
            team=team, version=(last.version + 1) if last else 1, started_by=user,
            base=_base_state(team))
        run.job = job_create(team=team, owner=user, kind=FINETUNE,
                             title=f"Fine-tune the text model (v{run.version})",
                             params={"run": run.pk})
        run.save(update_fields=["job"])
    return run


def _base_state(team: Team) -> dict:
    """The slot the adapters are trained from: never an earlier merged adapter."""
    active = FineTuneRun.objects.filter(team=team).exclude(base={}).order_by("version").first()
    if active is not None:
        return active.base
    return slot_state(slot_config(team=team, kind="text"))


def base_config(run: FineTuneRun) -> SlotConfig:
    base = run.base or {"source": "embedded", "path": "", "params": {}}
    return SlotConfig(kind="text", source=base["source"], path=base["path"] or None,
                      params=base.get("params", {}))
