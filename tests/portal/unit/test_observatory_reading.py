"""The observatory reads OCDS exactly as the platform publishes it: releases built by contracting's own
publisher and compiled as /ocds/records compiles them, from a file in any of the usual shapes, or page by page
from the public API."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from services.contracting.domain import ocds
from services.contracting.service_layer.publication import compile_releases
from services.portal.domain.observatory import source
from services.portal.domain.observatory.ocds_read import read_call
from tests.contracting.unit.test_ocds_releases_from_events import SAMPLES, context

ROUND = (
    "tender.published",
    "tender.close_submissions",
    "award.decided",
    "complaint.lodged",
    "complaint.rejected",
    "tender.end_standstill",
    "contract.created",
    "contract.activated",
    "contract.renewed",
)


@pytest.fixture
def platform_record() -> dict:
    releases = [ocds.release_for(event, SAMPLES[event], context(f"r{n}", n)) for n, event in enumerate(ROUND)]
    return {"ocid": "ocds-sscp01-7", "releases": releases, "compiledRelease": compile_releases(releases)}


def test_a_call_published_by_the_platform_reads_with_its_district_service_bids_award_and_contract(platform_record):
    call = read_call(platform_record["compiledRelease"])
    assert (call.ocid, call.district_code, call.service_type, call.method) == (
        "ocds-sscp01-7",
        "MD-CU",
        "home-care",
        "selective",
    )
    assert call.published == datetime(2026, 11, 24, 9, tzinfo=UTC)
    assert call.deadline == datetime(2026, 12, 9, 9, tzinfo=UTC)
    assert call.number_of_tenderers == 2
    # The bid extension, from the decision on: each bid's bidder and status (R035 and R038 can be recomputed).
    assert [(bid.id, bid.status, bid.tenderer_ids) for bid in call.bids] == [
        ("2", "valid", ("MD-IDNO-1003600000005",)),
        ("4", "valid", ("MD-IDNO-1003600000006",)),
    ]
    assert call.winners == ("MD-IDNO-1003600000005",)
    contract = call.contracts[0]
    assert (contract.value, contract.places, contract.status, contract.extensions) == (Decimal(360000), 40, "active", 1)
    assert sorted((c.status, c.award_id) for c in call.complaints) == [("pending", "11"), ("rejected", None)]
    assert call.parties["MD-IDNO-1003600000005"].address is None  # no contact facts are published


def test_a_record_package_a_list_of_records_and_bare_compiled_releases_all_read_the_same(platform_record):
    compiled = platform_record["compiledRelease"]
    package = {"version": "1.1", "records": [platform_record]}
    for document in (package, [package], [platform_record], platform_record, [compiled], compiled):
        assert source.compiled_releases(document) == [compiled]


def test_a_package_of_individual_releases_is_refused_with_how_to_compile_them(platform_record):
    with pytest.raises(ValueError, match="compile"):
        source.compiled_releases({"releases": platform_record["releases"]})


def test_from_the_api_every_ocid_is_found_across_release_pages_and_its_record_read_once():
    api = "http://contracting/api/v1"
    pages = {
        f"{api}/ocds/releases?limit=500": {
            "releases": [{"ocid": "ocds-x-1"}, {"ocid": "ocds-x-2"}],
            "links": {"next": f"{api}/ocds/releases?limit=500&cursor=2"},
        },
        f"{api}/ocds/releases?limit=500&cursor=2": {"releases": [{"ocid": "ocds-x-1"}, {"ocid": "ocds-x-3"}]},
    }
    for n in (1, 2, 3):
        pages[f"{api}/ocds/records?ocid=ocds-x-{n}"] = {"records": [{"compiledRelease": {"ocid": f"ocds-x-{n}"}}]}
    asked = []

    def get_json(url: str) -> dict:
        asked.append(url)
        return pages[url]

    assert [r["ocid"] for r in source.compiled_from_api(get_json, api)] == ["ocds-x-1", "ocds-x-2", "ocds-x-3"]
    assert len(asked) == 5


def test_bidders_sharing_a_telephone_in_the_register_are_flagged_r044_from_the_platforms_own_releases():
    from services.contracting.domain.ocds_model import Provider
    from services.portal.domain.observatory.red_flags_parties import shared_contacts

    # Two organisations registered with the same telephone (written differently) and their own e-mails.
    providers = {
        5: Provider(
            "1003600000005", "AO Grija 5", "str. Ștefan cel Mare 1, Chișinău", "grija5@ong.md", "+373 22 123456"
        ),
        6: Provider("1003600000006", "AO Grija 6", "str. Decebal 9, Bălți", "grija6@ong.md", "+373 (22) 12-34-56"),
    }
    events = ("tender.published", "tender.close_submissions", "award.decided")
    releases = [ocds.release_for(e, SAMPLES[e], context(f"r{n}", n, providers=providers)) for n, e in enumerate(events)]
    call = read_call(compile_releases(releases))
    assert call.parties["MD-IDNO-1003600000005"].emails == ("grija5@ong.md",)
    flag = shared_contacts([call])
    assert [flagged.ocid for flagged in flag.flagged] == ["ocds-sscp01-7"]
