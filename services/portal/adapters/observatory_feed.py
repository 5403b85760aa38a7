"""The observatory's data, kept in memory and followed from contracting's public OCDS feed.

Each refresh (at most every ``refresh_seconds``) reads the release pages after the position it has reached
(``GET /ocds/releases?cursor=N``; the ``X-Feed-Cursor`` header names the next position, also on the last page),
merges the new releases onto their process's compiled release, so only the processes that changed are compiled
again and only one document per process is kept (ocdsmerge with the official release schema, as contracting
compiles its records). The registry's reference costs are read with it.
The indicators are computed again only when something moved (a new release, other reference costs, a new day
for coverage's days-left) and kept per filter, the 64 most recently asked. When contracting cannot be read, the
last good data is served with the time it was read; with none, ``ObservatoryUnavailable``.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import resources
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import ocdsmerge

from services.portal.adapters.api_client import ApiClient, ApiRefusal, ServiceDown
from services.portal.domain.observatory import report
from services.portal.domain.observatory.ocds_read import Call, ocid_order, read_call
from services.portal.domain.observatory.red_flags import FlagRules
from services.portal.domain.observatory.reference import ReferenceCosts, reference_costs

log = logging.getLogger(__name__)

PAGE_SIZE = 500  # contracting's largest page
KEEP_RESULTS = 64  # filters' results kept (each a few hundred KB at 10,000 processes)
RETRY_SECONDS = 5  # how soon a page tries again while the feed has never been read
DAY_ZONE = ZoneInfo("Europe/Chisinau")  # coverage's days-left change at midnight here


class ObservatoryUnavailable(Exception):
    """Contracting's feed has never been read: there is nothing to show."""


@functools.cache
def _merger() -> ocdsmerge.Merger:
    # The official release schema ships with the portal (a copy of contracting's): ocdsmerge would fetch it.
    text = resources.files("services.portal.adapters").joinpath("ocds_release_schema_1_1_5.json").read_text("utf-8")
    return ocdsmerge.Merger(schema=json.loads(text))


def compile_releases(releases: list[dict]) -> dict:
    """One process's compiled release from its individual releases (what contracting's records carry)."""
    return _merger().create_compiled_release(releases)


@dataclass(frozen=True)
class Snapshot:
    """What the pages show now: the calls as of the feed position, and when the feed was last read."""

    version: int  # changes whenever the indicators must be computed again
    cursor: int
    calls: list[Call]
    references: ReferenceCosts
    reference_rows: list[dict]
    tender_ids: dict[str, str]  # ocid -> the call's id on the public pages (/calls/<id>)
    as_of: datetime  # the moment the indicators are computed at (coverage is the state then)
    read_at: datetime  # the last time the feed was read successfully
    stale: bool = False  # the last attempt to read the feed failed: this is older data
    releases: int = 0


@dataclass
class _State:
    cursor: int = 0
    # ocid -> its compiled release so far: a new release is merged onto it (the merge of the compiled release and
    # the later releases is the merge of them all), so memory holds one document per process, not every release.
    # Kept as compact JSON: a third of the memory of the parsed document, and only changed processes are parsed.
    compiled: dict[str, bytes] = field(default_factory=dict)
    releases_read: int = 0
    calls: dict[str, Call] = field(default_factory=dict)
    tender_ids: dict[str, str] = field(default_factory=dict)


class ObservatoryFeed:
    """One per portal process; every method may be called from any of gunicorn's threads."""

    def __init__(
        self,
        client: Callable[[], ApiClient],
        refresh_seconds: float = 60,
        flag_rules: FlagRules | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self.refresh_seconds = refresh_seconds
        self.flag_rules = flag_rules or FlagRules()
        self._clock, self._monotonic = clock, monotonic
        self._state = _State()
        self._snapshot: Snapshot | None = None
        self._checked: float | None = None  # monotonic time of the last attempt
        self._results: OrderedDict[tuple, report.Indicators] = OrderedDict()
        self._lock = threading.Lock()  # guards _snapshot, _results, _checked
        self._refreshing = threading.Lock()  # one thread reads the feed at a time
        self.last_error: str | None = None

    # --- what the pages call -------------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The current data, read from the feed first when a refresh is due."""
        # With data to show, a thread that finds another one refreshing serves the current data meanwhile.
        if self._due() and self._refreshing.acquire(blocking=self._snapshot is None):
            try:
                if self._due():
                    self.refresh()
            finally:
                self._refreshing.release()
        found = self._snapshot
        if found is None:
            raise ObservatoryUnavailable(self.last_error or "the feed has not been read yet")
        return found

    def indicators(self, filters: report.Filters) -> tuple[Snapshot, report.Indicators]:
        """The indicators of a filter over the current data: computed once per data version and filter."""
        found = self.snapshot()
        key = (found.version, filters)
        with self._lock:
            kept = self._results.get(key)
            if kept is not None:
                self._results.move_to_end(key)
                return found, kept
        computed = report.indicators_of_calls(found.calls, found.as_of, found.references, filters, self.flag_rules)
        with self._lock:
            self._results[key] = computed
            while len(self._results) > KEEP_RESULTS:
                self._results.popitem(last=False)
        return found, computed

    # --- reading the feed ----------------------------------------------------------------------------------------

    def _due(self) -> bool:
        with self._lock:
            if self._checked is None:
                return True
            # Without any data, try again soon (each page asks); with data, once per refresh period.
            wait = self.refresh_seconds if self._snapshot is not None else min(self.refresh_seconds, RETRY_SECONDS)
            return self._monotonic() - self._checked >= wait

    def refresh(self) -> None:
        """Read what is new; on failure keep the last good data (marked stale) and remember why."""
        client = self._client()
        now = self._clock().replace(microsecond=0)  # whole seconds: the moment `sscp indicators --as-of` repeats
        try:
            releases, cursor = self._read_feed(client, self._state.cursor)
        except (ServiceDown, ApiRefusal, ValueError) as exc:
            self._failed(f"contracting's OCDS feed: {exc}")
            return
        rows = self._read_reference_rows(client)
        with self._lock:
            self._checked = self._monotonic()
            self.last_error = None
        self._apply(releases, cursor, rows, now)

    def _failed(self, why: str) -> None:
        log.warning("the observatory could not read its data: %s", why)
        with self._lock:
            self._checked = self._monotonic()
            self.last_error = why
            if self._snapshot is not None:
                self._snapshot = replace(self._snapshot, stale=True)

    def _read_feed(self, client: ApiClient, cursor: int) -> tuple[list[dict], int]:
        """Every release after ``cursor`` (oldest first) and the position reached."""
        found: list[dict] = []
        while True:
            response = client.request(
                "GET", "contracting", "/ocds/releases", params={"cursor": cursor, "limit": PAGE_SIZE}
            )
            package = response.json()
            found += package.get("releases") or []
            following = (package.get("links") or {}).get("next")
            reached = _next_cursor(response.headers.get("X-Feed-Cursor"), following, cursor)
            if not following or reached <= cursor:
                return found, reached
            cursor = reached

    def _read_reference_rows(self, client: ApiClient) -> list[dict]:
        """The registry's reference costs; none while it does not publish them (404), the last ones if it is down."""
        try:
            rows = client.get("registry", "/reference-costs")
        except ApiRefusal as refusal:
            if refusal.status != 404:
                log.warning("the registry refused its reference costs: %s", refusal)
            return [] if refusal.status == 404 else self._reference_rows()
        except ServiceDown as exc:
            log.warning("the registry's reference costs could not be read: %s", exc)
            return self._reference_rows()
        return rows if isinstance(rows, list) else []

    def _reference_rows(self) -> list[dict]:
        return self._snapshot.reference_rows if self._snapshot else []

    def _apply(self, releases: list[dict], cursor: int, rows: list[dict], now: datetime) -> None:
        state, previous = self._state, self._snapshot
        new_by_ocid: dict[str, list[dict]] = {}
        for release in releases:
            if release.get("ocid"):
                new_by_ocid.setdefault(release["ocid"], []).append(release)
        changed = set(new_by_ocid)
        for ocid, new in new_by_ocid.items():
            earlier = state.compiled.get(ocid)
            compiled = compile_releases([json.loads(earlier), *new] if earlier else new)
            state.compiled[ocid] = json.dumps(compiled, separators=(",", ":"), ensure_ascii=False).encode()
            state.calls[ocid] = read_call(compiled)
            state.tender_ids[ocid] = _tender_id(compiled)
        state.releases_read += len(releases)
        state.cursor = cursor
        references, rows = _references(rows, previous)
        moved = bool(changed) or previous is None or rows != previous.reference_rows
        new_day = previous is not None and now.astimezone(DAY_ZONE).date() != previous.as_of.astimezone(DAY_ZONE).date()
        if not moved and not new_day:
            with self._lock:
                self._snapshot = replace(previous, read_at=now, stale=False, cursor=cursor)
            return
        if changed or previous is None:
            calls = sorted(state.calls.values(), key=lambda call: ocid_order(call.ocid))
        else:
            calls = previous.calls  # only the reference costs or the day changed
        snapshot = Snapshot(
            version=(previous.version + 1) if previous else 1,
            cursor=cursor,
            calls=calls,
            references=references,
            reference_rows=rows,
            tender_ids=dict(state.tender_ids),
            as_of=now,
            read_at=now,
            releases=state.releases_read,
        )
        with self._lock:
            self._snapshot = snapshot
            self._results.clear()


def _next_cursor(header: str | None, following: str | None, cursor: int) -> int:
    """The position to read after: contracting's header, else the cursor in links.next, else where we were."""
    for text in (header, *(parse_qs(urlsplit(following).query).get("cursor", []) if following else [])):
        if text and str(text).isdigit():
            return int(text)
    return cursor


def _tender_id(compiled: dict) -> str:
    """The call's id on the public pages: tender.id, else the ocid's last part (``<prefix>-<tender id>``)."""
    tender_id = str((compiled.get("tender") or {}).get("id") or "")
    return tender_id if tender_id.isdigit() else str(compiled.get("ocid", "")).rsplit("-", 1)[-1]


def _references(rows: list[dict], previous: Snapshot | None) -> tuple[ReferenceCosts, list[dict]]:
    """Reference costs from the registry's rows; rows it cannot read leave the previous ones in place."""
    try:
        return reference_costs(rows), rows
    except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
        log.warning("the registry's reference costs cannot be read: %s", exc)
        if previous is None:
            return ReferenceCosts(), []
        return previous.references, previous.reference_rows
