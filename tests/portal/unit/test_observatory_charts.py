"""The observatory's server-side SVG: well-formed, labelled, self-contained, escaped, deterministic, and a coverage
map with one tile per district of the reference data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from services.common.reference_data import DISTRICTS
from services.portal.domain.observatory.charts import (
    BAR_FILL,
    PALETTE,
    bar_chart,
    column_chart,
    share_bar,
    tile_map,
)
from services.portal.domain.observatory.tile_map import COLUMNS, ROWS, STATUSES, TILE_LAYOUT, abbreviate

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG_NAMESPACE = 'xmlns="http://www.w3.org/2000/svg"'
LABELS = {
    "active": "Active contract",
    "at_risk_90": "At risk within 90 days",
    "at_risk_60": "At risk within 60 days",
    "at_risk_30": "At risk within 30 days",
    "none": "No contract",
}
NAMES = {district.code: district.en for district in DISTRICTS}
ALL_STATUSES = list(STATUSES)


def lei(value) -> str:
    return f"{value:,} MDL"


def a_map(**overrides) -> str:
    cells = {district.code: ALL_STATUSES[i % 5] for i, district in enumerate(DISTRICTS)}
    arguments = {"title": "Home care", "description": "Coverage of home care", "names": NAMES, "status_labels": LABELS}
    return tile_map(overrides.pop("cells", cells), **(arguments | overrides))


def every_chart(label: str = "Chișinău") -> dict[str, str]:
    return {
        "map": a_map(names=NAMES | {"MD-CU": label}),
        "bars": bar_chart(
            [(label, Decimal("1200.50")), ("Bălți", 800)], title="Price per place", description="Per district",
            value_format=lei, reference=Decimal(1000), reference_label="Reference cost",
        ),
        "columns": column_chart(
            [(label, 3), ("2027-02", 5)], title="Calls per month", description="Calls", value_format=str
        ),
        "share": share_bar([(label, 3), ("Two bids", 1)], title="Bids per call", description="Share of calls"),
    }  # fmt: skip


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def tiles(svg: str) -> dict[str, ET.Element]:
    root = parse(svg)
    return {tile.get("data-district"): tile for tile in root.iter() if "tile" in (tile.get("class") or "").split()}


@pytest.mark.parametrize("kind", ["map", "bars", "columns", "share"])
def test_each_chart_is_well_formed_svg_labelled_by_its_own_title_and_description(kind):
    root = parse(every_chart()[kind])
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find("svg:title", NS).get("id") == title_id
    assert root.find("svg:desc", NS).get("id") == desc_id
    assert root.find("svg:title", NS).text and root.find("svg:desc", NS).text
    assert root.get("viewBox").startswith("0 0 ") and root.get("width") == "100%"


@pytest.mark.parametrize("kind", ["map", "bars", "columns", "share"])
def test_a_chart_references_nothing_outside_itself_and_needs_no_inline_style(kind):
    svg = every_chart()[kind]
    assert "http" not in svg.replace(SVG_NAMESPACE, "")
    for forbidden in ("<script", "<image", "<style", "style=", "xlink", "@import", "url(", "<foreignObject"):
        assert forbidden not in svg


@pytest.mark.parametrize("kind", ["map", "bars", "columns", "share"])
def test_a_name_with_markup_is_escaped_and_read_back_as_written(kind):
    svg = every_chart('<b>&"Ion\'s"')[kind]
    assert "<b>" not in svg
    texts = [element.text or "" for element in parse(svg).iter()]
    assert any('<b>&"Ion\'s"' in text for text in texts)


def test_the_same_input_gives_the_same_bytes_and_different_charts_get_different_ids():
    assert every_chart() == every_chart()
    ids = [parse(svg).get("aria-labelledby") for svg in every_chart().values()]
    assert len(set(ids)) == len(ids)
    own = bar_chart([("a", 1)], title="t", description="d", value_format=str, id_prefix="spending 2027")
    assert parse(own).get("aria-labelledby") == "spending-2027-title spending-2027-desc"


@pytest.mark.parametrize(
    "empty",
    [
        lambda: tile_map({}, title="Map", description="Nothing to map yet.", names=NAMES, status_labels=LABELS),
        lambda: bar_chart([], title="Bars", description="Nothing to map yet.", value_format=str),
        lambda: column_chart([], title="Columns", description="Nothing to map yet.", value_format=str),
        lambda: share_bar([], title="Share", description="Nothing to map yet."),
        lambda: share_bar([("Single bid", 0)], title="Share", description="Nothing to map yet."),
    ],
)
def test_with_no_data_a_chart_is_a_small_svg_saying_its_description(empty):
    root = parse(empty())
    assert [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")] == ["Nothing to map yet."]
    assert "obs-chart--empty" in root.get("class")


def test_every_district_has_its_own_tile_inside_a_tall_narrow_grid():
    assert set(TILE_LAYOUT) == {district.code for district in DISTRICTS}
    assert len(set(TILE_LAYOUT.values())) == len(TILE_LAYOUT) == 35
    assert all(0 <= row < ROWS and 0 <= column < COLUMNS for row, column in TILE_LAYOUT.values())
    assert 5 <= COLUMNS <= 6 and 11 <= ROWS <= 13


def test_the_layout_keeps_north_at_the_top_and_chisinau_in_the_middle():
    row = {code: place[0] for code, place in TILE_LAYOUT.items()}
    assert max(row[c] for c in ("MD-BR", "MD-OC", "MD-ED", "MD-DO", "MD-SO")) < row["MD-CU"]
    assert row["MD-CU"] < min(row[c] for c in ("MD-CA", "MD-TA", "MD-GA"))
    assert abs(row["MD-CU"] - (ROWS - 1) / 2) <= 1


def test_each_tile_shows_an_abbreviation_and_a_status_mark_and_names_district_and_status_on_hover():
    drawn = tiles(a_map(cells={"MD-BR": "active", "MD-CU": "at_risk_30", "MD-CA": "none"}))
    assert set(drawn) == set(TILE_LAYOUT)
    briceni = drawn["MD-BR"]
    assert briceni.find("svg:title", NS).text == "Briceni: Active contract"
    assert [t.text for t in briceni.iter("{http://www.w3.org/2000/svg}text")] == ["Bri", "✓"]
    assert [t.text for t in drawn["MD-CU"].iter("{http://www.w3.org/2000/svg}text")] == ["Chi", "30"]
    assert "status-at_risk_30" in drawn["MD-CU"].get("class")
    assert drawn["MD-CU"].find("svg:rect", NS).get("fill") == STATUSES["at_risk_30"].fill


def test_a_district_left_out_of_the_cells_is_an_outline_without_a_status():
    orhei = tiles(a_map(cells={"MD-BR": "active"}))["MD-OR"]
    assert orhei.find("svg:title", NS).text == "Orhei"
    assert orhei.find("svg:rect", NS).get("stroke-dasharray")
    assert "status-unknown" in orhei.get("class")


def test_the_legend_lists_every_status_with_its_mark():
    root = parse(a_map(cells={"MD-BR": "active"}))
    entries = [g for g in root.iter() if "legend-entry" in (g.get("class") or "")]
    texts = [[t.text for t in g.iter("{http://www.w3.org/2000/svg}text")] for g in entries]
    assert texts == [[STATUSES[status].mark, LABELS[status]] for status in STATUSES]


def test_a_long_legend_moves_below_the_map_instead_of_overlapping_tiles():
    short = parse(a_map()).get("viewBox").split()
    long_labels = {status: f"{label} and a good many more words to read" for status, label in LABELS.items()}
    long = parse(a_map(status_labels=long_labels)).get("viewBox").split()
    assert float(long[3]) > float(short[3])


@pytest.mark.parametrize("language", ["ro", "ru", "en"])
def test_abbreviations_tell_every_district_apart_in_each_language(language):
    short = abbreviate({district.code: getattr(district, language) for district in DISTRICTS})
    assert len(set(short.values())) == 35
    assert all(3 <= len(abbreviation) <= 4 for abbreviation in short.values())


def test_abbreviations_grow_until_two_names_differ():
    assert abbreviate({"a": "Cantemir", "b": "Cantea", "c": "Ocnița"}) == {"a": "Cantem", "b": "Cantea", "c": "Ocn"}


def test_linked_tiles_are_links_and_the_map_becomes_a_group_so_they_stay_reachable():
    svg = a_map(links={"MD-CU": "/observatory/coverage?district=MD-CU&year=2027"})
    root = parse(svg)
    assert root.get("role") == "group"
    assert tiles(svg)["MD-CU"].tag == "{http://www.w3.org/2000/svg}a"
    assert tiles(svg)["MD-CU"].get("href") == "/observatory/coverage?district=MD-CU&year=2027"
    assert tiles(svg)["MD-BR"].tag == "{http://www.w3.org/2000/svg}g"


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_a_tile_never_links_to_another_origin_or_a_script(url):
    with pytest.raises(ValueError):
        a_map(links={"MD-CU": url})


def test_an_unknown_status_is_refused_rather_than_drawn_as_something_else():
    with pytest.raises(ValueError, match="at_risk"):
        a_map(cells={"MD-CU": "at_risk"})


def contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_stand_out_from_white_and_text_on_them_is_readable():
    for style in STATUSES.values():
        assert contrast(style.fill, "#ffffff") >= 3
        assert contrast(style.ink, style.fill) >= 4.5
    for colour in (*PALETTE, BAR_FILL):
        assert contrast(colour, "#ffffff") >= 4.5


def bar_widths(svg: str) -> list[float]:
    return [float(r.get("width")) for r in parse(svg).iter("{http://www.w3.org/2000/svg}rect") if r.get("class")]


def test_bars_are_proportional_and_end_with_their_formatted_value():
    svg = bar_chart([("Cahul", 500), ("Soroca", 1000), ("Orhei", -5)], title="t", description="d", value_format=lei)
    first, second, negative = bar_widths(svg)
    assert second == pytest.approx(2 * first, abs=0.2) and negative == 0
    texts = [t.text for t in parse(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["Cahul", "Soroca", "Orhei", "500 MDL", "1,000 MDL", "-5 MDL"]


def test_the_reference_line_sits_at_its_value_on_the_bars_scale_with_its_label():
    svg = bar_chart(
        [("Cahul", 500), ("Soroca", 1000)], title="t", description="d", value_format=lei,
        reference=Decimal(2000), reference_label="Reference cost 2,000 MDL",
    )  # fmt: skip
    root = parse(svg)
    (reference,) = [g for g in root.iter() if g.get("class") == "reference"]
    line = reference.find("svg:line", NS)
    start = float(next(r.get("x") for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("class")))
    assert float(line.get("x1")) - start == pytest.approx(2 * bar_widths(svg)[1], abs=0.2)
    assert line.get("stroke-dasharray")
    assert reference.find("svg:text", NS).text == "Reference cost 2,000 MDL"


def test_a_long_label_wraps_onto_two_lines_and_is_cut_with_an_ellipsis_beyond():
    label = "Casă de copii de tip familial pentru copiii rămași fără ocrotire părintească în raionul Ștefan Vodă"
    svg = bar_chart([(label, 3)], title="t", description="d", value_format=str)
    (bar,) = [g for g in parse(svg).iter() if g.get("class") == "bar"]
    lines = [t.text for t in bar.iter("{http://www.w3.org/2000/svg}text")]
    assert len(lines) == 2 and lines[1].endswith("…")
    assert bar.find("svg:title", NS).text == f"{label}: 3"


def test_columns_carry_their_values_and_many_months_switch_to_an_axis_and_fewer_labels():
    few = parse(column_chart([("2026", 10), ("2027", 20)], title="t", description="d", value_format=str))
    assert [t.text for t in few.iter("{http://www.w3.org/2000/svg}text")] == ["10", "2026", "20", "2027"]
    months = [(f"{year}-{month:02d}", 1000 * month) for year in (2025, 2026, 2027) for month in range(1, 13)]
    many = parse(column_chart(months, title="t", description="d", value_format=lambda v: f"{v:,} MDL"))
    ticks = [
        t.text for g in many.iter() if g.get("class") == "axis-tick" for t in g.iter("{http://www.w3.org/2000/svg}text")
    ]
    assert ticks[0] == "0 MDL" and ticks[-1] in ("12,000 MDL", "15,000 MDL")
    shown = [t.text for t in many.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "column-label"]
    assert shown[0] == "2025-01" and 3 <= len(shown) < 36
    assert len(list(many.iter("{http://www.w3.org/2000/svg}title"))) == 1 + 36  # every column keeps its tooltip


def test_share_parts_are_numbered_as_in_the_legend_and_percentages_add_up_to_a_hundred():
    svg = share_bar([("one bid", 1), ("two bids", 1), ("three bids", 1), ("none", 0)], title="t", description="d")
    legend = [
        " ".join(t.text for t in g.iter("{http://www.w3.org/2000/svg}text"))
        for g in parse(svg).iter()
        if "legend-entry" in (g.get("class") or "")
    ]
    assert legend == ["1 one bid: 1 (34%)", "2 two bids: 1 (33%)", "3 three bids: 1 (33%)", "4 none: 0 (0%)"]
    segments = [g for g in parse(svg).iter() if "share-segment" in (g.get("class") or "")]
    assert [s.find("svg:text", NS).text for s in segments] == ["1", "2", "3"]


def test_a_tiny_share_shows_as_under_one_percent_not_zero():
    svg = share_bar([("many", 999), ("rare", 1)], title="t", description="d", count_format=lambda n: f"{n:,}")
    assert "rare: 1 (&lt;1%)" in svg and "many: 999 (100%)" in svg


def test_an_axis_of_counts_has_whole_steps_only():
    calls = [(f"week {week}", week % 3) for week in range(1, 53)]
    axis = parse(column_chart(calls, title="t", description="d", value_format=str))
    ticks = [t.text for g in axis.iter() if g.get("class") == "axis-tick" for t in g.iter(f"{{{NS['svg']}}}text")]
    assert ticks == ["0", "1", "2"]
