"""The team knowledge base: documents and meeting transcripts cut into passages and embedded.

Writes go through the services here; feature apps (meetings) hand their text in through
`knowledge_transcript_put` / `knowledge_source_delete` and never touch the rows themselves.
Embedding runs in a job on the `text` queue, with the team's embeddings slot.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
from django.db import transaction
from django.db.models import F

from .ai import SlotConfig, embed_sentences
from .jobs import JobError, job_create
from .models import KnowledgeChunk, KnowledgeIndexVersion, KnowledgeSource, Team, User
from .slots import slot_config

EMBED = "assistant.kb_embed"
FORMATS = {".pdf": "PDF", ".docx": "Word", ".txt": "text", ".md": "Markdown",
           ".markdown": "Markdown"}
MAX_WORDS = 90  # a passage: about a paragraph, short enough to cite
MIN_WORDS = 12  # shorter paragraphs join the next one under the same heading
MEETING_WORDS = 70
EMBED_BATCH = 64
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")


class KnowledgeError(ValueError):
    """A document that cannot go into the knowledge base; the message is for the person."""


@dataclass(frozen=True)
class Passage:
    heading: str
    text: str
    start: float | None = None


def text_extract(*, name: str, data: bytes) -> str:
    """The plain text of a PDF, DOCX, TXT or Markdown file."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in FORMATS:
        raise KnowledgeError(f"{name} is not a PDF, DOCX, TXT or Markdown file.")
    try:
        if suffix == ".pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            return "\n\n".join(page.extract_text() or "" for page in reader.pages)
        if suffix == ".docx":
            import docx

            document = docx.Document(io.BytesIO(data))
            return "\n\n".join(_docx_paragraph(p) for p in document.paragraphs)
        return data.decode("utf-8-sig", errors="replace")
    except Exception as exc:
        raise KnowledgeError(f"{name} could not be read as a {FORMATS[suffix]} file: "
                             f"{type(exc).__name__}") from exc


def _docx_paragraph(paragraph) -> str:
    style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    if style.startswith("heading") or style == "title":
        return "# " + paragraph.text
    return paragraph.text


def text_clean(text: str) -> str:
    """Normalise Unicode, re-join words hyphenated across lines, drop page numbers and blanks."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").replace("\r\n", "\n")
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t\f\v]+", " ", line).strip()
        if re.fullmatch(r"(page )?\d{1,4}( of \d{1,4})?", line, flags=re.IGNORECASE):
            continue  # a page number left by PDF extraction
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def sentences(text: str) -> list[str]:
    """The sentences of a passage (a simple splitter that keeps numbers like 4.2 whole)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def passages_from_text(text: str) -> list[Passage]:
    """Paragraph-sized passages, each under the nearest Markdown heading."""
    heading, pending, out = "", [], []
    for block in re.split(r"\n\s*\n", text_clean(text)):
        lines = [line for line in block.split("\n") if line]
        while lines and lines[0].startswith("#"):
            if pending:
                out.extend(_cut(heading, " ".join(pending)))
                pending = []
            heading = lines.pop(0).lstrip("#").strip()
        if not lines:
            continue
        pending.append(" ".join(lines))
        if len(" ".join(pending).split()) >= MIN_WORDS:
            out.extend(_cut(heading, " ".join(pending)))
            pending = []
    if pending:
        out.extend(_cut(heading, " ".join(pending)))
    return out


def _cut(heading: str, paragraph: str) -> list[Passage]:
    """A paragraph as one passage, or several at sentence ends when it is long."""
    pieces, current = [], []
    for sentence in sentences(paragraph):
        if current and len(" ".join([*current, sentence]).split()) > MAX_WORDS:
            pieces.append(" ".join(current))
            current = []
        current.append(sentence)
    if current:
        pieces.append(" ".join(current))
    return [Passage(heading, piece) for piece in pieces]


def passages_from_segments(segments: list[dict]) -> list[Passage]:
    """Transcript segments joined into passages of about MEETING_WORDS words, with their start."""
    out, words, start = [], [], None
    for segment in segments:
        text = " ".join(str(segment.get("text", "")).split())
        if not text:
            continue
        if start is None:
            start = float(segment.get("start") or 0.0)
        words.extend(text.split())
        if len(words) >= MEETING_WORDS:
            out.append(Passage("", " ".join(words), start))
            words, start = [], None
    if words:
        out.append(Passage("", " ".join(words), start))
    return out


def embedding_signature(config: SlotConfig) -> str:
    """Which model made a vector: vectors of two models never share an index."""
    return json.dumps(config.cache_key())


# -- writes -------------------------------------------------------------------------------


def knowledge_document_put(*, team: Team, user: User | None, name: str,
                           data: bytes) -> KnowledgeSource:
    """Add a document, or replace the one with the same file name, and queue its indexing."""
    name = PurePath(name or "document.txt").name[:250]
    passages = passages_from_text(text_extract(name=name, data=data))
    if not passages:
        raise KnowledgeError(f"{name} has no text to index (a scanned PDF needs OCR first).")
    title = PurePath(name).stem.replace("_", " ").replace("-", " ").strip() or name
    return _source_replace(team=team, key=f"doc:{name.lower()}", kind=KnowledgeSource.Kind.DOCUMENT,
                           title=title, url="", user=user, passages=passages)


def knowledge_transcript_put(*, team: Team, key: str, title: str, url: str,
                             segments: list[dict]) -> KnowledgeSource | None:
    """Put a meeting's transcript in (replacing its earlier one); `url` links to the meeting."""
    passages = passages_from_segments(segments)
    if not passages:
        knowledge_source_delete(team=team, key=key)
        return None
    return _source_replace(team=team, key=key, kind=KnowledgeSource.Kind.MEETING,
                           title=title, url=url, user=None, passages=passages)


def knowledge_source_delete(*, team: Team, key: str) -> int:
    """Remove a source and its passages (nothing happens when there is none)."""
    with transaction.atomic():
        deleted, _ = KnowledgeSource.objects.filter(team=team, key=key).delete()
        if deleted:
            _bump(team)
    return deleted


def knowledge_source_remove(*, source: KnowledgeSource) -> None:
    """Delete a source the person picked from the list."""
    knowledge_source_delete(team=source.team, key=source.key)


def _source_replace(*, team: Team, key: str, kind: str, title: str, url: str,
                    user: User | None, passages: list[Passage]) -> KnowledgeSource:
    with transaction.atomic():
        source, _ = KnowledgeSource.objects.select_for_update().get_or_create(
            team=team, key=key, defaults={"kind": kind, "title": title[:300]})
        source.chunks.all().delete()
        KnowledgeChunk.objects.bulk_create([
            KnowledgeChunk(team=team, source=source, index=i, heading=p.heading[:300],
                           text=p.text, start=p.start)
            for i, p in enumerate(passages)])
        source.kind, source.title, source.url = kind, title[:300], url
        source.status, source.error, source.embedded_with = (
            KnowledgeSource.Status.EMBEDDING, "", "")
        source.added_by = user or source.added_by
        source.job = job_create(team=team, owner=user, kind=EMBED, title=f"Index “{title[:150]}”",
                                params={"source": source.pk})
        source.save()
        _bump(team)
    return source


def knowledge_reindex(*, team: Team, user: User | None) -> int:
    """Re-embed every source (after the team's embeddings model changed)."""
    count = 0
    for source in KnowledgeSource.objects.filter(team=team):
        with transaction.atomic():
            source.chunks.update(embedding=None)
            source.status, source.embedded_with = KnowledgeSource.Status.EMBEDDING, ""
            source.job = job_create(team=team, owner=user, kind=EMBED,
                                    title=f"Index “{source.title[:150]}”",
                                    params={"source": source.pk})
            source.save(update_fields=["status", "embedded_with", "job"])
            _bump(team)
        count += 1
    return count


def _bump(team: Team) -> None:
    row, _ = KnowledgeIndexVersion.objects.get_or_create(team=team)
    KnowledgeIndexVersion.objects.filter(pk=row.pk).update(version=F("version") + 1)


def knowledge_embed(*, source: KnowledgeSource, progress=None) -> dict:
    """Embed the source's passages with the team's embeddings slot (runs in a worker)."""
    config = slot_config(team=source.team, kind="embeddings")
    chunks = list(source.chunks.filter(embedding__isnull=True).order_by("index"))
    try:
        for i in range(0, len(chunks), EMBED_BATCH):
            batch = chunks[i:i + EMBED_BATCH]
            vectors = embed_sentences(config, [passage_for_embedding(source.title, c.heading,
                                                                     c.text) for c in batch])
            for chunk, vector in zip(batch, vectors, strict=True):
                chunk.embedding = vector.astype(np.float32).tobytes()
            KnowledgeChunk.objects.bulk_update(batch, ["embedding"])
            if progress is not None:
                progress(100 * (i + len(batch)) / max(1, len(chunks)), stage="Indexing passages")
    except Exception as exc:
        KnowledgeSource.objects.filter(pk=source.pk).update(
            status=KnowledgeSource.Status.FAILED, error=str(exc)[:2000])
        raise JobError(f"Indexing {source.title} failed: {exc}") from exc
    with transaction.atomic():
        KnowledgeSource.objects.filter(pk=source.pk).update(
            status=KnowledgeSource.Status.READY, error="",
            embedded_with=embedding_signature(config))
        _bump(source.team)
    return {"source": source.pk, "passages": len(chunks)}


def passage_for_embedding(title: str, heading: str, text: str) -> str:
    """What is embedded: the passage after its document title and heading, for context."""
    context = [title] + ([heading] if heading and heading.lower() != title.lower() else [])
    return ". ".join([*context, text])
