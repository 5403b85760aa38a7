"""The observatory's feed adapter: it follows contracting's release pages from where it stopped, compiles again
only the processes that changed, computes the indicators again only when the data moved, and keeps serving the
last good data (marked stale) when contracting cannot be read."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.portal.adapters import observatory_feed
from services.portal.adapters.api_client import ApiRefusal, ServiceDown
from services.portal.adapters.observatory_feed import ObservatoryFeed, ObservatoryUnavailable
from services.portal.domain.observatory import report
from tests.portal.unit.observatory_releases import AS_OF, award, call, contract


def release(number: int, position: int, **changes) -> dict:
    """An individual release of process ``number`` (one change), in the platform's shape."""
    found = call(number, **changes)
    return {**found, "id": f"ocds-sscp01-{number}-{position}", "date": found["tender"]["tenderPeriod"]["startDate"],
            "tag": ["tender"]}  # fmt: skip


REFERENCE = {"service_type": "home-care", "district_code": "*", "year": 2027, "amount": "9500.00", "currency": "MDL",
             "source": "HG 2027", "version": 1, "updated_at": "2027-01-01T00:00:00Z"}  # fmt: skip


class FakeContracting:
    """Contracting's release pages and the registry's reference costs, as the ApiClient would return them."""

    def __init__(self) -> None:
        self.releases: list[dict] = []
        self.references: list[dict] | None = None  # None: the registry answers 404
        self.down = False
        self.asked: list[int] = []
        self.page_size = 500

    def request(self, method: str, service: str, path: str, params=None, **_kwargs) -> httpx.Response:
        if self.down:
            raise ServiceDown(service, "ConnectError")
        cursor = int(params["cursor"])
        self.asked.append(cursor)
        page = self.releases[cursor : cursor + self.page_size]
        reached = cursor + len(page)
        body = {"releases": page}
        if reached < len(self.releases):
            body["links"] = {"next": f"http://contracting/api/v1/ocds/releases?cursor={reached}&limit=500"}
        return httpx.Response(200, content=json.dumps(body).encode(), headers={"X-Feed-Cursor": str(reached)})

    def get(self, service: str, path: str, **_params):
        assert (service, path) == ("registry", "/reference-costs")
        if self.references is None:
            raise ApiRefusal(404, {"message": "not found"})
        return self.references


class Clock:
    def __init__(self) -> None:
        self.now = AS_OF
        self.seconds = 0.0

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.seconds += seconds


@pytest.fixture
def fake() -> FakeContracting:
    return FakeContracting()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def feed(fake, clock) -> ObservatoryFeed:
    return ObservatoryFeed(lambda: fake, refresh_seconds=60, clock=lambda: clock.now, monotonic=lambda: clock.seconds)


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The ocid of every process compiled, in order."""
    seen: list[str] = []
    real = observatory_feed.compile_releases

    def counting(releases):
        seen.append(releases[0]["ocid"])
        return real(releases)

    monkeypatch.setattr(observatory_feed, "compile_releases", counting)
    return seen


@pytest.fixture
def computed(monkeypatch) -> list[report.Filters]:
    """The filters of every computation of the indicators."""
    seen: list[report.Filters] = []
    real = report.indicators_of_calls

    def counting(calls, as_of, references, filters, *rest):
        seen.append(filters)
        return real(calls, as_of, references, filters, *rest)

    monkeypatch.setattr(report, "indicators_of_calls", counting)
    return seen


def signed(number: int, position: int) -> dict:
    return release(number, position, awards=(award(f"a{number}", 1),),
                   contracts=(contract(f"c{number}", f"a{number}", "2027-02-01", "2028-01-31"),))  # fmt: skip


def test_the_first_read_follows_every_page_and_compiles_each_process_once(fake, feed, compiled):
    fake.page_size = 2
    fake.releases = [release(1, 1), release(2, 2), signed(1, 3), release(3, 4), release(3, 5)]
    found = feed.snapshot()
    assert fake.asked == [0, 2, 4] and found.cursor == 5
    assert sorted(compiled) == ["ocds-sscp01-1", "ocds-sscp01-2", "ocds-sscp01-3"]
    assert [c.ocid for c in found.calls] == ["ocds-sscp01-1", "ocds-sscp01-2", "ocds-sscp01-3"]
    assert found.calls[0].contracts[0].id == "c1"  # the later release of process 1 is merged in
    assert found.tender_ids == {"ocds-sscp01-1": "1", "ocds-sscp01-2": "2", "ocds-sscp01-3": "3"}


def test_a_refresh_reads_after_the_cursor_and_compiles_only_the_processes_that_changed(fake, feed, clock, compiled):
    fake.releases = [release(1, 1), release(2, 2), release(3, 3)]
    first = feed.snapshot()
    compiled.clear()
    fake.releases.append(signed(2, 4))
    clock.advance(61)
    second = feed.snapshot()
    assert fake.asked == [0, 3] and compiled == ["ocds-sscp01-2"]
    assert second.version == first.version + 1 and second.cursor == 4
    assert second.calls[1].contracts and second.calls[0] is first.calls[0]  # unchanged processes are kept as read


def test_nothing_is_read_again_before_the_refresh_period_and_nothing_recomputed_when_the_cursor_did_not_move(
    fake, feed, clock, computed
):
    fake.releases = [signed(1, 1)]
    everything = report.Filters()
    _snapshot, first = feed.indicators(everything)
    _snapshot, again = feed.indicators(everything)
    assert again is first and fake.asked == [0] and computed == [everything]
    clock.advance(61)
    later, third = feed.indicators(everything)
    assert fake.asked == [0, 1]  # read again, nothing new
    assert third is first and computed == [everything]
    assert later.read_at == clock.now  # the page says the data was checked now


def test_new_reference_costs_recompute_without_compiling_anything(fake, feed, clock, compiled, computed):
    fake.releases = [signed(1, 1)]
    before = feed.indicators(report.Filters())[1]
    assert before.reference_costs == 0  # the registry's 404: no reference costs yet
    compiled.clear()
    fake.references = [REFERENCE]
    clock.advance(61)
    after = feed.indicators(report.Filters())[1]
    assert compiled == [] and len(computed) == 2
    assert after.reference_costs == 1 and after.spending[0].reference_cost == 9500


def test_each_filter_is_computed_once_and_only_the_most_recent_ones_are_kept(fake, feed, computed, monkeypatch):
    monkeypatch.setattr(observatory_feed, "KEEP_RESULTS", 2)
    fake.releases = [signed(1, 1)]
    years = [report.Filters(year=year) for year in (2025, 2026, 2027)]
    for filters in years:
        feed.indicators(filters)
    feed.indicators(years[2])
    feed.indicators(years[0])  # pushed out by the other two: computed again
    assert computed == [*years, years[0]]


def test_when_contracting_is_down_the_last_good_data_is_served_marked_stale_with_the_time_it_was_read(
    fake, feed, clock
):
    fake.releases = [signed(1, 1)]
    good = feed.snapshot()
    fake.down = True
    clock.advance(61)
    stale = feed.snapshot()
    assert stale.stale and stale.read_at == good.read_at == AS_OF and stale.calls == good.calls
    assert "contracting" in feed.last_error
    fake.down = False
    clock.advance(61)
    assert not feed.snapshot().stale


def test_with_no_data_ever_read_the_feed_is_unavailable_and_tries_again_soon(fake, feed, clock):
    fake.down = True
    with pytest.raises(ObservatoryUnavailable):
        feed.snapshot()
    fake.down = False
    fake.releases = [release(1, 1)]
    with pytest.raises(ObservatoryUnavailable):
        feed.snapshot()  # tried a moment ago: not yet
    clock.advance(observatory_feed.RETRY_SECONDS)
    assert [c.ocid for c in feed.snapshot().calls] == ["ocds-sscp01-1"]


def test_a_new_day_recomputes_coverage_at_the_new_moment_without_reading_anything_new(fake, feed, clock, computed):
    fake.releases = [signed(1, 1)]
    first = feed.snapshot()
    clock.advance(24 * 3600)
    later = feed.snapshot()
    assert later.version == first.version + 1 and later.as_of == AS_OF + timedelta(days=1)
    assert feed.indicators(report.Filters())[1].as_of == later.as_of


def test_the_next_cursor_comes_from_the_header_else_from_links_next():
    assert observatory_feed._next_cursor("12", None, 3) == 12
    assert observatory_feed._next_cursor(None, "http://x/api/v1/ocds/releases?cursor=9&limit=500", 3) == 9
    assert observatory_feed._next_cursor(None, None, 3) == 3


def test_a_compiled_release_is_the_same_as_contracting_compiles_it():
    first = {**call(7), "id": "r1", "tag": ["tender"], "date": "2027-01-01T09:00:00Z"}
    second = {"ocid": "ocds-sscp01-7", "id": "r2", "tag": ["award"], "date": "2027-01-20T09:00:00Z",
              "awards": [award("a7", 1)]}  # fmt: skip
    compiled = observatory_feed.compile_releases([second, first])  # ocdsmerge orders by date
    assert compiled["tag"] == ["compiled"] and compiled["tender"]["id"] == "7"
    assert compiled["awards"][0]["id"] == "a7" and compiled["date"] == "2027-01-20T09:00:00Z"
    assert datetime.fromisoformat(compiled["date"].replace("Z", "+00:00")).tzinfo == UTC
