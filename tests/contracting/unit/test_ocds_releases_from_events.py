"""OCDS releases built from hand-made event payloads, including issue 5's contract, report and milestone events
(not emitted yet: these payloads are the contract the other module's events will flow through)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from services.contracting.domain import ocds
from services.contracting.domain.ocds_model import LotFacts, Provider, ReleaseContext, TenderFacts, value
from services.contracting.service_layer.publication import compile_releases
from tests.contracting.unit.test_ocds_schema_validation import assert_valid, release_package

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
OCID = "ocds-sscp01-7"
PROVIDERS = {5: Provider("1003600000005", "AO Grija 5"), 6: Provider("1003600000006", "AO Grija 6")}
FACTS = TenderFacts(
    "Servicii de îngrijire la domiciliu",
    START,
    (LotFacts(3, 1, "Sectorul Centru", 40, Decimal("400000.00"), 12),),
    (("price", "Preț", 40), ("quality", "Calitate", 60)),
)
COMMON = {
    "tender_id": 7,
    "ocid": OCID,
    "district_code": "MD-CU",
    "service_type": "home-care",
    "title": "Îngrijire la domiciliu",
    "status": "active.enquiries",
    "enquiry_end": "2026-11-29T09:00:00+00:00",
    "submission_deadline": "2026-12-09T09:00:00+00:00",
}
AWARD = {"award_id": 11, "lot_id": 3, "bid_id": 2, "provider_id": 5, "rank": 1, "places": 40, "value": "360000.00"}
CONTRACT = {
    "contract_id": 31,
    "ocid": OCID,
    "tender_id": 7,
    "district_code": "MD-CU",
    "award_id": 11,
    "provider_id": 5,
    "lot_id": 3,
    "places": 40,
    "unit_price": "9000.00",
    "value": "360000.00",
    "start_at": "2027-01-01T00:00:00+00:00",
    "end_at": "2027-12-31T00:00:00+00:00",
    "status": "pending",
    "version": 1,
    "milestones": [
        {"milestone_id": 1, "due_date": "2027-04-10", "amount": "90000.00", "status": "scheduled"},
        {"milestone_id": 2, "due_date": "2027-07-10", "amount": "90000.00", "status": "scheduled"},
    ],
    # Personal: must never reach a release
    "signed_by": "maria.popescu@ong.md",
    "authority_signatory": "ion.rusu@cu.gov.md",
}
DOCUMENT = {
    "document_id": 9,
    "document_type": "technicalSpecifications",
    "title": "Caietul de sarcini",
    "file_name": "caiet.pdf",
    "format": "application/pdf",
    "size": 1234,
    "sha256": "ab" * 32,
    "language": "ro",
    "created_at": "2026-11-24T10:00:00+00:00",
    "url": "https://sscp.gov.md/api/v1/documents/9/download",
}
SAMPLES: dict[str, dict] = {
    "tender.published": COMMON,
    "tender.amended": {**COMMON, "rationale": "Mai multe locuri", "changes": {"lots": [{"id": 3, "places": 45}]}},
    "tender.deadline_moved": {**COMMON, "previous_submission_deadline": "2026-12-08T09:00:00+00:00"},
    "tender.question_asked": {**COMMON, "question_id": 1, "question": "Se acceptă consorții?"},
    "tender.question_answered": {**COMMON, "question_id": 1, "question": "Se acceptă consorții?", "answer": "Nu."},
    "tender.end_enquiries": {**COMMON, "status": "active.tendering"},
    "tender.close_submissions": {**COMMON, "status": "active.evaluation", "bids_received": 3, "bids_eligible": 3},
    "tender.reopen_evaluation": {**COMMON, "status": "active.evaluation", "reason": "complaint 1 upheld"},
    "tender.unsuccessful": {
        **COMMON,
        "status": "unsuccessful",
        "reason": "no_eligible_bid",
        "bidders": [
            {"provider_id": 5, "bid_id": 2, "lot_id": 3, "result": "ineligible", "reason": "accreditation expired"},
            {"provider_id": 6, "bid_id": 4, "lot_id": 3, "result": "disqualified", "reason": "below quality floor"},
        ],
    },
    "tender.complete": {**COMMON, "status": "complete"},
    "tender.cancelled": {**COMMON, "status": "cancelled", "reason": "Bugetul a fost redistribuit"},
    "award.decided": {
        **COMMON,
        "status": "active.standstill",
        "standstill_end": "2026-12-20T09:00:00+00:00",
        "awards": [{**AWARD, "status": "pending"}],
        "new_award_ids": [11],
        "bidders": [
            {"provider_id": 5, "bid_id": 2, "lot_id": 3, "result": "awarded", "total_score": "91.00"},
            {"provider_id": 6, "bid_id": 4, "lot_id": 3, "result": "not_awarded", "total_score": "70.00"},
        ],
    },
    "award.cancelled": {**COMMON, **AWARD, "status": "cancelled", "reason": "Declined", "declined": True},
    "tender.end_standstill": {**COMMON, "status": "active.contract_pending", "awards": [{**AWARD, "status": "active"}]},
    "complaint.lodged": {**COMMON, "complaint_id": 1, "award_id": 11, "provider_id": 6},
    "complaint.upheld": {**COMMON, "complaint_id": 1, "award_id": 11, "reasons": "Scorul a fost greșit calculat"},
    "complaint.rejected": {**COMMON, "complaint_id": 2, "award_id": None, "reasons": "Nefondată"},
    "contract.created": CONTRACT,
    "contract.signed": {**CONTRACT, "status": "active", "signed_at": "2026-12-28T10:00:00+00:00"},
    "contract.activated": {**CONTRACT, "status": "active"},
    "contract.amended": {
        **CONTRACT,
        "status": "active",
        "places": 44,
        "version": 2,
        "kinds": ["places"],
        "reason": "Cerere",
    },
    "contract.renewed": {
        **CONTRACT,
        # A contract event states its milestones as they stand now: the first has become payable.
        "milestones": [{**CONTRACT["milestones"][0], "status": "payable"}, CONTRACT["milestones"][1]],
        "status": "active",
        "end_at": "2028-12-31T00:00:00+00:00",
        "version": 2,
        "kinds": ["extension"],
        "reason": "Performanță bună",
    },
    "contract.terminated": {**CONTRACT, "status": "terminated", "reason": "Prestatorul s-a dizolvat"},
    "contract.cancelled": {**CONTRACT, "status": "cancelled", "reason": "Prestatorul nu a semnat"},
    "contract.expired": {**CONTRACT, "status": "expired"},
    "report.accepted": {
        "contract_id": 31,
        "ocid": OCID,
        "tender_id": 7,
        "district_code": "MD-CU",
        "report_id": 4,
        "milestone_id": 1,
        "milestone_number": 1,
        "period_start": "2027-01-01T00:00:00+00:00",
        "period_end": "2027-03-31T00:00:00+00:00",
        "beneficiaries_served": 41,
        "kpi_values": {"visits per month": 8},
        "narrative": "Doamna Elena Ciobanu, 84 de ani, a fost vizitată zilnic",
        "accepted_by": "ion.rusu@cu.gov.md",
        "standards": [
            {"code": "HC-01", "status": "met", "note": ""},
            {"code": "HC-03", "status": "partly", "note": "Doamna Elena Ciobanu a refuzat două vizite"},
            {"code": "HC-06", "status": "not_met", "note": "Supervizarea lipsește; ion.rusu@cu.gov.md știe"},
        ],
    },
    "milestone.payable": {"contract_id": 31, "ocid": OCID, "district_code": "MD-CU", "milestone_id": 1},
    "document.added": {**COMMON, **DOCUMENT, "kind": "tender", "owner_id": None},
    "award.document_added": {
        **COMMON,
        **DOCUMENT,
        "kind": "award",
        "owner_id": 3,
        "document_type": "evaluationReports",
    },
    "contract.document_added": {
        **COMMON,
        **DOCUMENT,
        "kind": "contract",
        "owner_id": 31,
        "document_type": "contractSigned",
    },
}


def test_a_stored_document_is_listed_with_its_url_type_and_hash_where_it_belongs():
    listed = ocds.release_for("document.added", SAMPLES["document.added"], context("r"))["tender"]["documents"]
    assert listed == [
        {
            "id": "doc-9",
            "documentType": "technicalSpecifications",
            "title": "Caietul de sarcini",
            "description": f"SHA-256: {'ab' * 32}",
            "url": "https://sscp.gov.md/api/v1/documents/9/download",
            "format": "application/pdf",
            "language": "ro",
            "datePublished": "2026-11-24T10:00:00Z",
            "dateModified": "2026-11-24T10:00:00Z",
        }
    ]
    award = ocds.release_for("award.document_added", SAMPLES["award.document_added"], context("r"))["awards"][0]
    assert award["id"] == "3" and award["documents"][0]["documentType"] == "evaluationReports"
    signed = ocds.release_for("contract.document_added", SAMPLES["contract.document_added"], context("r"))
    assert signed["contracts"][0]["id"] == "31" and signed["contracts"][0]["documents"][0]["id"] == "doc-9"


def context(release_id: str, minutes: int = 0, **changes) -> ReleaseContext:
    fields = {"providers": PROVIDERS, "tender": FACTS, **changes}
    return ReleaseContext(release_id, START + timedelta(minutes=minutes), "ocds-sscp01", **fields)


def test_every_public_event_type_has_a_sample_here():
    assert set(SAMPLES) == set(ocds.TAGS)


@pytest.mark.parametrize("event_type", sorted(SAMPLES))
def test_each_public_event_builds_a_release_that_validates_with_the_tag_of_the_mapping(event_type):
    release = ocds.release_for(event_type, SAMPLES[event_type], context(f"r-{event_type}"))
    assert release["tag"] == list(ocds.TAGS[event_type])
    assert release["ocid"] == OCID
    assert_valid(release_package([release]), "release-package")


def test_the_decision_publishes_each_bid_with_its_bidder_lot_and_status_but_nothing_of_its_content():
    release = ocds.release_for("award.decided", SAMPLES["award.decided"], context("r"))
    details = release["bids"]["details"]
    assert [(bid["id"], bid["status"], bid["relatedLots"]) for bid in details] == [
        ("2", "valid", ["lot-3"]),
        ("4", "valid", ["lot-3"]),
    ]
    assert [bid["tenderers"][0]["id"] for bid in details] == ["MD-IDNO-1003600000005", "MD-IDNO-1003600000006"]
    assert set().union(*(bid.keys() for bid in details)) == {"id", "status", "tenderers", "relatedLots"}


def test_an_unsuccessful_call_publishes_its_ineligible_and_below_floor_bids_as_disqualified():
    release = ocds.release_for("tender.unsuccessful", SAMPLES["tender.unsuccessful"], context("r"))
    assert [bid["status"] for bid in release["bids"]["details"]] == ["disqualified", "disqualified"]
    assert "accreditation expired" not in json.dumps(release)  # the reasons go to the bidders, not to OCDS


def test_bids_stay_unpublished_at_the_opening_only_their_count_is_public():
    release = ocds.release_for("tender.close_submissions", {**COMMON, "bids_received": 3}, context("r"))
    assert "bids" not in release and release["tender"]["numberOfTenderers"] == 3


def test_bid_scores_and_invitations_publish_nothing():
    for event_type in ("bid.submitted", "bid.modified", "evaluation.scores_submitted", "tender.invitation_sent"):
        assert ocds.release_for(event_type, {**COMMON, "provider_id": 5}, context("r")) is None


def test_a_contract_signed_names_the_supplier_by_idno_and_the_buyer_as_the_district_department():
    release = ocds.release_for("contract.signed", SAMPLES["contract.signed"], context("r"))
    parties = {party["id"]: party for party in release["parties"]}
    assert parties["MD-IDNO-1003600000005"]["identifier"] == {
        "scheme": "MD-IDNO",
        "id": "1003600000005",
        "legalName": "AO Grija 5",
    }
    assert parties["MD-IDNO-1003600000005"]["roles"] == ["tenderer", "supplier"]
    assert parties["MD-CU-DAS"]["roles"] == ["buyer", "procuringEntity"]
    (contract,) = release["contracts"]
    assert contract["value"] == {"amount": 360000, "currency": "MDL"}
    assert contract["status"] == "active"
    assert contract["period"] == {"startDate": "2027-01-01T00:00:00Z", "endDate": "2027-12-31T00:00:00Z"}


def test_nothing_personal_in_contract_and_report_payloads_reaches_a_release():
    for event_type in ("contract.signed", "report.accepted"):
        text = json.dumps(ocds.release_for(event_type, SAMPLES[event_type], context("r")), ensure_ascii=False)
        assert "@" not in text
        assert "Elena" not in text and "Ciobanu" not in text


def test_a_contract_lifecycle_compiles_into_one_contract_with_its_payment_met_and_its_report_accepted():
    steps = ["contract.created", "contract.signed", "report.accepted", "milestone.payable", "contract.renewed"]
    releases = [ocds.release_for(step, SAMPLES[step], context(f"r{i}", i)) for i, step in enumerate(steps)]
    compiled = compile_releases(releases)
    (contract,) = compiled["contracts"]
    assert contract["status"] == "active"
    assert contract["period"]["endDate"] == "2028-12-31T00:00:00Z"
    milestones = {m["id"]: m["status"] for m in contract["milestones"]}
    assert milestones == {"payment-1": "met", "payment-2": "scheduled"}
    (report,) = contract["implementation"]["milestones"]
    assert report["type"] == "reporting" and report["status"] == "met"
    assert "beneficiaries served: 41" in report["description"]
    assert [(a["id"], a["description"]) for a in contract["amendments"]] == [("v2", "extension")]
    assert report["title"] == "Monitoring report 2027-01-01 to 2027-03-31"
    # The minimum quality standards' answers travel as an extension field: codes and statuses, never the notes.
    assert report["standards"] == [
        {"id": "HC-01", "status": "met"},
        {"id": "HC-03", "status": "partly"},
        {"id": "HC-06", "status": "not_met"},
    ]
    record = {"ocid": OCID, "releases": releases, "compiledRelease": compiled}
    assert_valid(_record_package(record), "record-package")


def _record_package(record: dict) -> dict:
    package = release_package([])
    del package["releases"]
    return {**package, "records": [record]}


def test_a_report_without_an_award_id_reuses_the_award_of_the_published_contract():
    payload = dict(SAMPLES["report.accepted"])
    release = ocds.release_for("report.accepted", payload, context("r", contract_awards={"31": "11"}))
    assert release["contracts"][0]["awardID"] == "11"


def test_a_retender_links_its_predecessor_as_a_prior_process():
    payload = {**COMMON, "predecessor_tender_id": 3, "predecessor_relationship": "unsuccessfulProcess"}
    release = ocds.release_for("tender.published", payload, context("r"))
    assert release["relatedProcesses"] == [
        {
            "id": "ocds-sscp01-3",
            "relationship": ["unsuccessfulProcess"],
            "title": "Previous contracting process",
            "scheme": "ocid",
            "identifier": "ocds-sscp01-3",
        }
    ]
    assert_valid(release_package([release]), "release-package")


def test_a_published_call_states_its_budget_lot_and_rated_criteria_in_mdl():
    tender = ocds.release_for("tender.published", COMMON, context("r"))["tender"]
    assert tender["value"] == {"amount": 400000, "currency": "MDL"}
    assert tender["items"][0]["quantity"] == 40
    assert tender["awardCriteria"] == "ratedCriteria"
    assert tender["status"] == "active"
    assert tender["tenderPeriod"] == {"startDate": "2026-11-24T09:00:00Z", "endDate": "2026-12-09T09:00:00Z"}


def test_amounts_in_bani_are_published_exactly_as_json_numbers_in_mdl():
    assert json.dumps(value("1234.56")) == '{"amount": 1234.56, "currency": "MDL"}'
    assert json.dumps(value(Decimal("360000.00"))) == '{"amount": 360000, "currency": "MDL"}'
    assert value(None) is None
