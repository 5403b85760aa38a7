"""The observatory's views laid out as tables in the page's language: each cell the text the page shows (money
as the language writes it, districts and services by name), links to the calls and to the filtered views, and
each chart's data and one-sentence summary taken from the same figures."""

from __future__ import annotations

import pytest

from services.portal.domain.money import NBSP
from services.portal.domain.observatory import report
from services.portal.domain.observatory.reference import reference_costs
from services.portal.entrypoints.web.observatory_views import Links, build_view, number_text, raw_section
from tests.portal.unit.observatory_round import AS_OF, REFERENCE_COSTS, compiled_releases


@pytest.fixture
def found() -> report.Indicators:
    return report.indicators(compiled_releases(), AS_OF, reference_costs(REFERENCE_COSTS))


def built(portal_app, name: str, found: report.Indicators, language: str = "en"):
    links = Links(
        language,
        call=lambda ocid: f"/calls/{ocid.rsplit('-', 1)[-1]}",
        filtered=lambda view, **values: f"/observatory/{view}?" + "&".join(f"{k}={v}" for k, v in values.items()),
    )
    calls = {call.ocid: call for call in report.read_calls(compiled_releases())}
    with portal_app.test_request_context(f"/observatory?lang={language}"):
        return build_view(name, found, links, calls)


def test_coverage_counts_each_service_and_names_the_contract_at_risk_with_its_days_left(portal_app, found):
    view = built(portal_app, "coverage", found)
    by_service = {row[0].text: [cell.text for cell in row[1:]] for row in view.table("coverage-by-service").rows}
    assert by_service["Home care"] == ["1", "0", "0", "1", "33"]  # Orhei in force, Chișinău at risk in 30 days
    assert by_service["Respite care"] == ["0", "0", "0", "0", "35"]
    (risk,) = view.table("continuity-risk").rows
    assert [cell.text for cell in risk] == ["Chisinau", "Home care", "ocds-sscp01-1", "c1", "20 Jun 2027", "19",
                                            "critical (30 days or less)"]  # fmt: skip
    assert risk[0].links == (("Chisinau", "/observatory/coverage?district=MD-CU"),)
    assert risk[2].links == (("ocds-sscp01-1", "/calls/1"),)
    (chart,) = view.charts
    assert chart.kind == "tile_map" and chart.table == "coverage-map"
    assert chart.arguments["cells"]["MD-CU"] == "at_risk_30" and chart.arguments["cells"]["MD-OR"] == "active"
    assert chart.summary == ("2 of 35 districts have a Home care contract in force. At risk of a gap within 90 days: "
                             "1, of which within 30 days: 1.")  # fmt: skip


def test_spending_in_romanian_writes_lei_and_compares_the_price_per_place_year_with_the_reference(portal_app, found):
    view = built(portal_app, "spending", found, "ro")
    rows = [[cell.text for cell in row] for row in view.table("spending").rows]
    assert rows[2][:10] == ["Orhei", "Îngrijire socială la domiciliu", "2027", "1", f"120{NBSP}000,00{NBSP}lei",
                            "10", f"12{NBSP}000,00{NBSP}lei", f"12{NBSP}000,00{NBSP}lei", f"9{NBSP}500,00{NBSP}lei",
                            "1,26"]  # fmt: skip
    assert rows[0][8] == "—"  # no reference cost for 2026
    assert [point[0] for point in view.charts[1].arguments["points"]] == ["2026-02", "2026-06", "2027-02"]
    assert view.charts[0].arguments["bars"][2][1] == 12000


def test_competition_lists_the_calls_behind_each_share(portal_app, found):
    view = built(portal_app, "competition", found)
    rows = {row[0].text: row for row in view.table("competition").rows}
    single = rows["Calls with a single bid"]
    assert single[1].text == "50%" and [href for _text, href in single[2].links] == ["/calls/2", "/calls/3"]
    assert rows["Unsuccessful calls (of those decided)"][2].text == "ocds-sscp01-4"
    assert rows["Complaints rejected"][1].text == "1"
    assert view.charts[0].arguments["parts"] == [("Two bids or more", 1), ("A single bid", 2), ("No bid", 1)]
    assert view.summaries == ["Of 4 calls whose bids were opened, 2 had a single bid and 1 had none."]


def test_providers_show_revenue_per_year_the_largest_buyer_and_the_market_concentration(portal_app, found):
    view = built(portal_app, "providers", found)
    first = [cell.text for cell in view.table("suppliers").rows[0]]
    assert first[:10] == ["AO Grija 3", "MD-IDNO-1003600000003", f"2026: MDL{NBSP}95,000.00; 2027: MDL{NBSP}120,000.00",
                          f"MDL{NBSP}215,000.00", "1", "1", "Orhei", "100%", "1", "0"]  # fmt: skip
    market = [[cell.text for cell in row] for row in view.table("concentration").rows]
    assert market[2] == ["2027", "All services", "1", f"MDL{NBSP}120,000.00", "10,000", "AO Grija 3", "100%"]
    assert "the largest, AO Grija 3, has 65.4% of the contracted value" in view.summaries[0]


def test_red_flags_give_each_flag_a_table_of_its_calls_linked_to_their_pages(portal_app, found):
    view = built(portal_app, "red-flags", found)
    summary = {row[0].text: [cell.text for cell in row] for row in view.table("red-flags").rows}
    assert summary["R018"] == ["R018", "Single bid received", "4", "2", "all published"]
    assert summary["R035"][4] == "bids.details"
    flagged = view.table("flag-incumbency").rows
    assert [(row[0].links[0][1], row[1].text) for row in flagged] == [("/calls/2", "Orhei"), ("/calls/3", "Orhei")]
    assert view.table("flag-r003").rows == []
    assert [entry["title"] for entry in view.extra["flags"]][:2] == ["R003: Short submission period",
                                                                     "R018: Single bid received"]  # fmt: skip


def test_the_overview_headlines_link_to_their_views(portal_app, found):
    view = built(portal_app, "overview", found, "ru")
    rows = {row[0].text: row for row in view.table("headline").rows}
    assert rows["Сумма договоров"][1].text == f"329{NBSP}000,00{NBSP}лей"  # Contracted value
    assert rows["Районы с действующим договором"][1].text == "2 / 35"  # noqa: RUF001 (Russian: Districts with a contract in force)
    assert rows["Сработавшие тревожные сигналы"][2].links[0][1] == "/observatory/red-flags?"  # Red flags raised


def test_numbers_are_grouped_as_money_is_in_each_language(portal_app):
    with portal_app.test_request_context("/?lang=ro"):
        assert number_text(1234567) == f"1{NBSP}234{NBSP}567" and number_text(24.666) == "24,67"
    with portal_app.test_request_context("/?lang=en"):
        assert number_text(1234567.5) == "1,234,567.5" and number_text(0) == "0"


def test_each_view_json_section_is_the_part_of_the_indicators_it_is_built_from(found):
    assert raw_section("coverage", found) is found.coverage
    assert set(report.plain(raw_section("providers", found))) == {
        "suppliers",
        "concentration",
        "standards_by_supplier",
        "standards_by_code",
    }
