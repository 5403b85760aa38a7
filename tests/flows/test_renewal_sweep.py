"""The renewal sweep against the real services over HTTP: two contracts enter their notice window, one performs
(renewal proposed, confirmed, its alert restored), one does not (successor call published once); run twice,
it proposes, re-tenders and alerts nothing twice, and it leaves its summary artifacts in Prefect.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from sqlalchemy import select

from flows.award_stage import award_stage
from flows.evaluation_stage import evaluation_stage
from flows.renewal_sweep import renewal_sweep
from flows.scheduling import TenderRef, pending_runs
from flows.tender_stage import tender_stage
from services.common.bus.envelope import Envelope
from services.common.quality_standards import checklist_for
from services.contracting.adapters.orm import OutboxMessage
from tests.flows.test_stage_flows import bid_and_score, publish_tender, score_everything, seed_people


def signed_contracts(platform, people) -> list[dict]:
    """A call taken through the stage flows to two contracts, reported quarterly and signed by both sides."""
    tender = publish_tender(platform, people)
    tender_stage(tender["id"], tender["ocid"])
    bid_and_score(platform, people, tender)
    platform.clock.now += timedelta(days=11)
    evaluation_stage(tender["id"], tender["ocid"])
    score_everything(platform, people, tender)
    evaluation_stage(tender["id"], tender["ocid"])
    platform.clock.now += timedelta(days=7)
    award_stage(tender["id"], tender["ocid"], phase="standstill_end")
    contracts = platform.call("GET", "contracting", f"/tenders/{tender['id']}/contracts", people["authority"]).json()
    assert len(contracts) == 2
    signers = dict(zip(people["providers"], people["csos"], strict=True))
    for contract in contracts:
        path = f"/contracts/{contract['id']}"
        edit = {"milestone_frequency": "quarterly", "reason": "raportare trimestrială convenită"}
        assert platform.call("PATCH", "contracting", path, people["authority"], json=edit).status_code == 200
        for headers in (people["authority"], signers[contract["provider_id"]]):
            assert platform.call("POST", "contracting", f"{path}/sign", headers).status_code == 200
    return [platform.call("GET", "contracting", f"/contracts/{c['id']}", people["authority"]).json() for c in contracts]


def report_quarters(platform, people, contract: dict, share: float) -> None:
    """The CSO files every quarter begun so far with ``share`` of the places served; the authority accepts."""
    cso = dict(zip(people["providers"], people["csos"], strict=True))[contract["provider_id"]]
    for milestone in contract["milestones"]:
        if datetime.fromisoformat(milestone["period_end"]) > platform.clock.now:
            break
        body = {
            "milestone_number": milestone["number"],
            "beneficiaries_served": int(contract["places"] * share),
            "narrative": "Servicii prestate conform planurilor individuale.",
            "standards": [{"code": code, "status": "met"} for code in checklist_for(contract["service_type"]).codes],
        }
        path = f"/contracts/{contract['id']}/reports"
        filed = platform.call("POST", "contracting", path, cso, json=body)
        assert filed.status_code == 201, filed.text
        accepted = platform.call("POST", "contracting", f"{path}/{filed.json()['id']}/accept", people["authority"])
        assert accepted.status_code == 200, accepted.text


def events(platform, event_type: str) -> list[Envelope]:
    """What contracting committed to its outbox, of one type."""
    with platform.context("contracting").session_factory() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [e for e in (Envelope.from_dict(row.body) for row in rows) if e.type == event_type]


def latest_artifact(key: str):
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])), limit=50)
    return max(found, key=lambda artifact: artifact.created)


def test_the_sweep_renews_the_good_contract_retenders_the_weak_one_and_repeats_harmlessly(platform):
    people = seed_people(platform)
    good, weak = signed_contracts(platform, people)
    end = datetime.fromisoformat(good["end_at"])
    platform.clock.now = end - timedelta(days=80)  # inside the 90-day notice window
    report_quarters(platform, people, good, share=1.0)
    report_quarters(platform, people, weak, share=0.5)

    first = renewal_sweep()
    second = renewal_sweep()

    outcomes = {d["contract_id"]: d["outcome"] for d in first["decisions"]}
    assert outcomes[good["id"]].startswith("renewal of 12 month(s) proposed")
    assert "published (on time)" in outcomes[weak["id"]]
    repeated = {d["contract_id"]: d["outcome"] for d in second["decisions"]}
    assert repeated[good["id"]] == "renewal proposal awaits the authority's decision"
    assert "already running" in repeated[weak["id"]]
    assert len(events(platform, "contract.renewal_proposed")) == 1
    successors = [e for e in events(platform, "tender.published") if e.payload["tender_id"] != good["tender_id"]]
    assert len(successors) == 1, "one successor call however often the sweep runs"
    # The proposal is no cover until the authority confirms it: the good contract is at risk, once.
    assert [r["contract_id"] for r in first["raised"]] == [good["id"]] and second["raised"] == []
    assert [(row["district"], row["contracts"]) for row in first["at_risk"]] == [("MD-CU", str(good["id"]))]
    assert str(good["id"]) in latest_artifact("renewal-sweep").data

    confirm = f"/contracts/{good['id']}/renewal/confirm"
    assert platform.call("POST", "contracting", confirm, people["authority"], json={}).status_code == 200
    after = renewal_sweep()

    assert after["restored"] == [good["id"]] and after["at_risk"] == []
    assert [d["contract_id"] for d in after["decisions"]] == [weak["id"]], "renewed: out of the notice window"
    assert latest_artifact("continuity-at-risk").data == "[]"


def test_the_sweep_runs_a_missed_deadline_stage_again_once(platform):
    people = seed_people(platform)
    platform.clock.now -= timedelta(days=40)  # published long ago: its deadlines are weeks past
    tender = publish_tender(platform, people)
    platform.clock.now += timedelta(days=40)
    ref = TenderRef(tender["id"], tender["ocid"], "MD-CU", "home-care")  # its stage runs never happened

    first, second = renewal_sweep(), renewal_sweep()

    assert len(first["caught_up"]) == 1 and "active.enquiries since" in first["caught_up"][0]
    assert len(second["caught_up"]) == 1
    pending = pending_runs(ref, "evaluation-stage")
    assert len(pending) == 1, "one pending run however often the sweep runs"
    assert abs(pending[0].expected_start_time - datetime.now(UTC)) < timedelta(minutes=2), "due now"
