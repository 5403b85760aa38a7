"""The public observatory's pages on a hand-made history served by the fake contracting feed: every view reads in
ro, ru and en without signing in; its CSV, its JSON and its HTML tables carry the same cells; the filters narrow
what is counted; and with no data ever read the page says so with a 503."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest

from services.portal.adapters.observatory_feed import ObservatoryFeed
from tests.portal.unit.observatory_round import AS_OF, REFERENCE_COSTS, feed_releases

VIEWS = ("/observatory", "/observatory/coverage", "/observatory/spending", "/observatory/competition",
         "/observatory/providers", "/observatory/red-flags")  # fmt: skip
LANGUAGES = ("ro", "ru", "en")


def serve_feed(fake_api, releases: list[dict], references=REFERENCE_COSTS) -> None:
    def releases_page(request):
        cursor = int(request["params"]["cursor"])
        page = releases[cursor : cursor + 500]
        return 200, {"releases": page}, {"X-Feed-Cursor": str(cursor + len(page))}

    fake_api.on_call("GET", "contracting", "/ocds/releases", releases_page)
    if references is None:
        fake_api.on("GET", "registry", "/reference-costs", status=404, body={"message": "not found"})
    else:
        fake_api.on("GET", "registry", "/reference-costs", body=references)


@pytest.fixture
def observatory(portal_app, fake_api):
    """The portal with its feed judging coverage at AS_OF (the hand-made history's "now")."""
    serve_feed(fake_api, feed_releases())
    from services.portal.entrypoints.web.requests import api

    with portal_app.test_request_context():
        client = api()
    portal_app.extensions["observatory_feed"] = ObservatoryFeed(lambda: client, 60, clock=lambda: AS_OF)
    return portal_app.test_client()


class Tables(HTMLParser):
    """The page's data tables: key -> {"caption", "headers", "rows"} with each cell's text as a person reads it."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict] = {}
        self.current: dict | None = None
        self.cell: list[str] | None = None
        self.in_head = self.in_caption = False

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "table" and "data-table" in found:
            self.current = self.tables[found["data-table"]] = {"caption": "", "headers": [], "rows": []}
        elif self.current is None:
            return
        elif tag == "thead":
            self.in_head = True
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr" and not self.in_head:
            self.current["rows"].append([])
        elif tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == "table":
            self.current = None
        elif tag == "thead":
            self.in_head = False
        elif tag == "caption":
            self.in_caption = False
        elif tag in ("th", "td") and self.cell is not None:
            text = re.sub(r"[ \t\r\n]+", " ", "".join(self.cell)).strip()
            (self.current["headers"] if self.in_head else self.current["rows"][-1]).append(text)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        elif self.current is not None and self.in_caption:
            self.current["caption"] += data


def html_tables(page: str) -> dict[str, dict]:
    parser = Tables()
    parser.feed(page)
    return parser.tables


def csv_tables(body: str) -> list[dict]:
    """The CSV's sections: a title row, a header row, the rows, a blank row."""
    assert body.startswith("\ufeff")
    sections, current = [], None
    for row in csv.reader(io.StringIO(body[1:])):
        if not row:
            current = None
        elif current is None:
            current = {"title": row[0], "headers": None, "rows": []}
            sections.append(current)
        elif current["headers"] is None:
            current["headers"] = row
        else:
            current["rows"].append(row)
    return sections


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", VIEWS)
def test_each_view_reads_in_each_language_without_signing_in(observatory, path, language):
    response = observatory.get(f"{path}?lang={language}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    assert f'<html lang="{language}">' in page
    assert "<svg" in page or path == "/observatory"
    assert 'href="/observatory"' in page  # the public nav names the observatory
    assert "style=" not in page  # the CSP refuses inline styles
    assert "/api/v1/ocds/releases" in page and "sscp indicators" in page


@pytest.mark.parametrize("path", VIEWS)
def test_the_csv_rows_equal_the_json_rows_equal_the_page_table_cells(observatory, path):
    for language in LANGUAGES:
        page = observatory.get(f"{path}?lang={language}").get_data(as_text=True)
        shown = html_tables(page)
        data = json.loads(observatory.get(f"{path}?lang={language}&format=json").get_data(as_text=True))
        exported = observatory.get(f"{path}?lang={language}&format=csv")
        assert exported.mimetype == "text/csv" and "attachment; filename=" in exported.headers["Content-Disposition"]
        sections = csv_tables(exported.get_data(as_text=True))
        assert [s["title"] for s in sections] == [t["title"] for t in data["tables"]]
        for section, table in zip(sections, data["tables"], strict=True):
            assert section["headers"] == table["headers"]
            assert section["rows"] == table["rows"]
            if table["rows"]:
                seen = shown[table["key"]]
                assert unescape(seen["caption"]).strip() == table["title"]
                assert seen["headers"] == table["headers"]
                assert seen["rows"] == table["rows"], table["key"]
            else:
                assert f'data-table="{table["key"]}"' in page  # "nothing to show" in its place
        assert data["indicators"] is not None and data["filters"] == {"year": None, "district_code": None,
                                                                      "service_type": None}  # fmt: skip


def test_the_json_carries_the_raw_indicators_as_report_computes_them(observatory):
    data = json.loads(observatory.get("/observatory/competition?format=json&lang=en").get_data(as_text=True))
    assert data["indicators"]["single_bid"] == ["ocds-sscp01-2", "ocds-sscp01-3"]
    assert data["indicators"]["no_bid"] == ["ocds-sscp01-4"]
    assert data["as_of"] == "2027-06-01T00:00:00Z" and data["feed_cursor"] == 5
    rows = {row[0]: row for row in data["tables"][0]["rows"]}
    assert rows["Calls with a single bid"][1] == "50%"  # 2 of the 4 calls whose bids were opened
    assert rows["Calls with a single bid"][2] == "ocds-sscp01-2, ocds-sscp01-3"


def test_the_pages_link_each_flagged_call_and_each_district_to_their_pages(observatory):
    flags = observatory.get("/observatory/red-flags?lang=en").get_data(as_text=True)
    assert 'href="/calls/2"' in flags and 'href="/calls/3"' in flags
    single = html_tables(flags)["flag-r018"]["rows"]
    assert [row[0] for row in single] == ["ocds-sscp01-2", "ocds-sscp01-3"]
    incumbency = html_tables(flags)["flag-incumbency"]["rows"]
    assert {row[0] for row in incumbency} == {"ocds-sscp01-2", "ocds-sscp01-3"}
    coverage = observatory.get("/observatory/coverage?lang=en").get_data(as_text=True)
    assert 'href="/observatory/coverage?district=MD-CU"' in coverage
    risk = html_tables(coverage)["continuity-risk"]["rows"]
    assert [(row[0], row[2], row[5]) for row in risk] == [("Chisinau", "ocds-sscp01-1", "19")]
    assert "2 of 35 districts have a Home care contract in force. At risk of a gap within 90 days: 1, of" in coverage


def test_spending_shows_money_as_each_language_writes_it_against_the_reference_cost(observatory):
    rows = {"ro": None, "ru": None, "en": None}
    for language in rows:
        page = observatory.get(f"/observatory/spending?lang={language}").get_data(as_text=True)
        rows[language] = html_tables(page)["spending"]["rows"]
    orhei_2027 = next(row for row in rows["ro"] if row[0] == "Orhei" and row[2] == "2027")
    assert orhei_2027[4] == "120\u00a0000,00\u00a0lei" and orhei_2027[8] == "9\u00a0500,00\u00a0lei"
    assert orhei_2027[9] == "1,26"  # 12,000 a place-year against 9,500
    assert any(row[4] == "MDL\u00a0120,000.00" for row in rows["en"])
    assert any(row[0] == "Орхей" and row[4] == "120\u00a0000,00\u00a0лей" for row in rows["ru"])  # noqa: RUF001


def test_the_filters_narrow_what_is_counted_and_the_downloads_keep_them(observatory):
    page = observatory.get("/observatory/spending?district=MD-OR&year=2027&lang=en").get_data(as_text=True)
    rows = html_tables(page)["spending"]["rows"]
    assert [(row[0], row[2]) for row in rows] == [("Orhei", "2027")]
    assert 'href="/observatory/spending?year=2027&amp;district=MD-OR&amp;format=csv"' in page
    assert '<option value="MD-OR" selected>' in page
    exported = observatory.get("/observatory/spending?district=MD-OR&year=2027&format=csv")
    assert "observatory-spending-2027-MD-OR" in exported.headers["Content-Disposition"]
    nonsense = observatory.get("/observatory/competition?year=soon&district=XX&service=<b>")
    assert nonsense.status_code == 200  # what the form cannot have sent is left out, not refused
    data = json.loads(observatory.get("/observatory/competition?service=respite-care&format=json").data)
    assert data["indicators"]["calls"] == 1 and data["indicators"]["no_bid"] == ["ocds-sscp01-4"]


def test_the_registry_without_reference_costs_leaves_the_price_comparison_empty(portal_app, fake_api):
    serve_feed(fake_api, feed_releases(), references=None)
    page = portal_app.test_client().get("/observatory?lang=en").get_data(as_text=True)
    assert "No reference costs are published yet" in page


def test_with_no_data_ever_read_the_observatory_says_the_data_cannot_be_read_now(portal_app, fake_api):
    fake_api.on("GET", "contracting", "/ocds/releases", status=503, body={"message": "down"})
    fake_api.on("GET", "registry", "/reference-costs", body=[])
    for path in VIEWS:
        response = portal_app.test_client().get(f"{path}?lang=en")
        assert response.status_code == 503 and response.headers["Retry-After"] == "30"
        assert "The data cannot be read now" in response.get_data(as_text=True)


def test_an_unknown_format_or_view_is_not_found(observatory):
    assert observatory.get("/observatory/spending?format=xlsx").status_code == 404
    assert observatory.get("/observatory/elsewhere").status_code == 404


def test_the_feed_of_the_app_is_read_once_for_every_page_within_the_refresh_period(observatory, fake_api):
    for path in VIEWS:
        observatory.get(path)
    assert len(fake_api.requests_to("GET", "/ocds/releases")) == 1
