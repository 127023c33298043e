"""Who spoke when: every word given a speaker from voice windows, speakers named when enrolled."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from threadpoolctl import threadpool_limits

from .voices import (
    NAMING_THRESHOLD,
    SAMPLE_RATE,
    cluster_windows,
    enroll_voice,
    guided_windows,
    level_gain,
    match_members,
    name_clusters,
    split_by_voices,
    unit,
)

if TYPE_CHECKING:
    from assistant.ai import SlotConfig

__all__ = ["NAMING_THRESHOLD", "Ahead", "diarize", "enroll_voice", "is_call"]

WINDOW_S = 1.5  # one Resemblyzer partial (1.6 s) per window: the cost per window is fixed
HOP_S = 0.25
REGION_GAP_S = 0.3  # words closer than this form one stretch of speech
PAD_S = 0.1  # Whisper's word times are a little tight
MIN_CLUSTER_WINDOW_S = 0.75  # shorter windows are too noisy to shape clusters
MIN_SPEAKER_S = 1.0  # a speaker with less speech than this is noise, not a person
MIN_SPLIT_S = 4.0  # a stream with less speech than this is one voice: too little to tell two
SWITCH_COST = 2.0  # log-odds a change of speaker between two adjacent words must overcome
PAUSE_S = 0.8  # a pause this long makes a change of speaker cheap
FLOOR = 0.05  # the least weight a word's windows give to any speaker
DOMINANCE_DB = 10.0  # a channel this much louder than the others holds the voice
# The voice windows' level is set from the speech of the first minutes (so the windows of a
# long recording can be embedded while its later pieces are still being transcribed).
GAIN_SECONDS = 240.0
FRAME_SAMPLES = 160  # the speaker encoder's spectrogram step (10 ms)


@dataclass
class _Word:
    """A word (or a whole segment without word times) with its times and where it came from."""

    start: float
    end: float
    segment: int
    source: dict | None  # the transcription's word, or None for a segment without words
    channel: int | None = None


@dataclass
class _Voices:
    """The speakers found in one channel: a label per word and a centroid per speaker."""

    labels: np.ndarray
    centroids: list[np.ndarray] = field(default_factory=list)
    members: list[int | None] = field(default_factory=list)  # index of the enrolled voice


class Ahead:
    """Voice windows embedded while a mono recording is still being transcribed.

    Transcription uses about one core of two; after each piece, the windows of its finished
    stretches of speech are embedded on a background thread, and `diarize(..., ahead=)` uses
    them (computing only the windows it lacks) with the same level for every window.
    """

    def __init__(self, wav: np.ndarray, *, config: SlotConfig) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.wav, self.config = np.asarray(wav, dtype=np.float32), config
        self.duration = len(self.wav) / SAMPLE_RATE
        self.gain: np.float32 | None = None
        self.leveled: np.ndarray | None = None
        self.embedded: dict[tuple[float, float], np.ndarray] = {}
        self.done_until = 0.0  # windows of regions ending before this are embedded
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="diarize-ahead")
        self._futures: list = []

    def transcribed(self, segments: list[dict[str, Any]], until: float) -> None:
        """The transcript so far, complete up to `until` seconds: embed what is new."""
        words = _words(segments)
        regions = _regions(words, self.duration)
        if self.gain is None:
            if until < min(GAIN_SECONDS, self.duration):
                return  # the level is not known yet
            self.gain = np.float32(_gain(self.wav, regions))
            from assistant.ai.speakers import speaker_level

            self.leveled = speaker_level(self.wav * self.gain)  # as embed_speakers hears it
        # A region may still grow with the next piece's first words: not yet.
        ready = [r for r in regions
                 if self.done_until <= r[0] and r[1] + REGION_GAP_S + PAD_S < until]
        if ready:
            self.done_until = ready[-1][1]
            self._futures.append(self._pool.submit(self._embed, _windows(ready)))

    def _embed(self, windows: np.ndarray) -> None:
        from assistant.ai import embed_speakers

        # Only this piece's audio (a second of margin, cut on a spectrogram frame, so every
        # frame the windows read is the one the whole recording gives).
        first = max(0, int(windows[:, 0].min() * SAMPLE_RATE) - SAMPLE_RATE)
        first -= first % FRAME_SAMPLES
        last = int(windows[:, 1].max() * SAMPLE_RATE) + SAMPLE_RATE
        shifted = [(a - first / SAMPLE_RATE, b - first / SAMPLE_RATE) for a, b in windows]
        emb = embed_speakers(self.config, self.leveled[first:last], shifted, level_set=True)
        self.embedded.update(zip(map(tuple, windows.tolist()), emb, strict=True))

    def close(self) -> None:
        """Stop: what is queued is dropped (the transcription failed or the job ended)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def embeddings(self, wav: np.ndarray, windows: np.ndarray) -> np.ndarray | None:
        """The windows' embeddings, the missing ones computed now; None if this is not the
        recording it embedded ahead (or it never knew the level)."""
        for future in self._futures:
            future.result()
        self._pool.shutdown()
        if self.gain is None or wav.shape != self.wav.shape:
            return None
        keys = list(map(tuple, windows.tolist()))
        missing = [k for k in keys if k not in self.embedded]
        if missing:
            self._embed(np.asarray(missing, dtype=np.float64).reshape(-1, 2))
        return np.stack([self.embedded[k] for k in keys])


def _gain(wav: np.ndarray, regions: list[tuple[float, float]]) -> float:
    """The level correction for voice windows, from the speech of the first GAIN_SECONDS."""
    return level_gain(wav, [r for r in regions if r[0] < GAIN_SECONDS] or regions)


def diarize(
    wav: np.ndarray,
    segments: list[dict[str, Any]],
    *,
    config: SlotConfig,
    voices: dict[str, np.ndarray] | None = None,
    num_speakers: int | None = None,
    threshold: float | None = None,
    mode: str = "cluster",
    ahead: Ahead | None = None,
) -> dict[str, Any]:
    """Speaker turns for a transcript: segments re-split where the speaker changes, and who is who.

    mode "cluster" clusters the voice windows, then names clusters after enrolled voices;
    "nearest" (every attendee enrolled) gives each window its nearest enrolled voice and
    clusters only the speech unlike all of them.
    """
    if mode not in ("cluster", "nearest"):
        raise ValueError(f"Unknown diarization mode {mode!r}: use 'cluster' or 'nearest'")
    threshold = NAMING_THRESHOLD if threshold is None else float(threshold)
    names = list(voices or {})
    matrix = None
    if names:
        matrix = unit(np.stack([np.asarray(voices[n], dtype=np.float32) for n in names]))
    wav = np.asarray(wav, dtype=np.float32)
    words = _words(segments)
    if wav.ndim == 2 and wav.shape[0] == 1:
        wav = wav[0]
    if wav.ndim == 2 and is_call(wav):
        groups = _attribute_channels(wav, words)
        streams = [(wav[c], idx) for c, idx in groups.items()]
    else:
        streams = [(wav.mean(axis=0) if wav.ndim == 2 else wav, np.arange(len(words)))]
        if ahead is not None and wav.ndim == 1:
            streams = [(wav, np.arange(len(words)), ahead)]
    labels = np.zeros(len(words), dtype=int)
    centroids: list[np.ndarray] = []
    members: list[int | None] = []
    for audio, idx, *embedded in streams:
        found = _diarize_stream(
            audio,
            [words[i] for i in idx],
            config=config,
            voices=matrix,
            num_speakers=num_speakers if len(streams) == 1 else None,
            threshold=threshold,
            mode=mode,
            ahead=embedded[0] if embedded else None,
        )
        labels[idx] = found.labels + len(centroids)
        centroids += found.centroids
        members += found.members
    return _result(segments, words, labels, centroids, members, names, matrix, threshold)


def _words(segments: list[dict[str, Any]]) -> list[_Word]:
    """The transcript's words; a segment without word times counts as one word."""
    words = []
    for i, seg in enumerate(segments):
        channel = seg.get("channel")
        for w in seg.get("words") or []:
            words.append(_Word(float(w["start"]), float(w["end"]), i, w, w.get("channel", channel)))
        if not seg.get("words"):
            words.append(_Word(float(seg["start"]), float(seg["end"]), i, None, channel))
    return words


def _regions(words: list[_Word], duration: float) -> list[tuple[float, float]]:
    """Stretches of speech: words less than REGION_GAP_S apart, padded a little."""
    regions: list[list[float]] = []
    for w in sorted(words, key=lambda w: w.start):
        start, end = max(0.0, w.start - PAD_S), min(duration, w.end + PAD_S)
        if regions and start - regions[-1][1] <= REGION_GAP_S:
            regions[-1][1] = max(regions[-1][1], end)
        elif end > start:
            regions.append([start, end])
    return [(a, b) for a, b in regions]


def _windows(regions: list[tuple[float, float]]) -> np.ndarray:
    """WINDOW_S windows every HOP_S over each region; a shorter region is one window."""
    out = []
    for start, end in regions:
        if end - start <= WINDOW_S:
            out.append((start, end))
            continue
        count = int(np.ceil((end - start - WINDOW_S) / HOP_S)) + 1
        for k in range(count):
            s = min(start + k * HOP_S, end - WINDOW_S)
            out.append((s, s + WINDOW_S))
    return np.asarray(out, dtype=np.float64).reshape(-1, 2)


def _diarize_stream(
    wav: np.ndarray,
    words: list[_Word],
    *,
    config: SlotConfig,
    voices: np.ndarray | None,
    num_speakers: int | None,
    threshold: float,
    mode: str,
    ahead: Ahead | None = None,
) -> _Voices:
    """Speakers of one mono stream: embed windows, label them, give each word a speaker."""
    from assistant.ai import embed_speakers

    regions = _regions(words, len(wav) / SAMPLE_RATE)
    windows = _windows(regions)
    if not len(words) or not len(windows):
        return _Voices(np.zeros(len(words), dtype=int), [np.zeros(256, np.float32)], [None])
    if num_speakers is None and sum(b - a for a, b in regions) < MIN_SPLIT_S:
        num_speakers = 1
    emb = ahead.embeddings(wav, windows) if ahead is not None else None
    if emb is None:
        gain = np.float32(_gain(wav, regions))
        emb = embed_speakers(config, wav * gain, [tuple(w) for w in windows])
    # Small matrices: BLAS and OpenMP threads would only fight torch's for the same cores.
    with threadpool_limits(1):
        return _label_stream(emb, windows, words, voices, num_speakers, threshold, mode)


def _label_stream(emb, windows, words, voices, num_speakers, threshold, mode) -> _Voices:
    """Labels for the windows (guided by enrolled voices or clustered), then for the words."""
    overlap = WINDOW_S / HOP_S
    if voices is not None and mode == "nearest":
        labels = guided_windows(
            emb,
            voices,
            threshold=threshold,
            overlap=overlap,
            hop_s=HOP_S,
            num_speakers=num_speakers,
        )
    else:
        labels = _cluster(emb, windows, num_speakers, overlap)
        if voices is not None and num_speakers is None:
            labels = split_by_voices(emb, labels, voices, threshold)
        if voices is not None:
            labels = name_clusters(emb, labels, voices, threshold)
    word_labels = _assign(words, windows, labels)
    # Speakers heard for less than MIN_SPEAKER_S are noise: their windows go to the others.
    while True:
        seconds = np.bincount(word_labels, [w.end - w.start for w in words], labels.max() + 1)
        weak = [k for k in np.unique(labels) if seconds[k] < MIN_SPEAKER_S]
        if not weak or len(np.unique(labels)) - len(weak) < 1:
            break
        labels = _reassign(emb, labels, weak)
        word_labels = _assign(words, windows, labels)
    kept, compact = np.unique(word_labels, return_inverse=True)
    centroids = [
        unit(emb[labels == k].mean(axis=0)) if np.any(labels == k) else unit(emb.mean(axis=0))
        for k in kept
    ]
    members = [int(k) if voices is not None and k < len(voices) else None for k in kept]
    return _Voices(compact, centroids, members)


def _cluster(emb: np.ndarray, windows: np.ndarray, num_speakers, overlap: float) -> np.ndarray:
    """Cluster the long windows; short ones take the label of their nearest long neighbours."""
    long = (windows[:, 1] - windows[:, 0]) >= MIN_CLUSTER_WINDOW_S
    if long.sum() < 4:
        return cluster_windows(emb, num_speakers=num_speakers, overlap=overlap)
    labels = np.empty(len(emb), dtype=int)
    labels[long] = cluster_windows(emb[long], num_speakers=num_speakers, overlap=overlap)
    if (~long).any():
        sims = emb[~long] @ emb[long].T
        near = np.argsort(-sims, axis=1)[:, :5]
        votes = labels[long][near]
        labels[~long] = [np.bincount(v).argmax() for v in votes]
    return labels


def _reassign(emb: np.ndarray, labels: np.ndarray, weak: list[int]) -> np.ndarray:
    """Windows of dropped speakers go to the most similar remaining speaker."""
    keep = [k for k in np.unique(labels) if k not in weak]
    cents = unit(np.stack([emb[labels == k].mean(axis=0) for k in keep]))
    out = labels.copy()
    moved = np.isin(labels, weak)
    out[moved] = np.asarray(keep)[np.argmax(emb[moved] @ cents.T, axis=1)]
    return out


def _assign(words: list[_Word], windows: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each word's speaker: its windows' votes by overlap, smoothed over the word sequence."""
    k = labels.max() + 1
    order = np.argsort([w.start for w in words], kind="stable")
    votes = np.full((len(words), k), FLOOR)
    for row, i in enumerate(order):
        w = words[i]
        mid, half = (w.start + w.end) / 2, max((w.end - w.start) / 2, PAD_S)
        lo = np.searchsorted(windows[:, 1], mid - half, side="right")
        hi = np.searchsorted(windows[:, 0], mid + half, side="left")
        if hi <= lo:  # no window overlaps: the nearest one decides
            lo = int(np.argmin(np.abs(windows.mean(axis=1) - mid)))
            hi = lo + 1
        span = windows[lo:hi]
        weight = np.minimum(span[:, 1], mid + half) - np.maximum(span[:, 0], mid - half)
        np.add.at(votes[row], labels[lo:hi], np.maximum(weight, 1e-3) / max(weight.sum(), 1e-3))
    starts = np.array([words[i].start for i in order])
    ends = np.array([words[i].end for i in order])
    gaps = np.maximum(starts[1:] - ends[:-1], 0.0)
    path = _viterbi(np.log(votes), SWITCH_COST * np.clip(1 - gaps / PAUSE_S, 0.25, 1.0))
    out = np.empty(len(words), dtype=int)
    out[order] = path
    return out


def _viterbi(log_votes: np.ndarray, switch: np.ndarray) -> np.ndarray:
    """The best speaker sequence: votes per word, minus a cost for each change of speaker."""
    n, k = log_votes.shape
    score = log_votes[0].copy()
    back = np.zeros((n, k), dtype=int)
    for t in range(1, n):
        best = int(np.argmax(score))
        stay, move = score, score[best] - switch[t - 1]
        back[t] = np.where(stay >= move, np.arange(k), best)
        score = np.maximum(stay, move) + log_votes[t]
    path = np.empty(n, dtype=int)
    path[-1] = int(np.argmax(score))
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def _channel_levels(wav: np.ndarray, frame: int = 800) -> np.ndarray:
    """Level in dB of each channel over 50 ms frames, as (channels, frames)."""
    count = wav.shape[1] // frame
    frames = wav[:, : count * frame].reshape(wav.shape[0], count, frame).astype(np.float64)
    return 10 * np.log10(np.mean(frames**2, axis=2) + 1e-12)


def is_call(wav: np.ndarray) -> bool:
    """True when channels carry different voices (a call): speech is far louder on one side."""
    levels = _channel_levels(wav)
    if levels.shape[1] < 4:
        return False
    loudest = levels.max(axis=0)
    active = loudest > np.percentile(loudest, 95) - 30
    ranked = np.sort(levels[:, active], axis=0)
    dominance = ranked[-1] - ranked[-2]
    corr = abs(np.corrcoef(wav[0], wav[1])[0, 1]) if wav.std() > 0 else 1.0
    return bool(np.mean(dominance >= DOMINANCE_DB) >= 0.3 and corr < 0.5)


def _attribute_channels(wav: np.ndarray, words: list[_Word]) -> dict[int, np.ndarray]:
    """Word indices per channel: the channel the transcription names, else the loudest one."""
    levels = _channel_levels(wav)
    channels = []
    for w in words:
        if w.channel is not None:
            channels.append(int(w.channel))
            continue
        a = int(w.start * 20)
        b = max(int(np.ceil(w.end * 20)), a + 1)
        channels.append(int(np.argmax(levels[:, a:b].mean(axis=1))) if a < levels.shape[1] else 0)
    channels = np.asarray(channels)
    return {c: np.flatnonzero(channels == c) for c in np.unique(channels)}


def _result(segments, words, labels, centroids, members, names, matrix, threshold) -> dict:
    """Turns, speakers named (enrolled voices one-to-one) or numbered by first appearance."""
    k = len(centroids)
    cents = np.stack(centroids) if k else np.zeros((0, 256), np.float32)
    named: dict[int, tuple[int, float]] = {
        s: (m, float(cents[s] @ matrix[m])) for s, m in enumerate(members) if m is not None
    }
    if matrix is not None:
        free_s = [s for s in range(k) if s not in named]
        taken = {m for m, _ in named.values()}
        free_v = [v for v in range(len(names)) if v not in taken]
        found = match_members(cents[free_s], matrix[free_v], threshold)
        named.update({free_s[s]: (free_v[v], sim) for s, (v, sim) in found.items()})
    first = {}
    for i in np.argsort([w.start for w in words], kind="stable"):
        first.setdefault(int(labels[i]), len(first))
    order = sorted(range(k), key=lambda s: first.get(s, k + s))
    label_of, speakers, number = {}, [], 0
    for s in order:
        if s in named:
            label_of[s] = names[named[s][0]]
        else:
            number += 1
            label_of[s] = f"Speaker {number}"
    turns = _turns(segments, words, labels, label_of)
    seconds: dict[str, float] = {}
    for t in turns:
        seconds[t["speaker"]] = seconds.get(t["speaker"], 0.0) + t["end"] - t["start"]
    voice_of: dict[str, np.ndarray] = {}
    for s in order:
        label = label_of[s]
        if s not in first or label in voice_of:  # one member heard on two channels: one speaker
            voice_of[label] = voice_of.get(label, 0) + cents[s]
            continue
        voice_of[label] = cents[s]
        member, sim = (names[named[s][0]], round(named[s][1], 3)) if s in named else (None, None)
        speakers.append(
            {
                "label": label,
                "member": member,
                "similarity": sim,
                "seconds": round(seconds.get(label, 0.0), 2),
            }
        )
    return {
        "segments": turns,
        "speakers": speakers,
        # No audio under a speaker's words (bad times): no voice to enroll from, not zeros.
        "centroids": {
            sp["label"]: [round(float(x), 6) for x in unit(voice_of[sp["label"]])]
            if np.any(voice_of[sp["label"]])
            else []
            for sp in speakers
        },
    }


def _turns(segments, words, labels, label_of) -> list[dict]:
    """Each segment split into runs of one speaker; the text is rebuilt from the words."""
    by_segment: dict[int, list[int]] = {}
    for i, w in enumerate(words):
        by_segment.setdefault(w.segment, []).append(i)
    turns = []
    for s, seg in enumerate(segments):
        idx = by_segment.get(s, [])
        runs: list[list[int]] = []
        for i in idx:
            if runs and labels[runs[-1][-1]] == labels[i]:
                runs[-1].append(i)
            else:
                runs.append([i])
        extra = {k: v for k, v in seg.items() if k not in ("start", "end", "text", "words")}
        for r, run in enumerate(runs):
            sources = [words[i].source for i in run if words[i].source is not None]
            text = "".join(w["word"] for w in sources).strip() if sources else seg["text"].strip()
            turns.append(
                {
                    **extra,
                    "start": float(seg["start"]) if r == 0 else words[run[0]].start,
                    "end": float(seg["end"]) if r == len(runs) - 1 else words[run[-1]].end,
                    "text": text,
                    "speaker": label_of[int(labels[run[0]])],
                    "words": sources,
                }
            )
    return turns
