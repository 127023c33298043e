"""A recording to timed text: pieces cut at silences, batched Whisper, guards, resumable."""

from __future__ import annotations

import functools
import logging
import re
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant.ai import SlotConfig, transcribe
from assistant.ai.speech import load as load_speech

from .audio import MAX_DURATION, SAMPLE_RATE, AudioRejected, load_recording, speech_regions

log = logging.getLogger(__name__)

STATE_VERSION = 1
# Measured on 2 cores (bench/results/transcription.md): batches of 8 clips with beam 5 beat
# faster-whisper's defaults on speed. Greedy first (beam 5 only where greedy is unsure) is
# 1.5x faster again but lost words the minutes need (an addressee's name): opt-in per slot.
# with_defaults adds "workers" (parallel decoders), which depends on the slot's threads.
DEFAULT_PARAMS = {"beam_size": 5, "batch_size": 8, "greedy_first": False}
PIECE_SECONDS = 300.0  # a checkpoint every ~5 minutes of audio
CLIP_SECONDS = 29.5  # one Whisper window, with room so no clip ends inside a word
EXTRA_ROUNDS = 2  # re-decodings of speech the first pass left out
MIN_MISSED = 1.5  # seconds of untranscribed speech worth decoding again
# Silences longer than this are cut to this before decoding: an encoder pass per 30 s window
# is most of the cost on a CPU, so windows should hold speech, not silence.
SNIPPET_GAP = 0.5
MAX_HOTWORDS = 60
STREAM_CLIPS = 4  # clips per stream: all but a stream's first are decoded with context
MAX_CONTEXT = 223  # tokens of earlier text in a prompt (faster-whisper's max_length // 2 - 1)
# Timestamp tokens: Whisper then writes sentence-sized segments and drops fewer passages.
TIMESTAMP_TOKENS = True
# Greedy decoding first; a clip whose average token log-probability falls below this is
# decoded again with the beam (reusing its encoder pass): the beam only where it pays.
UNSURE_LOGPROB = -0.5
NO_SPEECH = "We found no speech in this recording."
Segments = list[dict[str, Any]]
State = dict[str, Any]


@dataclass(frozen=True)
class _Run:
    """What every piece of one recording is decoded with."""

    config: SlotConfig
    language: str | None
    hotwords: str | None


def transcribe_recording(
    audio: str | Path | np.ndarray,
    *,
    config: SlotConfig,
    language: str | None = None,
    hotwords: list[str] | None = None,
    checkpoint: State | None = None,
    on_piece: Callable[[State], None] | None = None,
    on_progress: Callable[[float], None] | None = None,
    piece_seconds: float = PIECE_SECONDS,
    max_duration: float = MAX_DURATION,
) -> dict[str, Any]:
    """Transcribe a path or 16 kHz array piece by piece, resuming from a checkpoint state."""
    if not isinstance(audio, np.ndarray):
        audio = load_recording(audio, max_duration=max_duration)[1]
    wav = audio
    run = _Run(with_defaults(config), language or None, hotword_text(hotwords))
    state = _resumed(checkpoint, wav, run) or _plan(wav, run, piece_seconds)
    if not state["speech"]:
        raise AudioRejected(NO_SPEECH)
    total = len(wav) / SAMPLE_RATE
    for index in range(state["next_piece"], len(state["pieces"])):
        start, end = state["pieces"][index]
        regions = [tuple(r) for r in state["speech"] if start <= r[0] < end]

        def within(fraction: float, start: float = start, end: float = end) -> None:
            if on_progress is not None:  # a 5-minute piece is long to wait on without news
                on_progress(min(1.0, (start + fraction * (end - start)) / total))

        state["segments"].extend(transcribe_piece(wav, regions, run, on_step=within))
        state["next_piece"] = index + 1
        if on_piece is not None:
            # A fresh list: a caller keeping states (to save them later) sees each as it was.
            on_piece({**state, "segments": list(state["segments"])})
        if on_progress is not None:
            on_progress(min(1.0, end / total))
    return _result(state)


def with_defaults(config: SlotConfig) -> SlotConfig:
    """The slot with our speed defaults filled in where the admin set nothing."""
    params = {**DEFAULT_PARAMS, **config.params}
    # Two decoders side by side, the slot's threads shared between them: a 5-minute piece
    # holds only a few streams, and one decoder batching them kept about one core of two
    # busy (bench/results/transcription.md).
    params.setdefault("workers", min(2, config.threads))
    return replace(config, params=params)


def hotword_text(words: list[str] | None) -> str | None:
    """Names and glossary terms as one hotwords string (each once, capped in length)."""
    seen: dict[str, str] = {}
    for word in filter(None, (w.strip() for w in words or [])):
        seen.setdefault(word.lower(), word)
    return " ".join(", ".join(seen.values()).split()[:MAX_HOTWORDS]) or None


def transcribe_piece(
    wav: np.ndarray,
    regions: list[tuple[float, float]],
    run: _Run,
    on_step: Callable[[float], None] | None = None,
) -> Segments:
    """One piece: batched clips, then loops re-decoded and missed speech decoded again;
    `on_step(fraction)` after each batch of the first pass."""
    segments = _fix_loops(wav, _decode_spans(wav, _close_up(regions), run, on_step), run)
    for _ in range(EXTRA_ROUNDS):
        missed = uncovered(regions, segments)
        if not missed:
            break
        log.info("Decoding %d stretch(es) of speech the first pass left out", len(missed))
        segments = _merge(segments, _fix_loops(wav, _decode_spans(wav, missed, run), run), missed)
    return sorted(segments, key=lambda s: s["start"])


def uncovered(
    regions: list[tuple[float, float]], segments: Segments, min_speech: float = MIN_MISSED
) -> list[tuple[float, float]]:
    """Runs of voice activity with far fewer transcribed words than their length implies."""
    mids = np.array(
        [
            (w["start"] + w["end"]) / 2
            for s in segments
            for w in s["words"]
            # A word "lasting" seconds was stretched over audio Whisper never transcribed.
            if w["end"] - w["start"] < 2.5
        ]
    )
    runs: list[list[float]] = []
    follows = False
    for start, end in regions:
        inside = int(np.count_nonzero((mids >= start) & (mids < end))) if len(mids) else 0
        # People say 2-3 words a second; under 0.6 a second, words were dropped.
        missed = inside < max(1.0, 0.6 * (end - start))
        if missed and follows and end - runs[-1][0] <= CLIP_SECONDS:
            runs[-1][1], runs[-1][2] = end, runs[-1][2] + end - start
        elif missed:
            runs.append([start, end, end - start])
        follows = missed
    # A lone "um" or "yeah" Whisper leaves out is not worth a window of its own.
    return [(a, b) for a, b, speech in runs if speech >= min_speech]


def find_loops(segments: Segments) -> list[int]:
    """Indices of segments where Whisper repeats itself instead of transcribing."""
    looping = set()
    for i, segment in enumerate(segments):
        if is_loop(segment["text"]):
            looping.add(i)
        # The same sentence three times running is a loop across segments.
        if i >= 2 and segment["text"].strip():
            same = {_norm(segments[j]["text"]) for j in (i - 2, i - 1, i)}
            if len(same) == 1 and len(_norm(segment["text"]).split()) >= 2:
                looping |= {i - 2, i - 1, i}
    return sorted(looping)


def is_loop(text: str) -> bool:
    """A text that compresses too well, or with a phrase repeated 4+ times in a row."""
    # 2.4 is Whisper's own threshold; short texts never reach it, honest or not.
    if len(text) >= 40 and len(text.encode()) / len(zlib.compress(text.encode())) > 2.4:
        return True
    return any(times >= 4 for _, _, times in _repeats(_norm(text).split()))


def collapse_repeats(words: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Word dicts with each phrase repeated 3+ times back to back kept once."""
    out = list(words)
    while found := [r for r in _repeats([_norm(w["word"]) for w in out]) if r[2] >= 3]:
        start, size, times = found[0]
        del out[start + size : start + size * times]
    return out


def _repeats(tokens: list[str]) -> list[tuple[int, int, int]]:
    """(start, phrase length, times) of phrases of 1-8 tokens repeated back to back."""
    found = []
    for size in range(1, 9):
        for i in range(len(tokens) - 2 * size + 1):
            times = 1
            while tokens[i + times * size : i + (times + 1) * size] == tokens[i : i + size]:
                times += 1
            if times > 1:
                found.append((i, size, times))
    return found


def _plan(wav: np.ndarray, run: _Run, piece_seconds: float) -> State:
    """Voice activity over the whole recording, and pieces cut in its longest silences."""
    speech = speech_regions(wav)
    total = len(wav) / SAMPLE_RATE
    return {
        "version": STATE_VERSION,
        "settings": _settings(run, total),
        "speech": [list(r) for r in speech],
        "pieces": [list(p) for p in plan_pieces(speech, total, piece_seconds)],
        "next_piece": 0,
        "segments": [],
    }


def plan_pieces(
    speech: list[tuple[float, float]], total: float, piece_seconds: float
) -> list[tuple[float, float]]:
    """Cut [0, total] near every piece_seconds, in the middle of the widest nearby silence."""
    gaps = [(speech[i][1], speech[i + 1][0]) for i in range(len(speech) - 1)]
    middles = [((a + b) / 2, b - a) for a, b in gaps]
    edges = [0.0]
    while total - edges[-1] > 1.2 * piece_seconds:
        lo, hi = edges[-1] + 0.8 * piece_seconds, edges[-1] + 1.2 * piece_seconds
        near = [m for m in middles if lo <= m[0] <= hi]
        # No silence in the window (one long monologue): cut at the next one after it.
        near = near or [m for m in middles if m[0] > hi][:1]
        if not near:
            break
        edges.append(round(max(near, key=lambda m: m[1])[0], 3))
    edges.append(round(total, 3))
    return list(zip(edges[:-1], edges[1:], strict=True))


def _resumed(checkpoint: State | None, wav: np.ndarray, run: _Run) -> State | None:
    """The checkpoint, when it was made for this audio with these settings."""
    if not checkpoint:
        return None
    if checkpoint.get("version") != STATE_VERSION or checkpoint.get("settings") != _settings(
        run, len(wav) / SAMPLE_RATE
    ):
        log.warning("Ignoring a checkpoint made for other audio or settings: starting over")
        return None
    return {**checkpoint, "segments": list(checkpoint["segments"])}


def _settings(run: _Run, total: float) -> dict[str, Any]:
    config = run.config
    return {
        "duration": round(total, 2),
        "model": f"{config.kind}:{config.source}:{config.path or ''}",
        "params": {k: config.params[k] for k in sorted(config.params)},
        "language": run.language,
        "hotwords": run.hotwords,
    }


def _close_up(regions: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Regions joined across pauses shorter than a snippet gap: only longer silences are cut."""
    spans: list[list[float]] = []
    for start, end in regions:
        if spans and start - spans[-1][1] <= SNIPPET_GAP and end - spans[-1][0] <= CLIP_SECONDS:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans]


@functools.cache
def _pipeline_class() -> type:
    """faster-whisper's batched pipeline, with a previous text per clip and languages noted."""
    from faster_whisper import BatchedInferencePipeline

    class StreamingPipeline(BatchedInferencePipeline):
        def __init__(self, model: Any) -> None:
            super().__init__(model)
            self.previous: list[list[int]] = []  # per clip of the next batch, equal lengths
            self.languages: list[tuple[str, float]] = []
            self.tokens: list[list[int]] = []
            self.greedy_first = True

        def generate_segment_batched(self, features, tokenizer, options):  # type: ignore[no-untyped-def]
            encoder_output, output = self._prompted(features, tokenizer, options)
            if options.multilingual:
                # One decoder step on the encoder output at hand: cheap next to decoding.
                found = self.model.model.detect_language(encoder_output)
                self.languages += [(f[0][0][2:-2], float(f[0][1])) for f in found]
            else:
                self.languages += [(tokenizer.language_code, 1.0)] * len(output)
            self.tokens += [[t for t in o["tokens"] if t < tokenizer.eot] for o in output]
            return encoder_output, output

        def _prompted(self, features, tokenizer, options):  # type: ignore[no-untyped-def]
            """faster-whisper's batched step, but each clip prompted with its own history, and
            greedy first: only clips the greedy pass is unsure of are decoded with the beam."""
            model = self.model
            prompts = [
                model.get_prompt(
                    tokenizer, previous, options.without_timestamps, None, options.hotwords
                )
                for previous in self.previous or [[]] * len(features)
            ]
            encoder_output = model.encode(features)
            if options.multilingual:
                found = model.model.detect_language(encoder_output)
                at = prompts[0].index(tokenizer.language)
                for prompt, languages in zip(prompts, found, strict=True):
                    prompt[at] = tokenizer.tokenizer.token_to_id(languages[0][0])
            first = 1 if self.greedy_first else options.beam_size
            output = self._generate(encoder_output, prompts, options, first)
            unsure = [i for i, o in enumerate(output) if _unsure(o, tokenizer)]
            if unsure and first < options.beam_size:
                import ctranslate2

                subset = ctranslate2.StorageView.from_array(
                    np.ascontiguousarray(np.asarray(encoder_output)[unsure])
                )
                again = self._generate(
                    subset, [prompts[i] for i in unsure], options, options.beam_size
                )
                for i, result in zip(unsure, again, strict=True):
                    output[i] = result
            return encoder_output, output

        def _generate(self, encoder_output, prompts, options, beam_size):  # type: ignore[no-untyped-def]
            results = self.model.model.generate(
                encoder_output,
                prompts,
                beam_size=beam_size,
                patience=options.patience,
                length_penalty=options.length_penalty,
                max_length=self.model.max_length,
                suppress_blank=options.suppress_blank,
                suppress_tokens=options.suppress_tokens,
                return_scores=True,
                return_no_speech_prob=True,
                sampling_temperature=options.temperatures[0],
                repetition_penalty=options.repetition_penalty,
                no_repeat_ngram_size=options.no_repeat_ngram_size,
            )
            output = []
            for result in results:
                size = len(result.sequences_ids[0])
                logprob = result.scores[0] * size**options.length_penalty / (size + 1)
                output.append(
                    {
                        "avg_logprob": logprob,
                        "no_speech_prob": result.no_speech_prob,
                        "tokens": result.sequences_ids[0],
                    }
                )
            return output

    return StreamingPipeline


def _unsure(output: dict[str, Any], tokenizer: Any) -> bool:
    """A greedy clip worth the beam: low average log-probability, or text that repeats."""
    if output["avg_logprob"] < UNSURE_LOGPROB:
        return True
    text = tokenizer.decode([t for t in output["tokens"] if t < tokenizer.eot])
    return bool(text) and len(text) / max(1, len(zlib.compress(text.encode()))) > 2.4


def _decode_clips(
    wav: np.ndarray,
    clips: list[tuple[float, float]],
    run: _Run,
    on_step: Callable[[float], None] | None = None,
) -> Segments:
    """Decode clips as parallel streams: each clip is prompted with its stream's earlier text."""
    if not clips:
        return []
    # Whisper transcribes better knowing what was said before (as faster-whisper's sequential
    # mode does); contiguous streams decoded side by side keep that and still batch.
    count = min(max(1, int(run.config.params["batch_size"])), -(-len(clips) // STREAM_CLIPS))
    streams = [list(chunk) for chunk in np.array_split(np.arange(len(clips)), count)]
    # The model's parallel decoders each take a group of streams, the first decoded here and
    # the others from threads of their own (CTranslate2 lets go of the GIL while it works).
    # Progress is reported from this thread only: its callback may write to the database.
    workers = min(len(streams), max(1, int(run.config.params.get("workers", 1))))
    if workers == 1:
        return _decode_streams(wav, clips, streams, run, on_step)
    groups = [streams[k::workers] for k in range(workers)]
    fractions = [0.0] * workers

    def advance(group: int, fraction: float) -> None:
        fractions[group] = fraction
        if group == 0 and on_step is not None:
            on_step(sum(fractions) / workers)

    with ThreadPoolExecutor(workers - 1, thread_name_prefix="decode") as pool:
        others = [
            pool.submit(_decode_streams, wav, clips, groups[k], run, functools.partial(advance, k))
            for k in range(1, workers)
        ]
        segments = _decode_streams(wav, clips, groups[0], run, functools.partial(advance, 0))
        return segments + [s for other in others for s in other.result()]


def _decode_streams(
    wav: np.ndarray,
    clips: list[tuple[float, float]],
    streams: list[list[int]],
    run: _Run,
    on_step: Callable[[float], None] | None,
) -> Segments:
    """Streams of clip indices decoded side by side, a clip of each per batch."""
    history: list[list[int]] = [[] for _ in streams]
    segments = []
    for step in range(len(streams[0])):
        active = [k for k, stream in enumerate(streams) if step < len(stream)]
        # CTranslate2 wants every prompt of a batch to have the same length.
        keep = min(len(history[k]) for k in active)
        previous = [history[k][len(history[k]) - keep :] for k in active]
        found, tokens = _decode_batch(wav, [clips[streams[k][step]] for k in active], previous, run)
        segments += found
        for k, new in zip(active, tokens, strict=True):
            # A loop must not be fed back as context: it would only loop again.
            history[k] = [] if new is None else (history[k] + new)[-MAX_CONTEXT:]
        if on_step is not None:
            on_step((step + 1) / len(streams[0]))
    return segments


def _decode_batch(
    wav: np.ndarray, clips: list[tuple[float, float]], previous: list[list[int]], run: _Run
) -> tuple[Segments, list[list[int] | None]]:
    """One batch of clips (timestamps and word times on): segments, and each clip's tokens."""
    # The runtime loads and caches the model; batching clips needs faster-whisper's
    # clip_timestamps, which assistant.ai.transcribe does not take.
    whisper = load_speech(run.config).model.model
    pipe = _pipeline_class()(whisper)
    pipe.previous = previous
    pipe.greedy_first = bool(run.config.params.get("greedy_first", False))
    pieces, info = pipe.transcribe(
        wav,
        language=run.language,
        clip_timestamps=[{"start": a, "end": b} for a, b in clips],
        batch_size=len(clips),
        beam_size=int(run.config.params["beam_size"]),
        hotwords=run.hotwords,
        word_timestamps=True,
        without_timestamps=not TIMESTAMP_TOKENS,
        multilingual=run.language is None and _multilingual(run),
    )
    # Each segment knows its clip by "seek", computed from the start as faster-whisper does.
    fps = whisper.frames_per_second
    starts = {int(int(a * SAMPLE_RATE) / SAMPLE_RATE * fps): i for i, (a, _) in enumerate(clips)}
    segments = []
    for piece in pieces:
        clip = starts.get(piece.seek, 0)
        lo, hi = clips[clip]
        # Whisper's own no-speech rule, which the batched pipeline does not apply.
        if piece.no_speech_prob > 0.6 and piece.avg_logprob < -1.0:
            continue
        words = [
            _word(min(max(w.start, lo), hi), min(max(w.end, lo), hi), w.word, w.probability)
            for w in piece.words or []
        ]
        if words:
            label = pipe.languages[clip] if clip < len(pipe.languages) else (info.language, 1.0)
            segments.append(_segment(words, label[0], label[1]))
    decoder = whisper.hf_tokenizer
    tokens = [None if is_loop(decoder.decode(t)) else t for t in pipe.tokens]
    return segments, tokens


def _decode_spans(
    wav: np.ndarray,
    spans: list[tuple[float, float]],
    run: _Run,
    on_step: Callable[[float], None] | None = None,
) -> Segments:
    """Decode stretches of speech joined by short gaps into shared windows, in original times."""
    if not spans:
        return []
    sure = 1.0
    if run.language is None and _multilingual(run):
        heard = _languages(wav, spans, run)
        if len({language for language, _ in heard}) > 1:
            # Two languages: Whisper names one per window, so each stretch gets its own.
            return _decode_clips(wav, spans, run, on_step)
        run, sure = replace(run, language=heard[0][0]), min(p for _, p in heard)
    joined, clips, placed = _join(wav, spans)
    segments = []
    for segment in _decode_clips(joined, clips, run, on_step):
        by_span: dict[int, list[dict[str, Any]]] = {}
        for word in segment["words"]:
            mid = (word["start"] + word["end"]) / 2
            i = max(k for k, p in enumerate(placed) if p[0] <= mid or k == 0)
            at, original, length = placed[i]
            start, end = (
                min(max(t, at), at + length) - at + original for t in (word["start"], word["end"])
            )
            by_span.setdefault(i, []).append(_word(start, end, word["word"], word["probability"]))
        # Words of different stretches are apart in the meeting: separate segments.
        segments += [_segment(w, segment["language"], sure) for w in by_span.values()]
    return segments


def _languages(
    wav: np.ndarray, spans: list[tuple[float, float]], run: _Run
) -> list[tuple[str, float]]:
    """The language heard in up to 8 stretches spread over the piece (one encoder batch)."""
    from faster_whisper.audio import pad_or_trim

    whisper = load_speech(run.config).model.model
    picked = [spans[int(i)] for i in np.linspace(0, len(spans) - 1, min(8, len(spans)))]
    clips = [wav[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)] for a, b in picked]
    features = np.stack([pad_or_trim(whisper.feature_extractor(c)[..., :-1]) for c in clips])
    found = whisper.model.detect_language(whisper.encode(features))
    # Unsure guesses (a cough, a name) must not split a monolingual meeting.
    heard = [(f[0][0][2:-2], float(f[0][1])) for f in found]
    return [h for h in heard if h[1] >= 0.5] or heard[:1]


def _join(
    wav: np.ndarray, spans: list[tuple[float, float]]
) -> tuple[np.ndarray, list[tuple[float, float]], list[tuple[float, float, float]]]:
    """Spans cut out and joined by short gaps, and where each landed: (at, original, length)."""
    gap = np.zeros(int(SNIPPET_GAP * SAMPLE_RATE), np.float32)
    parts, placed, clips, at = [], [], [], 0.0
    for start, end in spans:
        snippet = wav[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
        length = len(snippet) / SAMPLE_RATE
        if not clips or at + length - clips[-1][0] > CLIP_SECONDS:
            clips.append([at, at])
        parts += [snippet, gap]
        placed.append((at, start, length))
        clips[-1][1] = at + length
        at += length + SNIPPET_GAP
    return np.concatenate(parts), [(a, b) for a, b in clips], placed


def _multilingual(run: _Run) -> bool:
    return bool(load_speech(run.config).model.model.model.is_multilingual)


def _fix_loops(wav: np.ndarray, segments: Segments, run: _Run) -> Segments:
    """Re-decode looping stretches without batching, context or greed; else cut the loop."""
    looping = find_loops(segments)
    if not looping:
        return segments
    params = {
        **run.config.params,
        "batch_size": 0,
        "condition_on_previous_text": False,
        "temperature": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
    }
    fallback = replace(run.config, params=params)
    out = [s for i, s in enumerate(segments) if i not in looping]
    for i in looping:
        bad = segments[i]
        start, end = bad["start"], max(bad["end"], bad["start"] + 0.5)
        clip = wav[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
        heard = transcribe(
            fallback, clip, language=bad["language"], hotwords=run.hotwords, vad=False
        )
        words = [
            _word(start + w.start, start + w.end, w.word, w.probability)
            for s in heard.segments
            for w in s.words
        ]
        if not words or is_loop("".join(w["word"] for w in words)):
            log.info("Whisper looped at %.1f s twice: keeping the text without repeats", start)
            words = collapse_repeats(words or bad["words"])
        if words:
            out.append(_segment(words, bad["language"], bad["language_probability"]))
    return sorted(out, key=lambda s: s["start"])


def _merge(old: Segments, new: Segments, clips: list[tuple[float, float]]) -> Segments:
    """New words replace old ones inside the re-decoded clips where the new pass heard any."""
    heard = [(a, b) for a, b in clips if any(a <= s["start"] < b for s in new)]

    def outside(word: dict[str, Any]) -> bool:
        mid = (word["start"] + word["end"]) / 2
        return not any(a <= mid < b for a, b in heard)

    kept = []
    for segment in old:
        words = [w for w in segment["words"] if outside(w)]
        if len(words) == len(segment["words"]):
            kept.append(segment)
        elif words:
            kept.append(_segment(words, segment["language"], segment["language_probability"]))
    return kept + new


def _word(start: float, end: float, word: str, probability: float) -> dict[str, Any]:
    # Plain rounded floats: states and results go to JSON and the database.
    return {
        "start": round(float(start), 3),
        "end": round(float(end), 3),
        "word": word,
        "probability": round(float(probability), 3),
    }


def _segment(words: list[dict[str, Any]], language: str, probability: float) -> dict[str, Any]:
    return {
        "start": words[0]["start"],
        "end": max(w["end"] for w in words),
        "text": "".join(w["word"] for w in words).strip(),
        "language": language,
        "language_probability": round(probability, 3),
        "words": words,
    }


def _result(state: State) -> dict[str, Any]:
    """The transcript: the language heard longest, and segments without internal fields."""
    segments = sorted(state["segments"], key=lambda s: s["start"])
    spoken: dict[str, list[float]] = {}  # language: [seconds, seconds x probability]
    for s in segments:
        seconds = spoken.setdefault(s["language"], [0.0, 0.0])
        seconds[0] += s["end"] - s["start"]
        seconds[1] += (s["end"] - s["start"]) * s["language_probability"]
    heard = max(spoken, key=lambda k: spoken[k][0]) if spoken else "en"
    language = state["settings"]["language"] or heard
    seconds, weighted = spoken.get(language, [0.0, 0.0])
    keys = ("start", "end", "text", "language", "words")
    return {
        "language": language,
        "language_probability": round(weighted / seconds, 3) if seconds else 1.0,
        "duration": state["settings"]["duration"],
        "segments": [{k: s[k] for k in keys} for s in segments],
    }


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower()))
