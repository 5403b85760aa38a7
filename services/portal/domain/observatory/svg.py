"""Building blocks of the observatory's server-side SVG: escaping, a text-width estimate, word wrap, the shell.

Issue 20 wants charts without any outside resource, so each chart is one self-contained ``<svg>``: no font, image,
script or link to another origin. Colours are presentation attributes (``fill="…"``), never a ``style`` attribute
or element, which the portal's Content-Security-Policy (``style-src 'self'``) would block; presentation attributes
also lose to any page CSS, so the page can restyle a chart through its classes. There are no font metrics on the
server, so text widths are estimated on the generous side (DejaVu Sans, Debian's default, is a wide face).
"""

from __future__ import annotations

import hashlib
import html
import re

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
INK = "#1a1a1a"  # 17:1 on white
WHITE = "#ffffff"
MARGIN = 8
# Characters XML 1.0 does not allow even escaped: dropped, so that odd input still gives well-formed XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NARROW = frozenset("fijlrtI.,:;'!|()[]{}/ ")
_WIDE = frozenset("mwMW@%шщжыюмфШЩЖЫЮФ\u041c")  # \u041c: Cyrillic capital Em


def esc(text: object) -> str:
    """The text as XML character data or an attribute value (quotes escaped too)."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def num(value: float) -> str:
    """A coordinate with one decimal at most: the same input always gives the same bytes."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """An estimate of the text's width in user units, a little wider than most sans-serif faces draw it."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.34
        elif char in _WIDE:
            ems += 0.9
        elif char.isupper():
            ems += 0.7
        else:
            ems += 0.6
    return ems * size * (1.08 if bold else 1.0)


def ellipsize(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """The text, cut with an ellipsis where it would be wider than ``width``."""
    if text_width(text, size, bold=bold) <= width:
        return text
    while text and text_width(text + "…", size, bold=bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text: str, width: float, size: float, *, max_lines: int = 2, bold: bool = False) -> list[str]:
    """The text broken between words into lines no wider than ``width``; the last line ellipsized if it overflows."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold=bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [ellipsize(line, width, size, bold=bold) for line in lines] or [""]


def text(
    x: float, y: float, content: str, *, size: float, anchor: str = "start", fill: str = INK, extra: str = ""
) -> str:
    """One ``<text>`` element; ``extra`` holds further attributes, already escaped."""
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    position = f'x="{num(x)}" y="{num(y)}" font-size="{num(size)}" fill="{fill}"'
    return f"<text {position}{anchor_attr}{extra}>{esc(content)}</text>"


def chart_id(kind: str, title: str, description: str, id_prefix: str | None) -> str:
    """The prefix of the chart's element ids: the caller's, made a valid XML id, or one derived from its text."""
    if id_prefix:
        cleaned = re.sub(r"[^A-Za-z0-9_.-]", "-", id_prefix)
        return cleaned if cleaned[0].isalpha() else f"c-{cleaned}"
    digest = hashlib.sha256(f"{kind}\n{title}\n{description}".encode()).hexdigest()[:10]
    return f"obs-{kind}-{digest}"


def document(
    kind: str, *, title: str, description: str, width: float, height: float, body: list[str], prefix: str,
    role: str = "img", modifier: str = "",
) -> str:  # fmt: skip
    """The ``<svg>``: labelled by its own ``<title>`` and ``<desc>``, scaled to its container's width."""
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="obs-chart obs-chart--{kind}{modifier}" role="{role}"'
            f' aria-labelledby="{prefix}-title {prefix}-desc" viewBox="0 0 {num(width)} {num(height)}" width="100%"'
            f' font-family="{esc(FONT_FAMILY)}" fill="{INK}">',
            f'<title id="{prefix}-title">{esc(title)}</title>',
            f'<desc id="{prefix}-desc">{esc(description)}</desc>',
            *body,
            "</svg>",
        ]
    )


def empty(kind: str, *, title: str, description: str, width: float, prefix: str) -> str:
    """A small SVG that says the description, for a chart with nothing to draw."""
    size = 14
    lines = wrap(description, width - 2 * MARGIN, size, max_lines=6)
    body = [text(MARGIN, MARGIN + size + index * 20, line, size=size) for index, line in enumerate(lines)]
    height = 2 * MARGIN + size + (len(lines) - 1) * 20 + 4
    return document(
        kind, title=title, description=description, width=width, height=height, body=body, prefix=prefix,
        modifier=" obs-chart--empty",
    )  # fmt: skip
