"""The observatory benchmark's own correctness on a small history: the feed stand-in pages like contracting,
the split releases compile back to what the history holds, and the feed adapter computes the same indicators
as reading the compiled releases directly (the benchmark itself: ``python -m bench --only observatory``)."""

from __future__ import annotations

from bench.observatory import FeedStandIn, run_in_process, split
from bench.observatory_data import national_history
from services.portal.adapters.observatory_feed import ObservatoryFeed, compile_releases
from services.portal.domain.observatory import report


def test_a_process_split_into_its_releases_compiles_back_to_the_same_call():
    for compiled in national_history(40):
        again = compile_releases(split(compiled))
        assert again["tender"]["status"] == compiled["tender"]["status"]
        assert again.get("awards", []) == compiled["awards"]
        assert again.get("contracts", []) == compiled["contracts"]
        assert again["tender"]["numberOfTenderers"] == compiled["tender"]["numberOfTenderers"]


def test_the_adapter_following_the_stand_in_feed_gets_the_indicators_of_the_compiled_releases():
    history = national_history(300)
    releases = sorted((r for compiled in history for r in split(compiled)), key=lambda r: r["date"])
    feed = ObservatoryFeed(lambda: FeedStandIn(releases), refresh_seconds=0)
    snapshot, found = feed.indicators(report.Filters())
    direct = report.indicators(history, snapshot.as_of, snapshot.references)
    assert report.plain(found) == report.plain(direct)
    assert snapshot.releases == len(releases)


def test_every_figure_is_printed_with_its_unit():
    figures = run_in_process(200, reps=1)
    views = ("overview", "coverage", "spending", "competition", "providers", "red-flags")
    assert [f.name for f in figures] == [
        *(f"observatory.page_ms.{view}" for view in views),
        "observatory.render_ms",
        "observatory.first_read_s",
        "observatory.compute_s",
        "observatory.refresh_ms",
        "observatory.memory_mb",
    ]
    pages = [f for f in figures if f.name.startswith("observatory.page_ms")]
    assert all(f.baseline and f.ratio for f in pages)  # each page against the hello-world page
    assert all(f.value > 0 and f.ok for f in figures)
