"""`sscp indicators` prints the observatory's indicators from a records file as tables or as JSON, and the
JSON is exactly what the library computes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from services.cli import main
from services.portal.domain.observatory.report import Filters, indicators, plain
from services.portal.domain.observatory.source import compiled_releases
from tests.portal.unit.observatory_releases import AS_OF, award, call, contract

AS_OF_TEXT = "2027-06-01T00:00:00Z"


@pytest.fixture
def records_file(tmp_path):
    releases = [
        call(1, bidders=(1,), awards=(award("a1", 1),), contracts=(contract("c1", "a1", "2027-01-01", "2027-06-21"),)),
        call(2, awards=(award("a2", 1),), contracts=(contract("c2", "a2", "2026-01-01", "2026-12-31"),)),
        call(3, district="MD-BA", status="unsuccessful", bidders=(), published="2026-05-01T09:00:00Z"),
    ]
    package = {"version": "1.1", "records": [{"ocid": r["ocid"], "compiledRelease": r} for r in releases]}
    path = tmp_path / "records.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def run(*arguments: str):
    return CliRunner().invoke(main, ["indicators", *arguments])


def test_the_tables_show_coverage_competition_suppliers_and_the_flagged_calls(records_file):
    result = run("--from-file", str(records_file), "--as-of", AS_OF_TEXT)
    assert result.exit_code == 0, result.output
    for title in ("Coverage of districts as of 2027-06-01", "Spending per district", "Competition", "Red flags"):
        assert title in result.output
    assert "Chisinau  Home care     30         ocds-sscp01-1" in result.output  # ends in 20 days, no successor
    assert "R018        ocds-sscp01-1  1 bid" in result.output
    assert "INCUMBENCY  ocds-sscp01-2" in result.output


def test_the_json_is_the_library_answer_with_exact_amounts(records_file):
    result = run("--from-file", str(records_file), "--as-of", AS_OF_TEXT, "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    releases = compiled_releases(json.loads(records_file.read_text(encoding="utf-8")))
    assert printed == json.loads(json.dumps(plain(indicators(releases, AS_OF))))
    assert printed["competition"]["single_bid"] == ["ocds-sscp01-1"]
    assert printed["spending"][0]["value"] == "120000"
    assert [flag["code"] for flag in printed["red_flags"]] == [
        "R003",
        "R018",
        "R035",
        "R038",
        "R044",
        "INCUMBENCY",
        "PRICE",
    ]


def test_reference_costs_from_a_file_feed_the_price_flag(records_file, tmp_path):
    costs = tmp_path / "costs.json"
    row = {"service_type": "home-care", "district_code": "*", "year": 2027, "amount": "10000", "currency": "MDL"}
    costs.write_text(json.dumps([row]), encoding="utf-8")
    result = run("--from-file", str(records_file), "--as-of", AS_OF_TEXT, "--reference-costs", str(costs), "--json")
    price = next(flag for flag in json.loads(result.output)["red_flags"] if flag["code"] == "PRICE")
    assert [c["ocid"] for c in price["flagged"]] == ["ocds-sscp01-1"]  # 24,000 a place-year: 2.4 x


def test_filters_narrow_the_calls_and_the_map(records_file):
    result = run("--from-file", str(records_file), "--as-of", AS_OF_TEXT, "--district", "MD-BA", "--json")
    printed = json.loads(result.output)
    assert printed["calls"] == 1 and len(printed["coverage"]) == 12
    assert printed["filters"] == plain(Filters(district_code="MD-BA"))


def test_a_file_that_is_not_ocds_stops_with_a_message(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    result = run("--from-file", str(path))
    assert result.exit_code == 1 and "cannot compute the indicators" in result.output


def test_without_a_file_it_reads_contracting_public_api_at_the_given_url(monkeypatch, records_file):
    package = json.loads(records_file.read_text(encoding="utf-8"))
    api = "http://contracting.example/api/v1"
    pages = {f"{api}/ocds/releases?limit=500": {"releases": [{"ocid": r["ocid"]} for r in package["records"]]}}
    pages.update({f"{api}/ocds/records?ocid={r['ocid']}": {"records": [r]} for r in package["records"]})
    # The reference costs come from the registry's public list, in the very shape it serves.
    costs = [{"service_type": "home-care", "district_code": "*", "year": 2027, "amount": "10000.00", "currency": "MDL",
              "source": "HCR 12/2026", "version": 1, "updated_at": "2026-12-01T09:00:00Z"}]  # fmt: skip
    pages["http://registry.example/api/v1/reference-costs"] = costs
    monkeypatch.setattr("services.cli._get_json", pages.__getitem__)
    urls = ("--contracting-url", "http://contracting.example", "--registry-url", "http://registry.example")
    result = run(*urls, "--as-of", AS_OF_TEXT, "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["calls"] == 3 and printed["reference_costs"] == 1


def test_r003_minimums_can_be_set_per_method_from_the_command_line(records_file):
    minimum = ("--min-submission-days", "selective=20")
    result = run("--from-file", str(records_file), "--as-of", AS_OF_TEXT, *minimum, "--json")
    r003 = json.loads(result.output)["red_flags"][0]
    assert r003["parameters"]["min_submission_days"] == {"selective": "20"}
    assert [c["ocid"] for c in r003["flagged"]] == ["ocds-sscp01-1", "ocds-sscp01-2"]  # 15 days; call 3 had months
