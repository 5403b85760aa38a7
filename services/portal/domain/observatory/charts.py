"""The observatory's charts as server-side SVG strings: bars, columns over time, a 100% share bar, the coverage map.

Each function returns one self-contained ``<svg>`` (see ``svg``): labelled by its own ``<title>`` and ``<desc>``,
scaled by its ``viewBox`` to the width of its container, deterministic (same input, same bytes) and, with nothing to
draw, a small SVG that says the description. The viewBoxes are narrow (400 units, the map 372) so that text stays
readable on a 360 px phone; the page caps the width on a wide screen (``.obs-chart { max-width: … }``). Each chart
sits beside a data table on its page: the table, not the picture, carries every figure exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal

from services.portal.domain.observatory import svg
from services.portal.domain.observatory.tile_map import tile_map

__all__ = ["bar_chart", "column_chart", "share_bar", "tile_map"]

Number = Decimal | int
WIDTH = 400
SIZE = 13
SMALL = 12  # the columns' values and labels
LINE = 16  # a wrapped label's line height
BAR_FILL = "#1f5f8b"  # 6.8:1 on white
GRID = "#d0d0d0"  # decorative: the numbers are in the labels and the table
# Share colours, each with white text at 4.5:1 or more; the parts are also numbered, so colour is not needed.
PALETTE = ("#1f5f8b", "#b34700", "#00796b", "#6a3d9a", "#8c510a", "#c2185b", "#455a64", "#2e7d32")
PLOT_HEIGHT = 160


def bar_chart(
    bars: Sequence[tuple[str, Number]], *, title: str, description: str, value_format: Callable[[Number], str],
    reference: Decimal | None = None, reference_label: str | None = None, id_prefix: str | None = None,
) -> str:  # fmt: skip
    """Horizontal bars, one per (label, value), labels on the left and the formatted value at the bar's end.

    ``reference`` draws a dashed vertical line (e.g. the reference cost) labelled above the bars with
    ``reference_label``, or with the formatted reference when no label is given. Negative values draw no bar.
    """
    prefix = svg.chart_id("bars", title, description, id_prefix)
    if not bars:
        return svg.empty("bars", title=title, description=description, width=WIDTH, prefix=prefix)
    shown = [value_format(value) for _, value in bars]
    value_room = max(svg.text_width(text, SIZE) for text in shown) + 6
    label_room = max(WIDTH * 0.25, min(WIDTH * 0.4, WIDTH - 2 * svg.MARGIN - 8 - value_room - 120))
    labels = [svg.wrap(label, label_room, SIZE) for label, _ in bars]
    left = svg.MARGIN + max(svg.text_width(line, SIZE) for lines in labels for line in lines) + 8
    bar_room = max(WIDTH - svg.MARGIN - value_room - left, 40)
    magnitudes = [max(float(value), 0.0) for _, value in bars]
    scale = max([*magnitudes, float(reference or 0)]) or 1.0
    top = svg.MARGIN + (24 if reference is not None else 0)
    body, values, y = [], [], top  # values on a white ground, last: the reference line never crosses them
    for (label, _), lines, text, magnitude in zip(bars, labels, shown, magnitudes, strict=True):
        height = max(26, len(lines) * LINE + 10)
        middle = y + height / 2
        length = max(bar_room * magnitude / scale, 1.0 if magnitude else 0.0)
        first = middle - (len(lines) - 1) * LINE / 2 + 4
        body.append(
            f'<g class="bar"><title>{svg.esc(f"{label}: {text}")}</title>'
            + "".join(
                svg.text(left - 8, first + i * LINE, line, size=SIZE, anchor="end") for i, line in enumerate(lines)
            )
            + f'<rect class="bar-fill" x="{svg.num(left)}" y="{svg.num(middle - 8)}" width="{svg.num(length)}"'
            f' height="16" fill="{BAR_FILL}"/></g>'
        )
        values.append(
            f'<g class="bar-value"><rect x="{svg.num(left + length + 2)}" y="{svg.num(middle - 9)}"'
            f' width="{svg.num(svg.text_width(text, SIZE) + 4)}" height="18" fill="{svg.WHITE}"/>'
            + svg.text(left + length + 4, middle + 4, text, size=SIZE)
            + "</g>"
        )
        y += height
    if reference is not None:
        at = left + bar_room * max(float(reference), 0.0) / scale
        body.append(_reference(at, top, y, reference_label or value_format(reference), value_format(reference)))
    body.extend(values)
    return svg.document(
        "bars", title=title, description=description, width=WIDTH, height=y + svg.MARGIN, body=body, prefix=prefix
    )


def _reference(x: float, top: float, bottom: float, label: str, value: str) -> str:
    label = svg.ellipsize(label, WIDTH - 2 * svg.MARGIN, SIZE)
    width = svg.text_width(label, SIZE)
    start = min(max(x - width / 2, svg.MARGIN), WIDTH - svg.MARGIN - width)
    hover = label if value in label else f"{label}: {value}"
    return (
        f'<g class="reference"><title>{svg.esc(hover)}</title>'
        f'<line x1="{svg.num(x)}" y1="{svg.num(top - 6)}" x2="{svg.num(x)}" y2="{svg.num(bottom)}"'
        f' stroke="{svg.INK}" stroke-width="1.5" stroke-dasharray="5 3"/>'
        + svg.text(start, top - 10, label, size=SIZE, extra=' font-weight="700"')
        + "</g>"
    )


def column_chart(
    points: Sequence[tuple[str, Number]], *, title: str, description: str, value_format: Callable[[Number], str],
    id_prefix: str | None = None,
) -> str:  # fmt: skip
    """Vertical columns in the given order (e.g. months), each value printed above its column when it fits.

    Values are written horizontally when they fit their column's width, else vertically; with too many columns
    for either, a value axis with gridlines replaces them. The labels below show every n-th point so they never
    overlap; each column's tooltip names its label and value.
    """
    prefix = svg.chart_id("columns", title, description, id_prefix)
    if not points:
        return svg.empty("columns", title=title, description=description, width=WIDTH, prefix=prefix)
    shown = [value_format(value) for _, value in points]
    magnitudes = [max(float(value), 0.0) for _, value in points]
    value_width = max(svg.text_width(text, SMALL) for text in shown)
    slot = (WIDTH - 2 * svg.MARGIN) / len(points)
    mode = "above" if value_width <= slot - 2 else "vertical" if slot >= SMALL + 5 else "axis"
    body, left, scale, top = [], float(svg.MARGIN), max(magnitudes) or 1.0, svg.MARGIN + 18.0
    if mode == "vertical":
        top = svg.MARGIN + value_width + 6
    elif mode == "axis":
        integers = all(isinstance(value, int) for _, value in points)
        top = svg.MARGIN + 6.0
        body, left, scale = _value_axis(_ticks(max(magnitudes), integers), value_format, top)
        slot = (WIDTH - svg.MARGIN - left) / len(points)
    base = top + PLOT_HEIGHT
    every = max(1, math.ceil((max(svg.text_width(label, SMALL) for label, _ in points) + 6) / slot))
    for index, ((label, _), text, magnitude) in enumerate(zip(points, shown, magnitudes, strict=True)):
        centre = left + (index + 0.5) * slot
        height = max(PLOT_HEIGHT * magnitude / scale, 1.0 if magnitude else 0.0)
        parts = [f"<title>{svg.esc(f'{label}: {text}')}</title>", _column(centre, base, min(slot * 0.7, 40), height)]
        if mode != "axis":
            parts.append(_column_value(centre, base - height - 4, text, vertical=mode == "vertical"))
        if index % every == 0:
            width = svg.text_width(label, SMALL)
            x = min(max(centre, svg.MARGIN + width / 2), WIDTH - svg.MARGIN - width / 2)
            parts.append(svg.text(x, base + 16, label, size=SMALL, anchor="middle", extra=' class="column-label"'))
        body.append(f'<g class="column">{"".join(parts)}</g>')
    body.append(f'<line class="baseline" x1="{svg.num(left)}" y1="{svg.num(base)}" x2="{WIDTH - svg.MARGIN}"'
                f' y2="{svg.num(base)}" stroke="{svg.INK}"/>')  # fmt: skip
    return svg.document(
        "columns", title=title, description=description, width=WIDTH, height=base + 22 + svg.MARGIN, body=body,
        prefix=prefix,
    )  # fmt: skip


def _column(centre: float, base: float, width: float, height: float) -> str:
    return (
        f'<rect class="column-fill" x="{svg.num(centre - width / 2)}" y="{svg.num(base - height)}"'
        f' width="{svg.num(width)}" height="{svg.num(height)}" fill="{BAR_FILL}"/>'
    )


def _column_value(centre: float, bottom: float, text: str, *, vertical: bool) -> str:
    """The value above its column, read upwards when it is wider than the column."""
    if not vertical:
        return svg.text(centre, bottom, text, size=SMALL, anchor="middle", extra=' class="column-value"')
    x, turn = centre + 4, f"{svg.num(centre + 4)} {svg.num(bottom)}"
    return svg.text(x, bottom, text, size=SMALL, extra=f' class="column-value" transform="rotate(-90 {turn})"')


def _value_axis(
    ticks: list[Number], value_format: Callable[[Number], str], top: float
) -> tuple[list[str], float, float]:
    """Gridlines with their formatted values on the left; the plot's left edge and the value at its top."""
    texts = [value_format(tick) for tick in ticks]
    left = svg.MARGIN + max(svg.text_width(text, SMALL) for text in texts) + 6
    body = []
    for tick, text in zip(ticks, texts, strict=True):
        y = top + PLOT_HEIGHT * (1 - float(tick) / float(ticks[-1]))
        body.append(
            f'<g class="axis-tick"><line x1="{svg.num(left)}" y1="{svg.num(y)}" x2="{WIDTH - svg.MARGIN}"'
            f' y2="{svg.num(y)}" stroke="{GRID}"/>' + svg.text(left - 4, y + 4, text, size=SMALL, anchor="end")
            + "</g>"
        )  # fmt: skip
    return body, left, float(ticks[-1])


def _ticks(highest: float, integers: bool) -> list[Number]:
    """0 and about four round steps (1, 2, 2.5 or 5 times a power of ten; whole for counts) up to ``highest``."""
    if highest <= 0:
        return [0, 1]
    top = Decimal(repr(highest))
    power = Decimal(10) ** math.floor(math.log10(highest / 4))
    multiples = (1, 2, 5, 10) if integers else (1, 2, Decimal("2.5"), 5, 10)
    step = next(m * power for m in multiples if m * power >= top / 4)
    if integers:
        step = max(step, Decimal(1))
    ticks = [step * count for count in range(math.ceil(top / step) + 1)]
    if integers:
        return [int(tick) for tick in ticks]
    return [tick.normalize() if tick != tick.to_integral_value() else tick.quantize(Decimal(1)) for tick in ticks]


def share_bar(
    parts: Sequence[tuple[str, int]], *, title: str, description: str, id_prefix: str | None = None,
    count_format: Callable[[int], str] = str,
) -> str:  # fmt: skip
    """One bar split by the parts' shares of their total, numbered 1, 2, … as in the legend below it.

    The legend lists every part (zero included) with its count and its percentage; the percentages add up to 100
    (largest remainder), a part under 1% shows "<1%".
    """
    prefix = svg.chart_id("share", title, description, id_prefix)
    counts = [max(int(count), 0) for _, count in parts]
    total = sum(counts)
    if not total:
        return svg.empty("share", title=title, description=description, width=WIDTH, prefix=prefix)
    percents = _percentages(counts)
    shares = [f"{count_format(c)} ({'<1' if c and not p else p}%)" for c, p in zip(counts, percents, strict=True)]
    span, body, done, y = WIDTH - 2 * svg.MARGIN, [], 0, svg.MARGIN + 36 + 14.0
    for index, ((label, _), count, share) in enumerate(zip(parts, counts, shares, strict=True)):
        fill, number = PALETTE[index % len(PALETTE)], str(index + 1)
        hover = f"<title>{svg.esc(f'{number}. {label}: {share}')}</title>"
        if count:
            x, width = svg.MARGIN + span * done / total, span * count / total
            mark = number if svg.text_width(number, SIZE, bold=True) + 4 <= width else ""
            body.append(
                f'<g class="share-segment part-{number}">{hover}<rect x="{svg.num(x)}" y="{svg.MARGIN}"'
                f' width="{svg.num(width)}" height="36" fill="{fill}" stroke="#ffffff" stroke-width="1.5"/>'
                + (svg.text(x + width / 2, svg.MARGIN + 22, mark, size=SIZE, anchor="middle", fill=svg.WHITE,
                            extra=' font-weight="700"') if mark else "")
                + "</g>"
            )  # fmt: skip
            done += count
        lines = svg.wrap(f"{label}: {share}", span - 28, SIZE)
        body.append(
            f'<g class="legend-entry part-{number}">{hover}<rect x="{svg.MARGIN}" y="{svg.num(y)}" width="20"'
            f' height="20" rx="3" fill="{fill}"/>'
            + svg.text(svg.MARGIN + 10, y + 14.5, number, size=SIZE - 1, anchor="middle", fill=svg.WHITE,
                       extra=' font-weight="700"')
            + "".join(svg.text(svg.MARGIN + 28, y + 14.5 + i * LINE, line, size=SIZE) for i, line in enumerate(lines))
            + "</g>"
        )  # fmt: skip
        y += max(26, len(lines) * LINE + 11)
    return svg.document(
        "share", title=title, description=description, width=WIDTH, height=y + svg.MARGIN - 4, body=body, prefix=prefix
    )


def _percentages(counts: list[int]) -> list[int]:
    """Whole percentages adding up to 100: floors, then one more to the largest remainders (the earlier on a tie)."""
    total = sum(counts)
    floors = [count * 100 // total for count in counts]
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(counts[i] * 100 % total), i))
    for index in by_remainder[: 100 - sum(floors)]:
        floors[index] += 1
    return floors
