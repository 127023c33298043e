"""The knowledge base: reading files, cutting passages, indexing, searching, replacing, deleting."""

import io

import numpy as np
import pytest

from assistant.knowledge import (
    KnowledgeError,
    Passage,
    knowledge_document_put,
    knowledge_embed,
    knowledge_source_delete,
    passages_from_segments,
    passages_from_text,
    text_clean,
    text_extract,
)
from assistant.models import Job, KnowledgeChunk, KnowledgeSource
from assistant.retrieval import knowledge_search, team_index, top_k
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

HANDBOOK = b"""# Travel

Travel is booked through the Navan portal so that the company can find people quickly.

Hotels should cost at most 140 euros per night in most cities, and 190 euros in London.

# Security

Passwords must be at least 14 characters long and unique for every service we use.
"""


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF showing `text` (written by hand: no PDF writer is installed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
               b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Onboarding", level=1)
    document.add_paragraph("IT ships the laptop one week before the start date of a newcomer.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_it_reads_pdf_docx_text_and_markdown():
    assert "Expense claims within 30 days" in text_extract(
        name="policy.pdf", data=pdf_bytes("Expense claims within 30 days"))
    docx_text = text_extract(name="Onboarding.DOCX", data=docx_bytes())
    assert "# Onboarding" in docx_text and "one week before the start date" in docx_text
    assert text_extract(name="a.md", data="\ufeffCafé".encode()) == "Café"
    assert "Hello" in text_extract(name="a.txt", data=b"Hello")


def test_it_refuses_other_formats_and_broken_files():
    with pytest.raises(KnowledgeError, match="not a PDF, DOCX"):
        text_extract(name="slides.pptx", data=b"x")
    with pytest.raises(KnowledgeError, match="could not be read"):
        text_extract(name="broken.docx", data=b"not a zip")


def test_cleaning_rejoins_hyphenated_words_and_drops_page_numbers():
    cleaned = text_clean("The reim-\nbursement   is paid\n\n12\n\nPage 3 of 9\nnext")
    assert "reimbursement is paid" in cleaned
    assert "12" not in cleaned and "Page 3" not in cleaned


def test_passages_keep_their_heading_and_long_paragraphs_are_cut_at_sentences():
    long = " ".join(f"Sentence number {i} says something useful here." for i in range(40))
    passages = passages_from_text(f"# Title\n\nShort.\n\n## Rules\n\n{long}")
    assert passages[0] == Passage("Title", "Short.")  # too short to stand alone, yet kept
    rule_parts = [p for p in passages if p.heading == "Rules"]
    assert len(rule_parts) >= 3
    assert all(len(p.text.split()) <= 90 for p in rule_parts)
    assert all(p.text.endswith(".") for p in rule_parts)


def test_transcript_passages_start_where_their_first_segment_starts():
    segments = [{"start": 10.0 * i, "text": "word " * 30} for i in range(5)]
    passages = passages_from_segments(segments)
    assert [p.start for p in passages] == [0.0, 30.0]


def test_top_k_is_exact_and_ordered():
    rng = np.random.default_rng(1)
    matrix = rng.standard_normal((5000, 16)).astype(np.float32)
    vector = rng.standard_normal(16).astype(np.float32)
    rows, scores = top_k(matrix, vector, 5)
    expected = np.argsort(-(matrix @ vector))[:5]
    assert list(rows) == list(expected)
    assert list(scores) == sorted(scores, reverse=True)


def _index(team, name="handbook.md", data=HANDBOOK):
    source = knowledge_document_put(team=team, user=None, name=name, data=data)
    knowledge_embed(source=source)
    return source


def test_it_indexes_searches_replaces_and_deletes(world):
    source = _index(world.team)
    source.refresh_from_db()
    assert source.status == "ready" and source.job.kind == "assistant.kb_embed"
    hits = knowledge_search(team=world.team, question="How long must a password be?")
    assert "14 characters" in hits[0].chunk.text
    assert hits[0].score > hits[-1].score

    # Re-uploading the same file name replaces the passages; the cached matrix follows.
    _index(world.team, data=b"# Security\n\nPasswords must be at least 20 characters long, "
                             b"unique, and stored in the password manager.")
    assert KnowledgeSource.objects.filter(team=world.team).count() == 1
    hits = knowledge_search(team=world.team, question="How long must a password be?")
    assert "20 characters" in hits[0].chunk.text
    assert not KnowledgeChunk.objects.filter(text__contains="14 characters").exists()

    knowledge_source_delete(team=world.team, key=source.key)
    assert not KnowledgeChunk.objects.filter(team=world.team).exists()
    assert knowledge_search(team=world.team, question="password length") == []


def test_the_worker_cache_is_rebuilt_only_when_the_team_changes(world):
    _index(world.team)
    signature = team_index(team=world.team, signature="x").signature
    first = team_index(team=world.team, signature=signature)
    assert team_index(team=world.team, signature=signature) is first
    _index(world.team, name="other.txt", data=b"The office opens at 7:30 on working days, "
                                              b"and closes at 20:00 in the evening.")
    assert team_index(team=world.team, signature=signature) is not first


def test_a_team_never_finds_another_teams_passages(world):
    _index(world.team)
    assert knowledge_search(team=world.other_team, question="hotel limit London") == []


def test_an_empty_document_is_refused(world):
    with pytest.raises(KnowledgeError, match="no text"):
        knowledge_document_put(team=world.team, user=None, name="blank.txt", data=b"\n\n 3 \n")


def test_meetings_feed_their_transcript_and_deleting_the_meeting_removes_it(world):
    from meetings.services import meeting_delete, segments_replace

    meeting = MeetingFactory(team=world.team, title="Budget sync")
    segments_replace(meeting=meeting, segments=[
        {"start": 12.0, "end": 15.0, "text": "We agreed the budget requests are due on "
                                            "the fifteenth of November."}])
    source = KnowledgeSource.objects.get(team=world.team, key=f"meeting:{meeting.pk}")
    assert source.kind == "meeting" and source.url == f"/meetings/{meeting.pk}/"
    chunk = source.chunks.get()
    assert chunk.start == 12.0 and "fifteenth of November" in chunk.text
    assert Job.objects.filter(kind="assistant.kb_embed", params={"source": source.pk}).exists()

    meeting_delete(meeting=meeting)
    assert not KnowledgeSource.objects.filter(key=f"meeting:{meeting.pk}").exists()
    assert not KnowledgeChunk.objects.filter(team=world.team).exists()
