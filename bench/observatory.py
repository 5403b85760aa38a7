"""The observatory on a national history: what a portal process pays to follow the OCDS feed and to answer a page.

In one process, on N synthetic processes (default 12,000: about 10,000 signed contracts; three releases each,
as contracting publishes a call, its award and its contract), served to the portal's feed adapter by an
in-memory stand-in for contracting's API (the HTTP cost of the feed is the API benchmark's business):

- ``observatory.first_read_s``: the first refresh: read every release page, compile each process, read the calls;
- ``observatory.compute_s``: every indicator over all calls (what a page costs when nothing is cached);
- ``observatory.refresh_ms``: a refresh that finds 10 new releases: compile those processes, compute again;
- ``observatory.page_ms.<view>``: each view's page as an anonymous visitor gets it (rendered once per data
  version), against a hello-world Flask page in the same process (ratio: hello-world's time / the page's);
- ``observatory.render_ms``: the slowest view built and rendered for the first visitor after the data moved;
- ``observatory.memory_mb``: what the adapter holds (tracemalloc, after the first read).

    .venv/bin/python -m bench.observatory [--observatory-processes N]
"""

from __future__ import annotations

import argparse
import copy
import json
import time
import tracemalloc

from bench.common import Figure, median, progress, ratio_of
from bench.observatory_data import national_history, reference_rows
from services.portal.adapters.observatory_feed import ObservatoryFeed
from services.portal.domain.observatory import report

MODE = "in-process"
VIEWS = ("", "/coverage", "/spending", "/competition", "/providers", "/red-flags")


def split(compiled: dict) -> list[dict]:
    """A compiled release back into the releases that made it: the call, the decision, the contract."""
    ocid, first = compiled["ocid"], compiled["date"]
    tender = {k: v for k, v in compiled["tender"].items() if k not in ("tenderers", "numberOfTenderers")}
    buyer = compiled["parties"][:1]
    releases = [{"ocid": ocid, "id": f"{ocid}-1", "date": first, "tag": ["tender"], "buyer": compiled["buyer"],
                 "tender": tender, "parties": buyer}]  # fmt: skip
    decided = compiled["tender"]["tenderPeriod"]["endDate"]
    releases.append({"ocid": ocid, "id": f"{ocid}-2", "date": decided, "tag": ["award"], "parties": compiled["parties"],
                     "tender": {"id": tender["id"], "status": tender["status"],
                                "numberOfTenderers": compiled["tender"]["numberOfTenderers"],
                                "tenderers": compiled["tender"]["tenderers"]},
                     "awards": compiled["awards"]})  # fmt: skip
    if compiled["contracts"]:
        signed = compiled["contracts"][0]["dateSigned"]
        releases.append({"ocid": ocid, "id": f"{ocid}-3", "date": signed, "tag": ["contract"],
                         "contracts": compiled["contracts"]})  # fmt: skip
    return releases


class Response:
    def __init__(self, body: dict, cursor: int) -> None:
        self.body, self.headers = body, {"X-Feed-Cursor": str(cursor)}

    def json(self) -> dict:
        return self.body


class FeedStandIn:
    """Contracting's release pages and the registry's reference costs, from memory, as the adapter asks for them."""

    def __init__(self, releases: list[dict]) -> None:
        self.releases = releases

    def request(self, method: str, service: str, path: str, params: dict) -> Response:
        cursor, limit = int(params["cursor"]), int(params["limit"])
        page = self.releases[cursor : cursor + limit]
        reached = cursor + len(page)
        body = {"releases": json.loads(json.dumps(page))}  # fresh objects, as a response body would be
        if reached < len(self.releases):
            body["links"] = {"next": f"http://contracting/api/v1/ocds/releases?cursor={reached}&limit={limit}"}
        return Response(body, reached)

    def get(self, service: str, path: str, **params) -> list[dict]:
        return reference_rows()


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run_in_process(processes: int, reps: int) -> list[Figure]:
    history = national_history(processes)
    releases = sorted((r for compiled in history for r in split(compiled)), key=lambda r: r["date"])
    stand_in = FeedStandIn(releases)
    contracts = sum(len(compiled["contracts"]) for compiled in history)
    progress(f"observatory: {processes} processes, {contracts} contracts, {len(releases)} releases")
    # What a second adapter holds, traced apart: tracing allocations slows them, so it is not timed.
    tracemalloc.start()
    traced = ObservatoryFeed(lambda: stand_in, refresh_seconds=0)
    traced.refresh()
    held = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del traced
    feed = ObservatoryFeed(lambda: stand_in, refresh_seconds=0)
    first = timed(feed.refresh)
    snapshot = feed.snapshot()
    computes = [timed(lambda: report.indicators_of_calls(snapshot.calls, snapshot.as_of, snapshot.references))
                for _ in range(reps)]  # fmt: skip
    refreshes = []
    for rep in range(reps):
        later = [copy.deepcopy(r) for r in releases[-10:]]
        for number, release in enumerate(later):
            release["id"] = f"{release['id']}-again-{rep}-{number}"
        stand_in.releases = stand_in.releases + later
        refreshes.append(timed(lambda: (feed.refresh(), feed.indicators(report.Filters()))))
    pages = page_figures(feed, processes, reps)
    return [
        *pages,
        Figure("observatory.first_read_s", first, "s", MODE, processes, note=f"{contracts} contracts"),
        Figure("observatory.compute_s", median(computes), "s", MODE, processes),
        Figure("observatory.refresh_ms", median(refreshes) * 1000, "ms", MODE, processes, note="10 new releases"),
        Figure("observatory.memory_mb", held, "MB", MODE, processes, note="tracemalloc, after the first read"),
    ]


def page_figures(feed: ObservatoryFeed, processes: int, reps: int, requests: int = 20) -> list[Figure]:
    """Each view's page from the cache (Flask test client, in this process) against a hello-world Flask page."""
    from bench.hello import app as hello
    from services.portal.entrypoints.web import create_app
    from services.portal.entrypoints.web.observatory import FEED, PAGES

    portal = create_app({"TESTING": True, "PORTAL_SECRET_KEY": "bench-" + "x" * 40, "PORTAL_SECURE_COOKIES": "0"})
    portal.extensions[FEED] = feed
    hello_client, portal_client = hello.test_client(), portal.test_client()

    def per_request(client, path: str) -> float:
        assert client.get(path).status_code == 200, path
        return timed(lambda: [client.get(path) for _ in range(requests)]) / requests * 1000

    for view in VIEWS:  # the first request computes the indicators; the figures are the pages' own
        portal_client.get(f"/observatory{view}?lang=ro")
    renders = {}
    for view in VIEWS:  # what the first visitor after the data moved waits for: the view built and rendered
        portal.extensions.pop(PAGES, None)
        renders[view] = timed(lambda view=view: portal_client.get(f"/observatory{view}?lang=ro")) * 1000
    hellos, figures = [], []
    pages: dict[str, list[float]] = {view: [] for view in VIEWS}
    for _ in range(reps):
        hellos.append(per_request(hello_client, "/hello"))
        for view in VIEWS:
            pages[view].append(per_request(portal_client, f"/observatory{view}?lang=ro"))
    baseline = median(hellos)
    for view in VIEWS:
        value = median(pages[view])
        name = f"observatory.page_ms{view.replace('/', '.') or '.overview'}"
        figures.append(Figure(name, value, "ms", MODE, processes, baseline, ratio_of(baseline, value), note="cached"))
    slowest = max(renders, key=renders.get)
    note = f"uncached, slowest view: {slowest or 'overview'}"
    figures.append(Figure("observatory.render_ms", renders[slowest], "ms", MODE, processes, note=note))
    return figures


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--observatory-processes", type=int, default=12_000, help="synthetic processes (about 85%% end in a contract)"
    )


def run(modes: list[str], args: argparse.Namespace) -> tuple[list[Figure], list[str]]:
    # The observatory's cost is the portal process's own: the same in both modes, measured once.
    return run_in_process(args.observatory_processes, max(args.reps, 1)), []


def main(argv: list[str] | None = None) -> int:
    from bench.runner import standalone_main

    return standalone_main("observatory", __doc__, add_arguments, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
