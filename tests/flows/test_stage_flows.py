"""The stage flows against the real services over HTTP: each stage run twice changes state once.

A retried or duplicated run must not double-invite, double-award or double-schedule (issue: flows idempotent).
"""

from __future__ import annotations

from datetime import timedelta

from flows.award_stage import award_stage
from flows.evaluation_stage import evaluation_stage
from flows.scheduling import TenderRef, pending_runs
from flows.tender_stage import tender_stage
from services.common.call import Call
from services.registry.service_layer.commands import CreateUser
from services.registry.service_layer.handlers import create_user
from tests.flows.live_platform import PASSWORD

DISTRICT = "MD-CU"


def seed_people(platform) -> dict:
    """An authority, three evaluators and two accredited CSOs with a user each."""
    operator = platform.login("operator@test.md")
    registry = platform.context("registry")
    people = {"operator": operator, "providers": [], "csos": [], "evaluators": []}

    def add_account(**account) -> int:
        return create_user(Call(registry.uow(), None, registry.clock()), CreateUser(password=PASSWORD, **account)).id

    add_account(email="das@cu.md", role="authority", district_code=DISTRICT)
    people["authority"] = platform.login("das@cu.md")
    for number in range(3):
        email = f"evaluator{number}@cu.md"
        user_id = add_account(email=email, role="evaluator", district_code=DISTRICT)
        people["evaluators"].append((str(user_id), platform.login(email)))
    for number in range(2):
        body = {"idno": f"100360001234{number}", "legal_name": f"AO Grija {number}", "districts_served": [DISTRICT]}
        body["email"] = f"office{number}@grija.md"
        provider = platform.call("POST", "registry", "/providers", operator, json=body).json()
        accreditation = {"service_type": "home-care", "accrediting_body": "ANAS", "certificate_number": f"C-{number}"}
        accreditation.update(valid_from="2025-01-01", valid_to="2031-12-31")
        platform.call("POST", "registry", f"/providers/{provider['id']}/accreditations", operator, json=accreditation)
        email = f"cso{number}@grija.md"
        add_account(email=email, role="cso", provider_id=provider["id"])
        people["providers"].append(provider["id"])
        people["csos"].append(platform.login(email))
    platform.pump()
    return people


def publish_tender(platform, people, quality_minimum: str | None = None) -> dict:
    now = platform.clock.now
    body = {
        "district_code": DISTRICT,
        "service_type": "home-care",
        "title": "Îngrijire la domiciliu, 10 locuri",
        "enquiry_end": (now + timedelta(days=6)).isoformat(),
        "submission_deadline": (now + timedelta(days=17)).isoformat(),
        "lots": [
            {"title": "Sectorul Centru", "places": 10, "budget": "600000", "duration_months": 12, "max_awards": 2}
        ],
        "criteria": [
            {"kind": "price", "name": "Preț", "weight": 40},
            {"kind": "quality", "name": "Calitate", "weight": 60, "minimum": quality_minimum},
        ],
        "committee_size": 3,
    }
    draft = platform.call("POST", "contracting", "/tenders", people["authority"], json=body)
    assert draft.status_code == 201, draft.text
    published = platform.call("POST", "contracting", f"/tenders/{draft.json()['id']}/publish", people["authority"])
    assert published.status_code == 200, published.text
    return published.json()


def bid_and_score(platform, people, tender) -> None:
    lot, quality = tender["lots"][0], next(c for c in tender["criteria"] if c["kind"] == "quality")
    platform.clock.now += timedelta(days=7)
    for number, cso in enumerate(people["csos"]):
        bid = {
            "lot_id": lot["id"],
            "unit_price": str(4000 + 500 * number),
            "places": 5,
            "quality_text": "Echipă de 6 îngrijitori",
        }
        bid["quality_answers"] = [{"criterion_id": quality["id"], "answer": "Vizite de 3 ori pe săptămână"}]
        response = platform.call("POST", "contracting", f"/tenders/{tender['id']}/bids", cso, json=bid)
        assert response.status_code == 201, response.text
    evaluators = {"evaluators": [subject for subject, _ in people["evaluators"]]}
    response = platform.call(
        "POST", "contracting", f"/tenders/{tender['id']}/committee", people["authority"], json=evaluators
    )
    assert response.status_code in (200, 201), response.text


def score_everything(platform, people, tender, score: str = "80") -> None:
    quality = next(c for c in tender["criteria"] if c["kind"] == "quality")
    for _subject, headers in people["evaluators"]:
        path = f"/tenders/{tender['id']}/committee/declaration"
        assert platform.call("POST", "contracting", path, headers, json={"has_conflict": False}).status_code == 200
        bids = platform.call("GET", "contracting", f"/tenders/{tender['id']}/bids", headers).json()["bids"]
        scores = [
            {
                "bid_id": bid["id"],
                "criterion_id": quality["id"],
                "score": score,
                "justification": "Plan de îngrijire clar",
            }
            for bid in bids
        ]
        response = platform.call(
            "POST", "contracting", f"/tenders/{tender['id']}/evaluation/scores", headers, json={"scores": scores}
        )
        assert response.status_code in (200, 201), response.text


def test_every_stage_run_twice_invites_awards_and_schedules_once(platform):
    people = seed_people(platform)
    tender = publish_tender(platform, people)
    ref = TenderRef(tender["id"], tender["ocid"], DISTRICT, "home-care")

    first, second = tender_stage(tender["id"], tender["ocid"]), tender_stage(tender["id"], tender["ocid"])
    assert sorted(first["newly_invited"]) == sorted(people["providers"]) and second["newly_invited"] == []
    assert len(pending_runs(ref, "evaluation-stage")) == 1

    bid_and_score(platform, people, tender)
    platform.clock.now += timedelta(days=11)  # past the submission deadline
    closing = evaluation_stage(tender["id"], tender["ocid"])
    assert closing["applied"] == ["end_enquiries", "close_submissions"] and closing["decided"] is False
    assert evaluation_stage(tender["id"], tender["ocid"])["applied"] == []

    score_everything(platform, people, tender)
    decided, repeated = evaluation_stage(tender["id"], tender["ocid"]), evaluation_stage(tender["id"], tender["ocid"])
    assert decided["decided"] is True and decided["status"] == "active.standstill"
    assert repeated["decided"] is False
    awards = platform.call("GET", "contracting", f"/tenders/{tender['id']}/awards", people["authority"]).json()
    assert len(awards) == 2, "two winners on a lot with max_awards 2, awarded once"

    platform.pump()  # the notifications worker records the award notices
    notified = award_stage(tender["id"], tender["ocid"])
    award_stage(tender["id"], tender["ocid"])
    assert notified["notified"] == 2
    assert len(pending_runs(ref, "award-stage")) == 1, "one standstill-end run, however often the stage ran"

    platform.clock.now += timedelta(days=7)  # past the standstill
    ended = award_stage(tender["id"], tender["ocid"], phase="standstill_end")
    again = award_stage(tender["id"], tender["ocid"], phase="standstill_end")
    assert ended["applied"] == ["end_standstill"] and again["applied"] == []
    assert again["status"] in ("active.contract_pending", "complete")
    awards_after = platform.call("GET", "contracting", f"/tenders/{tender['id']}/awards", people["authority"]).json()
    assert sorted(a["id"] for a in awards_after) == sorted(a["id"] for a in awards)


def test_a_late_decided_run_after_another_run_ended_the_standstill_still_makes_the_contracts(platform):
    """The race the round benchmark found: the scores_complete evaluation run applied the standstill's end
    before the award stage's decided run looked, so nobody scheduled the standstill-end run."""
    people = seed_people(platform)
    tender = publish_tender(platform, people)
    bid_and_score(platform, people, tender)
    platform.clock.now += timedelta(days=11)
    evaluation_stage(tender["id"], tender["ocid"])
    score_everything(platform, people, tender)
    assert evaluation_stage(tender["id"], tender["ocid"])["status"] == "active.standstill"
    platform.clock.now += timedelta(days=7)
    late = evaluation_stage(tender["id"], tender["ocid"])  # the redelivered scores_complete run, after the end
    assert late["applied"] == ["end_standstill"] and late["status"] == "active.contract_pending"
    platform.pump()

    decided = award_stage(tender["id"], tender["ocid"])

    assert len(decided["contracts"]) == 2
    contracts = platform.call("GET", "contracting", f"/tenders/{tender['id']}/contracts", people["authority"]).json()
    assert len(contracts) == 2
