"""The coverage map: Moldova's 35 districts as a schematic grid of equal tiles, each coloured and marked by status.

No district boundaries are shipped (none we found under an open licence that we could vendor and keep current),
so the map is schematic: one tile per district of ``services.common.reference_data.DISTRICTS``, placed by the
latitude and longitude of its centre and nudged so that neighbours stay neighbours. North is at the top: Briceni
and Ocnița in the first row, Chișinău in the centre, Cahul and Taraclia at the bottom. Colour never carries the
status alone: each tile has a short mark (a tick, 90, 60, 30, a dash) that the legend repeats.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from services.portal.domain.observatory import svg

# district code -> (row, column) in a grid 11 rows high and 6 columns wide; schematic, not to scale.
TILE_LAYOUT: dict[str, tuple[int, int]] = {
    "MD-BR": (0, 0), "MD-OC": (0, 1),
    "MD-ED": (1, 0), "MD-DO": (1, 1), "MD-SO": (1, 2),
    "MD-RI": (2, 0), "MD-DR": (2, 1), "MD-FL": (2, 2),
    "MD-GL": (3, 0), "MD-BA": (3, 1), "MD-SI": (3, 2), "MD-SD": (3, 3),
    "MD-FA": (4, 1), "MD-TE": (4, 2), "MD-RE": (4, 3),
    "MD-UN": (5, 1), "MD-CL": (5, 2), "MD-OR": (5, 3), "MD-DU": (5, 4),
    "MD-NI": (6, 1), "MD-ST": (6, 2), "MD-CU": (6, 3), "MD-CR": (6, 4),
    "MD-HI": (7, 2), "MD-IA": (7, 3), "MD-AN": (7, 4),
    "MD-LE": (8, 2), "MD-CM": (8, 3), "MD-CS": (8, 4), "MD-SV": (8, 5),
    "MD-CT": (9, 2), "MD-GA": (9, 3), "MD-BS": (9, 4),
    "MD-CA": (10, 2), "MD-TA": (10, 3),
}  # fmt: skip
ROWS, COLUMNS = 11, 6
# The grid's top right (rows 0-2, columns 3-5) holds no district: the legend goes there when it fits.
LEGEND_CORNER = (0, 3)
LEGEND_ROWS = 3


@dataclass(frozen=True)
class StatusStyle:
    fill: str  # at least 3:1 against white (WCAG 1.4.11)
    ink: str  # text on the fill, at least 4.5:1
    mark: str  # says the status without colour


STATUSES: dict[str, StatusStyle] = {
    "active": StatusStyle("#00695c", svg.WHITE, "✓"),
    "at_risk_90": StatusStyle("#d97706", svg.INK, "90"),
    "at_risk_60": StatusStyle("#c2410c", svg.WHITE, "60"),
    "at_risk_30": StatusStyle("#9f1239", svg.WHITE, "30"),
    "none": StatusStyle("#6b7280", svg.WHITE, "\u2014"),  # an em dash: "nothing"
}
TILE, GAP = 56, 4
PITCH = TILE + GAP
WIDTH = 2 * svg.MARGIN + COLUMNS * PITCH - GAP
GRID_HEIGHT = 2 * svg.MARGIN + ROWS * PITCH - GAP
LEGEND_SIZE = 13
SWATCH = 22


def tile_map(
    cells: Mapping[str, str], *, title: str, description: str, names: Mapping[str, str],
    status_labels: Mapping[str, str], links: Mapping[str, str] | None = None, id_prefix: str | None = None,
) -> str:  # fmt: skip
    """The districts' tiles and a legend of every status.

    ``cells``: district code -> status (a key of ``STATUSES``); a district it leaves out is drawn as an outline
    without status, a code outside ``TILE_LAYOUT`` is not drawn (the table beside the map lists it). ``links``:
    district code -> a URL on this site (relative); the tile becomes a link, and the SVG a ``group`` rather than an
    ``img`` (whose children are hidden from assistive technology).
    """
    prefix = svg.chart_id("map", title, description, id_prefix)
    placed = {code: status for code, status in cells.items() if code in TILE_LAYOUT}
    if not placed:
        return svg.empty("map", title=title, description=description, width=WIDTH, prefix=prefix)
    unknown = sorted(set(placed.values()) - STATUSES.keys())
    if unknown:
        raise ValueError(f"unknown coverage status {unknown!r}; expected one of {list(STATUSES)}")
    links = links or {}
    for url in links.values():
        _check_local(url)
    abbreviations = abbreviate({code: names.get(code) or code.removeprefix("MD-") for code in TILE_LAYOUT})
    tiles = [
        _tile(code, placed.get(code), names.get(code) or code, abbreviations[code], status_labels, links.get(code))
        for code in sorted(TILE_LAYOUT, key=TILE_LAYOUT.__getitem__)
    ]
    legend, height = _legend(status_labels)
    return svg.document(
        "map", title=title, description=description, width=WIDTH, height=height, body=[*tiles, *legend],
        prefix=prefix, role="group" if links else "img",
    )  # fmt: skip


def abbreviate(names: Mapping[str, str]) -> dict[str, str]:
    """Each name's first three letters, or as many more as it takes to tell it from every other name's."""
    letters = {code: "".join(char for char in name if char.isalpha()) or name for code, name in names.items()}
    found: dict[str, str] = {}
    for code, word in letters.items():
        others = [other for key, other in letters.items() if key != code]
        length = 3
        while length < len(word) and any(other[:length].lower() == word[:length].lower() for other in others):
            length += 1
        found[code] = word[:1].upper() + word[1:length]
    return found


def _tile(code: str, status: str | None, name: str, short: str, labels: Mapping[str, str], url: str | None) -> str:
    row, column = TILE_LAYOUT[code]
    x, y = svg.MARGIN + column * PITCH, svg.MARGIN + row * PITCH
    style = STATUSES[status] if status else StatusStyle(svg.WHITE, svg.INK, "")
    stroke = ' stroke="#6b7280" stroke-width="1.5" stroke-dasharray="4 3"' if status is None else ""
    size = min(15.0, (TILE - 8) / max(svg.text_width(short, 1, bold=True), 0.1))
    hover = f"{name}: {labels.get(status, status)}" if status else name
    parts = [
        f"<title>{svg.esc(hover)}</title>",
        f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4" fill="{style.fill}"{stroke}/>',
        svg.text(x + TILE / 2, y + 25, short, size=size, anchor="middle", fill=style.ink, extra=' font-weight="700"'),
    ]
    if style.mark:
        parts.append(svg.text(x + TILE / 2, y + 45, style.mark, size=14, anchor="middle", fill=style.ink))
    classes = f"tile status-{status or 'unknown'}"
    if url is None:
        return f'<g class="{classes}" data-district="{svg.esc(code)}">{"".join(parts)}</g>'
    return f'<a class="{classes} tile-link" data-district="{svg.esc(code)}" href="{svg.esc(url)}">{"".join(parts)}</a>'


def _legend(labels: Mapping[str, str]) -> tuple[list[str], float]:
    """The legend's elements and the map's height: in the empty top right corner if it fits, else below."""
    row, column = LEGEND_CORNER
    corner = (svg.MARGIN + column * PITCH, svg.MARGIN + row * PITCH, WIDTH - svg.MARGIN, LEGEND_ROWS * PITCH - GAP)
    below = (svg.MARGIN, GRID_HEIGHT + 8, WIDTH - svg.MARGIN, None)
    for left, top, right, room in (corner, below):
        entries, used = _legend_entries(labels, left, top, right - left - SWATCH - 6)
        if room is None or used <= room:
            return entries, GRID_HEIGHT if room else top + used + svg.MARGIN
    raise AssertionError("unreachable: the legend below the map always fits")


def _legend_entries(labels: Mapping[str, str], left: float, top: float, text_room: float) -> tuple[list[str], float]:
    entries, y = [], top
    for status, style in STATUSES.items():
        lines = svg.wrap(labels.get(status, status), text_room, LEGEND_SIZE, max_lines=2)
        height = max(SWATCH + 6, len(lines) * 15 + 8)
        swatch_y = y + (height - 6 - SWATCH) / 2
        label_y = y + (height - 6 - len(lines) * 15) / 2 + 11
        entries.append(
            f'<g class="legend-entry status-{status}">'
            f'<rect x="{svg.num(left)}" y="{svg.num(swatch_y)}" width="{SWATCH}" height="{SWATCH}" rx="3"'
            f' fill="{style.fill}"/>'
            + svg.text(left + SWATCH / 2, swatch_y + 15, style.mark, size=11, anchor="middle", fill=style.ink)
            + "".join(
                svg.text(left + SWATCH + 6, label_y + index * 15, line, size=LEGEND_SIZE)
                for index, line in enumerate(lines)
            )
            + "</g>"
        )
        y += height
    return entries, y - top


def _check_local(url: str) -> None:
    """A tile's link stays on this site: the map must not point to another origin (issue 20)."""
    normal = url.strip().replace("\\", "/")  # browsers read a backslash as a slash: "/\\host" is "//host"
    if normal.startswith("//") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", normal):
        raise ValueError(f"a tile links within the site, not to {url!r}")
