"""The department's pages from the evaluation to the contract and its renewal, and a call's history, against a fake
API: what each page shows, what each form sends, how a refusal is shown, and that another district's call or
contract (or another role) answers as a page that does not exist."""

from __future__ import annotations

import re

import pytest

from tests.portal.conftest import USERS, csrf_of, signed_in

AUTHORITY = {
    "id": 21,
    "email": "das@chisinau.md",
    "full_name": "Direcția Asistență Socială Chișinău",
    "role": "authority",
    "district_code": "MD-CU",
    "provider_id": None,
    "language": "ro",
    "active": True,
}
CRITERIA = [
    {"id": 1, "number": 1, "kind": "price", "name": "Preț", "weight": 40, "minimum": None},
    {"id": 2, "number": 2, "kind": "quality", "name": "Calitate", "weight": 60, "minimum": "60.00"},
]
LOT = {
    "id": 5,
    "number": 1,
    "title": "Îngrijire",
    "places": 10,
    "budget": "60000.00",
    "duration_months": 12,
    "max_awards": 1,
}


def tender(status="active.evaluation", district="MD-CU", **extra):
    allowed = {"active.evaluation": ["rank", "declare_unsuccessful", "cancel"]}.get(status, ["cancel"])
    return {
        "id": 9,
        "ocid": "ocds-sscp01-9",
        "district_code": district,
        "service_type": "home-care",
        "title": "Îngrijire la domiciliu, Ciocana",
        "status": status,
        "lots": [LOT],
        "criteria": CRITERIA,
        "standstill_end": "2026-12-10T10:00:00+00:00",
        "decided_at": None,
        "allowed_actions": allowed,
        **extra,
    }


COMMITTEE = {
    "tender_id": 9,
    "committee_size": 3,
    "sitting": 3,
    "scoring_blocked": None,
    "members": [
        {"evaluator": 31, "declaration": "clear", "declared_at": "2026-12-01T10:00:00+00:00"},
        {"evaluator": 32, "declaration": "clear", "declared_at": "2026-12-01T10:05:00+00:00"},
        {"evaluator": 33, "declaration": "undeclared", "declared_at": None},
    ],
    "bidders": [{"provider_id": 3, "legal_name": "Speranța"}, {"provider_id": 4, "legal_name": "Concordia"}],
}
BIDS = [
    {
        "id": 70,
        "lot_id": 5,
        "provider_id": 3,
        "status": "active",
        "price": "50000.00",
        "places": 10,
        "eligible": True,
        "submitted_at": "2026-11-30T10:00:00+00:00",
    },
    {
        "id": 71,
        "lot_id": 5,
        "provider_id": 4,
        "status": "active",
        "price": "52000.00",
        "places": 10,
        "eligible": True,
        "submitted_at": "2026-11-30T11:00:00+00:00",
    },
]


def marks(evaluators=(31, 32, 33)):
    found = []
    for evaluator in evaluators:
        found.append(
            {
                "bid_id": 70,
                "criterion_id": 2,
                "evaluator": evaluator,
                "score": "90.00",
                "justification": "Plan bun de îngrijire.",
            }
        )
        found.append(
            {
                "bid_id": 71,
                "criterion_id": 2,
                "evaluator": evaluator,
                "score": "55.00",
                "justification": "Plan incomplet.",
            }
        )
    return found


@pytest.fixture
def authority(client, fake_api, monkeypatch):
    monkeypatch.setitem(USERS, "authority", AUTHORITY)
    signed_in(client, fake_api, role="authority")
    for user_id, name in ((31, "Ana Evaluator"), (32, "Ion Evaluator"), (33, "Maria Evaluator")):
        fake_api.on("GET", "registry", f"/users/{user_id}", body={"id": user_id, "full_name": name, "email": "e@x.md"})
    return fake_api


def evaluation_api(fake_api, status="active.evaluation", complete=False, **extra):
    fake_api.on("GET", "contracting", "/tenders/9", body=tender(status, **extra))
    fake_api.on("GET", "contracting", "/tenders/9/committee", body=COMMITTEE)
    scores = {
        "tender_id": 9,
        "complete": complete,
        "scores_missing": 0 if complete else 2,
        "scores": marks() if complete else [],
    }
    fake_api.on("GET", "contracting", "/tenders/9/evaluation/scores", body=scores)
    fake_api.on("GET", "contracting", "/tenders/9/bids", body={"tender_id": 9, "count": 2, "bids": BIDS})


def test_the_evaluation_page_shows_who_declared_and_that_scores_are_missing(client, authority):
    evaluation_api(authority)
    page = client.get("/department/calls/9/evaluation").get_data(as_text=True)
    assert "Ana Evaluator" in page and "Maria Evaluator" in page
    assert 'id="scores-missing"' in page
    assert 'id="decide-award"' not in page


def test_once_scored_it_shows_each_score_the_floor_and_the_proposed_winner_and_the_award_can_be_decided(
    client, authority
):
    evaluation_api(authority, complete=True)
    page = client.get("/department/calls/9/evaluation?lang=en").get_data(as_text=True)
    assert "Plan bun de îngrijire." in page
    assert "below the minimum" in page  # Concordia's 55 under the 60 floor
    winner = re.search(r'<tr class="winner">.*?</tr>', page, re.S).group(0)
    assert "Speranța" in winner and "10 places" in winner
    assert 'id="decide-award"' in page

    authority.on("POST", "contracting", "/tenders/9/evaluation/complete", body=tender("active.standstill"))
    answer = client.post("/department/calls/9/evaluation/complete", data={"csrf_token": csrf_of(page)})
    assert answer.status_code == 302
    assert authority.requests_to("POST", "/evaluation/complete")


def test_a_refused_decision_shows_the_current_stage_and_what_is_allowed(client, authority):
    evaluation_api(authority, complete=True)
    page = client.get("/department/calls/9/evaluation?lang=en").get_data(as_text=True)
    refusal = {
        "code": 409,
        "message": "tender is 'active.standstill': cannot rank",
        "current_status": "active.standstill",
        "allowed_transitions": ["reopen_evaluation", "end_standstill", "cancel"],
    }
    authority.on("POST", "contracting", "/tenders/9/evaluation/complete", status=409, body=refusal)
    answer = client.post(
        "/department/calls/9/evaluation/complete", data={"csrf_token": csrf_of(page)}, follow_redirects=True
    )
    text = answer.get_data(as_text=True)
    assert "Standstill" in text and "end the standstill" in text and "reopen the evaluation" in text


def test_after_the_decision_the_published_ranking_and_the_split_are_shown(client, authority):
    evaluation_api(authority, status="active.standstill", complete=True, decided_at="2026-12-04T10:00:00+00:00")
    ranking = {
        "tender_id": 9,
        "lots": [
            {
                "lot_id": 5,
                "number": 1,
                "title": "Îngrijire",
                "bids": [
                    {
                        "bid_id": 70,
                        "provider_id": 3,
                        "legal_name": "Speranța",
                        "rank": 1,
                        "result": "awarded",
                        "price": "50000.00",
                        "places": 10,
                        "total_score": "94.00",
                        "quality_total": "54.00",
                    },
                    {
                        "bid_id": 71,
                        "provider_id": 4,
                        "legal_name": "Concordia",
                        "rank": None,
                        "result": "disqualified",
                        "reason": "scored 55.00 on 'Calitate', below its minimum of 60.00",
                        "price": "52000.00",
                        "places": 10,
                    },
                ],
            }
        ],
    }
    authority.on("GET", "contracting", "/tenders/9/ranking", body=ranking)
    awards = [
        {
            "id": 40,
            "lot_id": 5,
            "bid_id": 70,
            "provider_id": 3,
            "rank": 1,
            "places": 10,
            "value": "50000.00",
            "status": "pending",
        }
    ]
    authority.on("GET", "contracting", "/tenders/9/awards", body=awards)
    page = client.get("/department/calls/9/evaluation?lang=en").get_data(as_text=True)
    assert 'id="award-40"' in page and "Awarded: 10 of 10 places" in page
    assert "below its minimum" in page
    assert re.search(r'<tr class="winner">\s*<th scope="row">1\. Speranța', page)


def test_another_district_or_another_role_sees_no_evaluation(client, authority, fake_api):
    fake_api.on("GET", "contracting", "/tenders/9", body=tender(district="MD-OR"))
    assert client.get("/department/calls/9/evaluation").status_code == 404
    assert client.get("/department/calls/9/history").status_code == 404


def test_a_cso_gets_not_found(client, fake_api):
    signed_in(client, fake_api, role="cso")
    assert client.get("/department/calls/9/evaluation").status_code == 404
    assert client.get("/department/contracts").status_code == 404


COMPLAINT = {
    "id": 12,
    "award_id": 40,
    "provider_id": 4,
    "title": "Contestație",
    "description": "Punctaj greșit.",
    "status": "pending",
    "filed_at": "2026-12-04T11:00:00+00:00",
    "resolution": None,
    "resolved_at": None,
}


def complaints_api(fake_api, complaint=COMPLAINT):
    fake_api.on("GET", "contracting", "/tenders/9", body=tender("active.standstill"))
    fake_api.on("GET", "contracting", "/tenders/9/committee", body=COMMITTEE)
    fake_api.on("GET", "contracting", "/tenders/9/complaints", body=[complaint])
    fake_api.on(
        "GET",
        "contracting",
        "/tenders/9/awards",
        body=[
            {
                "id": 40,
                "lot_id": 5,
                "bid_id": 70,
                "provider_id": 3,
                "rank": 1,
                "places": 10,
                "value": "50000.00",
                "status": "pending",
            }
        ],
    )


def test_a_complaint_is_ruled_on_with_reasons(client, authority):
    complaints_api(authority)
    page = client.get("/department/calls/9/complaints").get_data(as_text=True)
    assert "Contestație" in page and "Concordia" in page
    authority.on("POST", "contracting", "/tenders/9/complaints/12/resolution", body={**COMPLAINT, "status": "rejected"})
    data = {
        "csrf_token": csrf_of(page),
        "complaint-12-decision": "rejected",
        "complaint-12-reasons": "Grila a fost respectată.",
    }
    answer = client.post("/department/calls/9/complaints/12/resolution", data=data)
    assert answer.status_code == 302
    (sent,) = authority.requests_to("POST", "/resolution")
    assert sent["json"] == {"decision": "rejected", "reasons": "Grila a fost respectată."}


def test_a_ruling_without_reasons_is_shown_beside_the_field(client, authority):
    complaints_api(authority)
    page = client.get("/department/calls/9/complaints").get_data(as_text=True)
    data = {"csrf_token": csrf_of(page), "complaint-12-decision": "upheld", "complaint-12-reasons": "scurt"}
    answer = client.post("/department/calls/9/complaints/12/resolution", data=data)
    assert answer.status_code == 422
    assert "error-message" in answer.get_data(as_text=True)
    assert not authority.requests_to("POST", "/resolution")


def test_a_refused_ruling_shows_the_stage(client, authority):
    complaints_api(authority)
    page = client.get("/department/calls/9/complaints?lang=en").get_data(as_text=True)
    authority.on(
        "POST",
        "contracting",
        "/tenders/9/complaints/12/resolution",
        status=409,
        body={
            "code": 409,
            "message": "no",
            "current_status": "active.contract_pending",
            "allowed_transitions": ["complete", "cancel"],
        },
    )
    data = {
        "csrf_token": csrf_of(page),
        "complaint-12-decision": "upheld",
        "complaint-12-reasons": "Motive suficient de lungi.",
    }
    text = client.post("/department/calls/9/complaints/12/resolution", data=data, follow_redirects=True).get_data(
        as_text=True
    )
    assert "Contracting" in text and "complete the call" in text


def test_contracts_are_made_with_the_frequency_and_indicators(client, authority):
    authority.on("GET", "contracting", "/tenders/9", body=tender("active.contract_pending"))
    page = client.get("/department/calls/9/contracts/new").get_data(as_text=True)
    assert 'value="10"' in page  # the places as the beneficiaries' target
    authority.on("POST", "contracting", "/tenders/9/contracts", status=201, body=[{"id": 60}])
    data = {
        "csrf_token": csrf_of(page),
        "milestone_frequency": "quarterly",
        "beneficiaries_target": "10",
        "kpi_1_name": "Vizite la domiciliu",
        "kpi_1_target": "120",
        "kpi_1_unit": "vizite",
    }
    answer = client.post("/department/calls/9/contracts/new", data=data)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/department/contracts/60")
    (sent,) = authority.requests_to("POST", "/tenders/9/contracts")
    assert sent["json"]["milestone_frequency"] == "quarterly"
    assert [k["code"] for k in sent["json"]["kpis"]] == ["beneficiaries_served", "vizite_la_domiciliu"]


def test_a_half_filled_indicator_and_a_refusal_are_shown_on_the_form(client, authority):
    authority.on("GET", "contracting", "/tenders/9", body=tender("active.standstill"))
    page = client.get("/department/calls/9/contracts/new").get_data(as_text=True)
    data = {
        "csrf_token": csrf_of(page),
        "milestone_frequency": "monthly",
        "beneficiaries_target": "10",
        "kpi_1_name": "Vizite",
    }
    assert client.post("/department/calls/9/contracts/new", data=data).status_code == 422
    assert not authority.requests_to("POST", "/tenders/9/contracts")
    authority.on(
        "POST",
        "contracting",
        "/tenders/9/contracts",
        status=409,
        body={
            "code": 409,
            "message": "no",
            "current_status": "active.standstill",
            "allowed_transitions": ["end_standstill"],
        },
    )
    data.pop("kpi_1_name")
    answer = client.post("/department/calls/9/contracts/new?lang=en", data=data)
    assert answer.status_code == 409 and "end the standstill" in answer.get_data(as_text=True)


CONTRACT = {
    "id": 60,
    "tender_id": 9,
    "provider_id": 3,
    "district_code": "MD-CU",
    "service_type": "home-care",
    "title": "Îngrijire",
    "status": "pending",
    "places": 10,
    "unit_price": "5000.00",
    "value": "50000.00",
    "start_at": "2026-12-10T10:00:00+00:00",
    "end_at": "2027-12-10T10:00:00+00:00",
    "milestone_frequency": "monthly",
    "kpis": [{"code": "beneficiaries_served", "name": "Beneficiari", "target": "10", "unit": "persoane"}],
    "signatures": {"authority": None, "provider": None},
    "milestones": [],
    "allowed_actions": ["sign", "edit", "cancel"],
}
REPORT = {
    "id": 80,
    "contract_id": 60,
    "milestone_number": 1,
    "status": "submitted",
    "beneficiaries_served": 10,
    "kpi_values": {"beneficiaries_served": "10"},
    "narrative": "Servicii prestate.",
    "submitted_at": "2027-01-05T10:00:00+00:00",
}


def contract_api(fake_api, contract=CONTRACT, reports=(), due=(), coverage=()):
    fake_api.on("GET", "contracting", "/contracts/60", body=contract)
    fake_api.on("GET", "contracting", "/contracts/60/reports", body=list(reports))
    fake_api.on("GET", "contracting", "/renewals/due", body=list(due))
    fake_api.on("GET", "contracting", "/coverage", body=list(coverage))
    fake_api.on("GET", "contracting", "/tenders/9/committee", body=COMMITTEE)


def test_the_contracts_list_puts_what_waits_on_the_department_first(client, authority):
    signed = {**CONTRACT, "id": 61, "status": "active", "allowed_actions": ["terminate", "amend"]}
    authority.on("GET", "contracting", "/contracts", body=[signed, CONTRACT])
    authority.on("GET", "contracting", "/renewals/due", body=[])
    page = client.get("/department/contracts").get_data(as_text=True)
    assert page.index('id="contract-60"') < page.index('id="contract-61"')
    assert authority.requests_to("GET", "/contracts")[0]["params"] == {"district_code": "MD-CU"}


def test_the_department_signs(client, authority):
    contract_api(authority)
    page = client.get("/department/contracts/60").get_data(as_text=True)
    assert 'id="sign-contract"' in page
    authority.on("POST", "contracting", "/contracts/60/sign", body={**CONTRACT, "status": "pending"})
    assert client.post("/department/contracts/60/sign", data={"csrf_token": csrf_of(page)}).status_code == 302


def test_a_refused_signature_shows_the_contract_state(client, authority):
    contract_api(authority)
    page = client.get("/department/contracts/60?lang=en").get_data(as_text=True)
    authority.on(
        "POST",
        "contracting",
        "/contracts/60/sign",
        status=409,
        body={"code": 409, "message": "no", "current_status": "cancelled", "allowed_transitions": []},
    )
    text = client.post(
        "/department/contracts/60/sign", data={"csrf_token": csrf_of(page)}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Cancelled" in text and "Nothing more can be done" in text


def test_reports_are_accepted_or_returned_with_a_note(client, authority):
    active = {**CONTRACT, "status": "active", "allowed_actions": ["terminate", "amend", "report"]}
    contract_api(authority, active, reports=[REPORT])
    page = client.get("/department/contracts/60").get_data(as_text=True)
    assert 'id="accept-report-80"' in page
    assert "report-80-standards" not in page  # a report filed before the checklist existed answered none
    authority.on("POST", "contracting", "/contracts/60/reports/80/accept", body={**REPORT, "status": "accepted"})
    assert (
        client.post("/department/contracts/60/reports/80/accept", data={"csrf_token": csrf_of(page)}).status_code == 302
    )
    short = client.post(
        "/department/contracts/60/reports/80/return", data={"csrf_token": csrf_of(page), "report-80-comments": "x"}
    )
    assert short.status_code == 422
    authority.on("POST", "contracting", "/contracts/60/reports/80/return", body={**REPORT, "status": "returned"})
    data = {"csrf_token": csrf_of(page), "report-80-comments": "Lipsesc fișele de prezență."}
    assert client.post("/department/contracts/60/reports/80/return", data=data).status_code == 302
    (sent,) = authority.requests_to("POST", "/reports/80/return")
    assert sent["json"] == {"comments": "Lipsesc fișele de prezență."}


def test_a_report_under_review_shows_each_quality_standard_with_its_answer_and_note(client, authority):
    active = {**CONTRACT, "status": "active", "allowed_actions": ["terminate", "amend", "report"]}
    standards = [
        {"code": "HC-01", "status": "met", "note": ""},
        {"code": "HC-03", "status": "partly", "note": "Două vizite amânate din cauza viscolului."},
        {"code": "HC-06", "status": "not_met", "note": "Supervizarea nu a avut loc în trimestru."},
    ]
    contract_api(authority, active, reports=[{**REPORT, "standards": standards}])
    page = client.get("/department/contracts/60?lang=ro").get_data(as_text=True)
    table = page[page.index('id="report-80-standards"') :]
    assert "Serviciul este accesibil tuturor persoanelor eligibile din aria deservită" in table
    assert "Două vizite amânate din cauza viscolului." in table and "tag-standard-partly" in table
    assert "Supervizarea nu a avut loc în trimestru." in table and "tag-standard-not_met" in table


def test_a_proposed_renewal_is_confirmed_or_declined_and_the_successor_call_is_linked(client, authority):
    active = {**CONTRACT, "status": "active", "allowed_actions": ["terminate", "amend", "report"]}
    proposal = {
        "id": 3,
        "contract_id": 60,
        "status": "proposed",
        "months": 12,
        "proposed_at": "2027-10-01T10:00:00+00:00",
        "recommendation": {"action": "renew", "kpi_attainment_percent": "100.00", "renewals_left": 2},
    }
    due = [{"contract": active, "recommendation": proposal["recommendation"], "proposal": proposal}]
    coverage = [{"contract_id": 60, "successor": {"kind": "tender", "id": 15, "ready_at": "2027-12-01T10:00:00+00:00"}}]
    contract_api(authority, active, due=due, coverage=coverage)
    page = client.get("/department/contracts/60").get_data(as_text=True)
    assert 'id="confirm-renewal"' in page and 'href="/department/calls/15"' in page
    authority.on("POST", "contracting", "/contracts/60/renewal/confirm", body=active)
    assert (
        client.post("/department/contracts/60/renewal/confirm", data={"csrf_token": csrf_of(page)}).status_code == 302
    )
    assert authority.requests_to("POST", "/renewal/confirm")[0]["json"] == {}
    missing = client.post("/department/contracts/60/renewal/decline", data={"csrf_token": csrf_of(page)})
    assert missing.status_code == 422
    authority.on("POST", "contracting", "/contracts/60/renewal/decline", body={"tender": {"id": 15}, "created": True})
    data = {"csrf_token": csrf_of(page), "decline-reason": "Preferăm un apel nou."}
    declined = client.post("/department/contracts/60/renewal/decline", data=data)
    assert declined.status_code == 302 and declined.headers["Location"].endswith("/department/calls/15")


def test_another_districts_contract_is_not_found(client, authority):
    contract_api(authority, {**CONTRACT, "district_code": "MD-OR"})
    assert client.get("/department/contracts/60").status_code == 404


AUDIT = {
    "tender_id": 9,
    "intact": True,
    "first_break": None,
    "entries": [
        {
            "seq": 1,
            "actor": "authority:21",
            "action": "create",
            "at": "2026-11-20T10:00:00+00:00",
            "entry_hash": "a" * 64,
            "previous_hash": "0" * 64,
            "sealed": False,
        },
        {
            "seq": 2,
            "actor": "bidder (sealed)",
            "action": "sealed_bid",
            "at": None,
            "entry_hash": "b" * 64,
            "previous_hash": "a" * 64,
            "sealed": True,
        },
        {
            "seq": 3,
            "actor": "evaluator:31",
            "action": "score",
            "at": "2026-12-01T10:00:00+00:00",
            "entry_hash": "c" * 64,
            "previous_hash": "b" * 64,
            "sealed": False,
        },
    ],
}


def test_the_history_reads_as_a_timeline_and_the_chain_is_verified(client, authority):
    authority.on("GET", "contracting", "/tenders/9", body=tender("active.standstill"))
    authority.on("GET", "contracting", "/tenders/9/audit", body=AUDIT)
    authority.on("GET", "registry", "/users/21", status=404, body={"code": 404, "message": "no"})
    page = client.get("/department/calls/9/history?lang=en").get_data(as_text=True)
    assert "Call drafted" in page and "A bidder (sealed)" in page and "Ana Evaluator" in page
    assert 'id="verify-result"' not in page
    authority.on(
        "GET",
        "contracting",
        "/tenders/9/audit/verify",
        body={
            "tender_id": 9,
            "intact": True,
            "entries": 3,
            "head_hash": "c" * 64,
            "first_broken": None,
            "unanchored": [],
        },
    )
    checked = client.get("/department/calls/9/history?verify=1&lang=en").get_data(as_text=True)
    assert "The chain is intact: 3 entries checked." in checked


def test_a_broken_chain_is_said_plainly(client, authority):
    authority.on("GET", "contracting", "/tenders/9", body=tender("active.standstill"))
    authority.on("GET", "contracting", "/tenders/9/audit", body={**AUDIT, "intact": False, "first_break": 3})
    authority.on("GET", "registry", "/users/21", status=404, body={"code": 404, "message": "no"})
    authority.on(
        "GET",
        "contracting",
        "/tenders/9/audit/verify",
        body={
            "tender_id": 9,
            "intact": False,
            "entries": 3,
            "head_hash": None,
            "first_broken": {"seq": 3, "action": "score", "at": None, "problem": "entry hash does not match"},
            "unanchored": [],
        },
    )
    page = client.get("/department/calls/9/history?verify=1&lang=en").get_data(as_text=True)
    assert "The chain is broken at entry 3 (Scores given): entry hash does not match" in page
    assert 'class="award-broken"' in page
