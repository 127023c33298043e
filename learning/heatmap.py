"""The team's skill matrix as a server-rendered SVG heat map (no script, no inline style)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import level_name
from .selectors import MatrixRow

CELL, GAP = 44, 4
LEFT, TOP = 150, 120
# Level 0..4 from light to dark; readable in light and dark themes alike.
SHADES = ["#e8eef9", "#b7c9ee", "#7fa0e0", "#4672cc", "#2250a8"]
TEXT = ["#1d1f23", "#1d1f23", "#1d1f23", "#ffffff", "#ffffff"]
UNRATED = "#d9dbe0"
BELOW = "#b3261e"


def _cell(x: int, y: int, cell, member: str) -> str:
    level = cell.level
    fill = UNRATED if level is None else SHADES[level]
    label = "?" if level is None else str(level)
    who = {"manager": "rated by a manager", "self": "self-rated"}.get(cell.rated_by, "not rated")
    title = (f"{member} · {cell.skill.name}: {level_name(level)} ({who}); target "
             f"{level_name(cell.target)}" + (f", gap {cell.gap}" if cell.gap else ""))
    stroke = f' stroke="{BELOW}" stroke-width="3"' if cell.gap else ""
    colour = TEXT[level] if level is not None else "#1d1f23"
    return (f'<g><title>{escape(title)}</title>'
            f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="4" fill="{fill}"{stroke}/>'
            f'<text x="{x + CELL // 2}" y="{y + CELL // 2 + 5}" text-anchor="middle" '
            f'font-size="14" fill="{colour}">{label}</text></g>')


def heatmap_svg(rows: list[MatrixRow]) -> SafeString:
    """Members down, skills across; shade = level, red outline = below the target."""
    skills = rows[0].cells if rows else []
    width = LEFT + len(skills) * (CELL + GAP) + 10
    height = TOP + len(rows) * (CELL + GAP) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-labelledby="heatmap-title"><title id="heatmap-title">Skill levels of '
             f'{len(rows)} members in {len(skills)} skills</title>']
    for j, cell in enumerate(skills):
        x = LEFT + j * (CELL + GAP) + CELL // 2
        parts.append(f'<text x="{x}" y="{TOP - 8}" font-size="12" fill="currentColor" '
                     f'transform="rotate(-45 {x} {TOP - 8})">{escape(cell.skill.name)}</text>')
    for i, row in enumerate(rows):
        y = TOP + i * (CELL + GAP)
        name = row.member.display_name
        parts.append(f'<text x="{LEFT - 8}" y="{y + CELL // 2 + 5}" text-anchor="end" '
                     f'font-size="13" fill="currentColor">{escape(name[:22])}</text>')
        parts += [_cell(LEFT + j * (CELL + GAP), y, cell, name) for j, cell in enumerate(row.cells)]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
