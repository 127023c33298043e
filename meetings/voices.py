"""Telling voices apart: enrollment, clustering voice windows, and naming clusters after members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from assistant.ai import SlotConfig

SAMPLE_RATE = 16000
TARGET_DBFS = -30.0  # the level Resemblyzer was trained at; its embeddings shift with loudness
# Cosine similarity above which a speaker's voice (the mean of its windows) is taken to be an
# enrolled member's. Tuned on the scripted meetings with one member left out of enrollment.
NAMING_THRESHOLD = 0.75
MAX_SPEAKERS = 16
NEIGHBOURS = 0.05  # share of windows linked to each window in the clustering graph
PCA_DIMS = 10  # dimensions of the Gaussian model that chooses the number of speakers
WINDOW_MARGIN = 0.1  # a 1.5 s window resembles its speaker's voice less than the whole voice does
MIN_EXTRA_S = 3.0  # speech unlike every enrolled voice worth looking for other speakers in
MERGE_MARGIN = 0.06  # an unmatched cluster this close to a member's matched one is theirs too
SPLIT_SHARE = 0.1  # share of a cluster's windows (2 s at least) a 2nd voice needs to split it


def unit(x: np.ndarray) -> np.ndarray:
    """Rows scaled to length one."""
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


def level_gain(wav: np.ndarray, spans: Sequence[tuple[float, float]]) -> float:
    """The gain that brings the speech in spans to TARGET_DBFS."""
    parts = [wav[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)] for a, b in spans]
    speech = np.concatenate(parts) if parts else wav
    rms = float(np.sqrt(np.mean(np.square(speech, dtype=np.float64)))) if len(speech) else 0.0
    return 10 ** ((TARGET_DBFS - 20 * np.log10(rms)) / 20) if rms > 1e-6 else 1.0


def speech_spans(wav: np.ndarray, min_silence_s: float = 0.3) -> list[tuple[float, float]]:
    """Where someone speaks, by Silero VAD (bundled with faster-whisper), in seconds."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=int(min_silence_s * 1000), speech_pad_ms=100)
    stamps = get_speech_timestamps(np.asarray(wav, dtype=np.float32), options)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


def enroll_voice(wav: np.ndarray, *, config: SlotConfig) -> np.ndarray:
    """A member's voice from a sample: silences cut, level set, 1.6 s partials averaged."""
    from assistant.ai import embed_speakers

    wav = np.asarray(wav, dtype=np.float32)
    wav = wav.mean(axis=0) if wav.ndim == 2 else wav
    spans = speech_spans(wav)
    parts = [wav[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)] for a, b in spans]
    speech = np.concatenate(parts) if parts else wav[:0]
    if len(speech) < SAMPLE_RATE:
        raise ValueError("The voice sample holds less than one second of speech.")
    speech = speech * np.float32(level_gain(speech, [(0.0, len(speech) / SAMPLE_RATE)]))
    return embed_speakers(config, speech, [(0.0, len(speech) / SAMPLE_RATE)])[0]


def _neighbour_graph(emb: np.ndarray, k: int):
    """A symmetric k-nearest-neighbour graph (cosine) as a sparse 0/1 matrix."""
    from scipy import sparse

    n = len(emb)
    rows, cols = [], []
    for i in range(0, n, 1024):  # blocks: an hour of windows never needs an n x n matrix
        sims = emb[i : i + 1024] @ emb.T
        sims[np.arange(len(sims)), np.arange(i, i + len(sims))] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        rows.append(np.repeat(np.arange(i, i + len(sims)), k))
        cols.append(top.ravel())
    graph = sparse.csr_matrix(
        (np.ones(n * k), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    )
    return graph.maximum(graph.T)


def _spectral_embedding(emb: np.ndarray, dims: int) -> np.ndarray:
    """The top eigenvectors of the normalised neighbour graph, one row per window."""
    from scipy import sparse
    from scipy.sparse.linalg import eigsh

    n = len(emb)
    graph = _neighbour_graph(emb, min(n - 1, max(2, round(NEIGHBOURS * n)), 100))
    scale = sparse.diags(1 / np.sqrt(np.maximum(np.asarray(graph.sum(axis=1)).ravel(), 1e-9)))
    affinity = scale @ graph @ scale
    dims = min(dims, n - 1)
    if n <= 1500:
        _, vectors = np.linalg.eigh(affinity.toarray())
        return vectors[:, ::-1][:, :dims]
    _, vectors = eigsh(affinity, k=dims, which="LA", tol=1e-4, v0=np.ones(n))
    return vectors[:, ::-1]


def _kmeans(points: np.ndarray, k: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    return KMeans(k, n_init=4, random_state=0).fit_predict(unit(points))


def _pca(emb: np.ndarray) -> np.ndarray:
    """The windows in their top PCA_DIMS principal axes."""
    centred = emb - emb.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    return centred @ axes[: min(PCA_DIMS, len(emb) - 1)].T


def _bic(x: np.ndarray, labels: np.ndarray, n_eff: float) -> float:
    """BIC of a Gaussian per speaker sharing one covariance (lower is better)."""
    k, d = labels.max() + 1, x.shape[1]
    means = np.stack([x[labels == c].mean(axis=0) for c in range(k)])
    resid = x - means[labels]
    _, logdet = np.linalg.slogdet(resid.T @ resid / len(x) + 1e-3 * np.eye(d))
    # Overlapping windows are not independent: count n_eff samples, not len(x).
    return n_eff * (logdet + d) + k * d * np.log(max(n_eff, 2.0))


def cluster_windows(
    emb: np.ndarray, *, num_speakers: int | None = None, overlap: float = 1.0
) -> np.ndarray:
    """A speaker label per window: spectral clustering; the count by BIC unless given."""
    n = len(emb)
    if n < 4 or num_speakers == 1:
        return np.zeros(n, dtype=int)
    top = min(MAX_SPEAKERS, n // 2) if num_speakers is None else min(num_speakers, n - 1)
    vectors = _spectral_embedding(emb, max(top, 2))
    if num_speakers is not None:
        return _kmeans(vectors[:, :top], top)
    n_eff, x = n / max(overlap, 1.0), _pca(emb)
    best, best_bic = np.zeros(n, dtype=int), _bic(x, np.zeros(n, dtype=int), n_eff)
    for k in range(2, top + 1):
        labels = _kmeans(vectors[:, :k], k)
        score = _bic(x, labels, n_eff)
        if score < best_bic:
            best, best_bic = labels, score
    return best


def match_members(
    centroids: np.ndarray, voices: np.ndarray, threshold: float
) -> dict[int, tuple[int, float]]:
    """{speaker: (voice, similarity)}: one-to-one (Hungarian), similarity at least threshold."""
    from scipy.optimize import linear_sum_assignment

    if not len(centroids) or not len(voices):
        return {}
    sims = unit(centroids) @ unit(voices).T
    rows, cols = linear_sum_assignment(-sims)
    return {
        int(r): (int(c), float(sims[r, c]))
        for r, c in zip(rows, cols, strict=True)
        if sims[r, c] >= threshold
    }


def guided_windows(
    emb: np.ndarray,
    voices: np.ndarray,
    *,
    threshold: float,
    overlap: float,
    hop_s: float,
    num_speakers: int | None = None,
) -> np.ndarray:
    """A label per window: its nearest enrolled voice, or len(voices) + j for unenrolled voices."""
    sims = emb @ unit(voices).T
    labels = sims.argmax(axis=1)
    # One window is noisier than a speaker's whole voice: a lower bar to call it known.
    unknown = np.flatnonzero(sims.max(axis=1) < threshold - WINDOW_MARGIN)
    if len(unknown) * hop_s < MIN_EXTRA_S:
        return labels
    known = len(np.unique(labels[np.setdiff1d(np.arange(len(emb)), unknown)]))
    extra_count = None if num_speakers is None else max(1, num_speakers - known)
    extra = cluster_windows(emb[unknown], num_speakers=extra_count, overlap=overlap)
    for j in range(extra.max() + 1):
        members = unknown[extra == j]
        voice_sims = unit(emb[members].mean(axis=0)) @ unit(voices).T
        # A cluster that sounds like a member after all (averaging removed the noise) is them.
        named = voice_sims.argmax() if voice_sims.max() >= threshold else len(voices) + j
        labels[members] = named
    return labels


def split_by_voices(
    emb: np.ndarray, labels: np.ndarray, voices: np.ndarray, threshold: float
) -> np.ndarray:
    """Clusters holding two enrolled voices (too few speakers were counted) split between them."""
    sims = emb @ unit(voices).T
    nearest = np.where(sims.max(axis=1) >= threshold - WINDOW_MARGIN, sims.argmax(axis=1), -1)
    out, fresh = labels.copy(), labels.max() + 1
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        counts = np.bincount(nearest[idx][nearest[idx] >= 0], minlength=len(voices))
        big = np.flatnonzero(counts >= max(SPLIT_SHARE * len(idx), 8))
        if len(big) < 2:
            continue
        choice = big[np.argmax(sims[np.ix_(idx, big)], axis=1)]
        parts = [unit(emb[idx[choice == v]].mean(axis=0)) @ unit(voices).T for v in big]
        # Each part must sound most like its own voice, or the voices are just confusable.
        if any(int(np.argmax(p)) != v for p, v in zip(parts, big, strict=True)):
            continue
        for v in big[1:]:
            out[idx[choice == v]] = fresh
            fresh += 1
    return out


def name_clusters(
    emb: np.ndarray, labels: np.ndarray, voices: np.ndarray, threshold: float
) -> np.ndarray:
    """Labels renumbered: a cluster matched to enrolled voice v becomes v, others len(voices)+c."""
    voices = unit(voices)
    ks = np.unique(labels)
    cents = unit(np.stack([emb[labels == k].mean(axis=0) for k in ks]))
    found = match_members(cents, voices, threshold)
    sims = cents @ voices.T
    owner = {v: i for i, (v, _) in found.items()}
    out = np.empty_like(labels)
    for i, k in enumerate(ks):
        v = found[i][0] if i in found else int(np.argmax(sims[i]))
        # One member's voice split in two clusters: the unmatched half is theirs as well.
        if i not in found and not (
            v in owner and sims[i, v] >= max(threshold, sims[owner[v], v] - MERGE_MARGIN)
        ):
            v = len(voices) + int(k)
        out[labels == k] = v
    present = np.unique(out[out < len(voices)])
    if len(present) > 1:  # among members, each window goes to the nearest enrolled voice
        idx = np.flatnonzero(out < len(voices))
        out[idx] = present[np.argmax(emb[idx] @ voices[present].T, axis=1)]
    return out
