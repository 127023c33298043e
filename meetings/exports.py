"""A transcript as TXT, Markdown, SRT, WebVTT, DOCX or JSON."""

import io
import json

from .models import Meeting

FORMATS = {
    "txt": ("text/plain; charset=utf-8", "txt"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "srt": ("application/x-subrip; charset=utf-8", "srt"),
    "vtt": ("text/vtt; charset=utf-8", "vtt"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "json": ("application/json", "json"),
}


def clock(seconds: float, *, sep: str = ".", hours: bool = True) -> str:
    """12.5 → 00:00:12.500 (SRT uses a comma before the milliseconds)."""
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    head = f"{h:02d}:" if hours or h else ""
    return f"{head}{m:02d}:{s:02d}{sep}{ms:03d}"


def short_clock(seconds: float) -> str:
    """12.5 → 0:12; 3725 → 1:02:05."""
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _rows(meeting: Meeting) -> list[dict]:
    return [{"start": s.start, "end": s.end, "speaker": s.speaker.name if s.speaker else None,
             "text": s.text, "language": s.language or meeting.language}
            for s in meeting.segments.select_related("speaker", "speaker__member")]


def _line(row: dict) -> str:
    return f"{row['speaker']}: {row['text']}" if row["speaker"] else row["text"]


def export(meeting: Meeting, fmt: str) -> bytes:
    rows = _rows(meeting)
    if fmt == "txt":
        lines = [f"[{short_clock(r['start'])}] {_line(r)}" for r in rows]
        return ("\n".join([meeting.title, str(meeting.held_on), "", *lines]) + "\n").encode()
    if fmt == "md":
        lines = [f"- **{short_clock(r['start'])}**" + (f" **{r['speaker']}:**" if r["speaker"]
                                                       else "") + f" {r['text']}" for r in rows]
        return ("\n".join([f"# {meeting.title}", "", f"*{meeting.held_on}*", "", *lines])
                + "\n").encode()
    if fmt == "srt":
        blocks = [f"{i}\n{clock(r['start'], sep=',')} --> {clock(r['end'], sep=',')}\n{_line(r)}\n"
                  for i, r in enumerate(rows, 1)]
        return "\n".join(blocks).encode()
    if fmt == "vtt":
        blocks = [f"{clock(r['start'])} --> {clock(r['end'])}\n"
                  + (f"<v {r['speaker']}>{r['text']}" if r["speaker"] else r["text"]) + "\n"
                  for r in rows]
        return ("WEBVTT\n\n" + "\n".join(blocks)).encode()
    if fmt == "json":
        body = {"title": meeting.title, "date": str(meeting.held_on),
                "language": meeting.language, "duration": meeting.duration, "segments": rows}
        return json.dumps(body, ensure_ascii=False, indent=2).encode()
    if fmt == "docx":
        return _docx(meeting, rows)
    raise ValueError(f"Unknown export format {fmt!r}")


def _docx(meeting: Meeting, rows: list[dict]) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(meeting.title, level=1)
    document.add_paragraph(str(meeting.held_on))
    for row in rows:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"[{short_clock(row['start'])}] ").italic = True
        if row["speaker"]:
            paragraph.add_run(f"{row['speaker']}: ").bold = True
        paragraph.add_run(row["text"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


MINUTES_FORMATS = {
    "md": ("text/markdown; charset=utf-8", "md"),
    "docx": FORMATS["docx"],
    "pdf": ("application/pdf", "pdf"),
}


def _minutes_sections(meeting: Meeting, body: dict) -> list[tuple[str, list[str]]]:
    """The minutes as (heading, lines), shared by every format."""
    items = [f"{i.owner.display_name if i.owner else (i.owner_name or 'Unassigned')}: {i.task}"
             + (f" (due {i.due:%d %b %Y})" if i.due else "")
             for i in meeting.action_items.filter(status__in=["suggested", "accepted"])
             .select_related("owner")]

    def texts(key: str) -> list[str]:
        return [x["text"] if isinstance(x, dict) else str(x) for x in body.get(key) or []]

    return [("Attendees", [", ".join(body.get("attendees") or [])] if body.get("attendees")
             else []),
            ("Summary", texts("summary")), ("Decisions", texts("decisions")),
            ("Action items", items), ("Open questions", texts("open_questions"))]


def minutes_export(meeting: Meeting, body: dict, fmt: str) -> bytes:
    title = body.get("title") or meeting.title
    sections = _minutes_sections(meeting, body)
    if fmt == "md":
        out = [f"# {title}", "", f"*{meeting.held_on:%A %d %B %Y}*", ""]
        for heading, lines in sections:
            if lines:
                out += [f"## {heading}", "", *(f"- {line}" for line in lines), ""]
        return "\n".join(out).encode()
    if fmt == "docx":
        from docx import Document

        document = Document()
        document.add_heading(title, level=1)
        document.add_paragraph(f"{meeting.held_on:%A %d %B %Y}")
        for heading, lines in sections:
            if lines:
                document.add_heading(heading, level=2)
                for line in lines:
                    document.add_paragraph(line, style="List Bullet")
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    if fmt == "pdf":
        return _minutes_pdf(title, meeting, sections)
    raise ValueError(f"Unknown minutes format {fmt!r}")


def _minutes_pdf(title: str, meeting: Meeting, sections) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    # A Unicode font: names and quotes are not always Latin-1.
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 6, f"{meeting.held_on:%A %d %B %Y}", new_x="LMARGIN", new_y="NEXT")
    for heading, lines in sections:
        if not lines:
            continue
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        for line in lines:
            pdf.multi_cell(0, 6, f"• {line}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
