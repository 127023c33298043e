"""A template's saved records as CSV, JSON or PDF: one column (or line) per field."""

import csv
import io
import json

from .records_models import Record, RecordTemplate

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "pdf": ("application/pdf", "pdf"),
}
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def columns(template: RecordTemplate, records: list[Record]) -> list[dict]:
    """Every field of the versions these records use, in the current version's order first."""
    seen: dict[str, dict] = {f["name"]: f for f in template.current.fields}
    for record in records:
        for spec in record.version.fields:
            seen.setdefault(spec["name"], spec)
    return list(seen.values())


def shown(value) -> str:
    """A stored value as text: lists joined, yes/no in words, empty as nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def export(template: RecordTemplate, records: list[Record], fmt: str) -> bytes:
    cols = columns(template, records)
    if fmt == "json":
        rows = [
            {
                "id": r.pk,
                "version": r.version.number,
                "author": r.author.display_name,
                "recorded_on": r.recorded_on.isoformat(),
                "saved_at": _when(r),
                "values": {c["name"]: r.values.get(c["name"]) for c in cols},
            }
            for r in records
        ]
        return json.dumps(
            {"template": template.name, "slug": template.slug, "fields": cols, "records": rows},
            indent=2,
            ensure_ascii=False,
        ).encode()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["id", "version", "author", "recorded_on", "saved_at", *(c["name"] for c in cols)]
        )
        for r in records:
            writer.writerow(
                [
                    r.pk,
                    r.version.number,
                    r.author.display_name,
                    r.recorded_on.isoformat(),
                    _when(r),
                    *(_cell(r.values.get(c["name"])) for c in cols),
                ]
            )
        return out.getvalue().encode()
    if fmt == "pdf":
        return _pdf(template, records, cols)
    raise ValueError(f"Unknown export format {fmt}")


def _cell(value) -> str:
    text = shown(value)
    # A spreadsheet runs a cell starting with = + - @ as a formula: never ours.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _when(record: Record) -> str:
    return record.saved_at.isoformat(timespec="seconds") if record.saved_at else ""


def _pdf(template: RecordTemplate, records: list[Record], cols: list[dict]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.add_font("DejaVu", "B", FONT_BOLD)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 9, f"{template.name}: {len(records)} records", new_x="LMARGIN", new_y="NEXT")
    for record in records:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(
            0,
            8,
            f"#{record.pk} · {record.recorded_on:%d %B %Y} · "
            f"{record.author.display_name} (version {record.version.number})",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("DejaVu", "", 10)
        for col in cols:
            pdf.multi_cell(
                0,
                6,
                f"{col['label']}: {shown(record.values.get(col['name']))}",
                new_x="LMARGIN",
                new_y="NEXT",
            )
    return bytes(pdf.output())
