"""A synthetic national history for the observatory benchmark: N processes across the 35 districts, the
service types and four years, in the shape contracting's publisher gives compiled releases (one lot, its
bidders, an award and a signed contract for most; some single-bid, unsuccessful or cancelled)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from services.common.reference_data import DISTRICTS, SERVICE_TYPES

SUPPLIERS = 240
YEARS = (2024, 2025, 2026, 2027)


def supplier(number: int) -> dict:
    return {"id": f"MD-IDNO-{1003600000000 + number}", "name": f"AO Servicii Sociale {number}"}


def compiled_release(number: int, rng: random.Random) -> dict:
    district = DISTRICTS[number % len(DISTRICTS)].code
    service = SERVICE_TYPES[(number // len(DISTRICTS)) % len(SERVICE_TYPES)].code
    published = datetime(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28), 9, tzinfo=UTC)
    deadline = published + timedelta(days=rng.choice((10, 15, 20, 30)))
    places = rng.randint(4, 40)
    budget = places * rng.randint(6000, 14000)
    buyer = {"id": f"{district}-DAS", "name": f"Direcția Asistență Socială {district}"}
    bidders = [supplier(rng.randrange(SUPPLIERS)) for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 3, 4)))]
    bidders = list({b["id"]: b for b in bidders}.values())
    outcome = "cancelled" if rng.random() < 0.03 else ("unsuccessful" if not bidders else "complete")
    tender = {
        "id": str(number),
        "title": f"Serviciu social {number}",
        "status": outcome,
        "procuringEntity": buyer,
        "procurementMethod": "selective",
        "tenderPeriod": {"startDate": _iso(published), "endDate": _iso(deadline)},
        "items": [{"id": "lot-1", "quantity": places, "unit": {"name": "place"},
                   "additionalClassifications": [{"scheme": "X-SSCP-SERVICE", "id": service}]}],
        "value": {"amount": budget, "currency": "MDL"},
        "numberOfTenderers": len(bidders),
        "tenderers": bidders,
    }  # fmt: skip
    parties = [{**buyer, "roles": ["buyer", "procuringEntity"]}] + [{**b, "roles": ["tenderer"]} for b in bidders]
    awards, contracts = [], []
    if outcome == "complete":
        winner = bidders[0]
        parties[1]["roles"].append("supplier")
        value = round(budget * rng.uniform(0.8, 1.0), 2)
        signed = deadline + timedelta(days=rng.randint(20, 40))
        awards.append({"id": f"award-{number}", "status": "active", "date": _iso(deadline + timedelta(days=15)),
                       "value": {"amount": value, "currency": "MDL"}, "suppliers": [winner],
                       "items": [{"id": "lot-1", "quantity": places}]})  # fmt: skip
        contracts.append({"id": f"contract-{number}", "awardID": f"award-{number}", "status": "active",
                          "dateSigned": _iso(signed), "value": {"amount": value, "currency": "MDL"},
                          "period": {"startDate": _iso(signed), "endDate": _iso(signed + timedelta(days=365))},
                          "items": [{"id": "lot-1", "quantity": places, "unit": {"name": "place"}}]})  # fmt: skip
    return {
        "ocid": f"ocds-sscp01-{number}",
        "id": f"ocds-sscp01-{number}-compiled",
        "date": _iso(published),
        "tag": ["compiled"],
        "buyer": buyer,
        "tender": tender,
        "parties": parties,
        "awards": awards,
        "contracts": contracts,
    }


def national_history(processes: int, seed: int = 20) -> list[dict]:
    rng = random.Random(seed)
    return [compiled_release(number, rng) for number in range(1, processes + 1)]


def reference_rows() -> list[dict]:
    return [
        {"service_type": s.code, "district_code": "*", "year": year, "amount": str(9000 + 500 * i), "currency": "MDL"}
        for i, s in enumerate(SERVICE_TYPES)
        for year in YEARS
    ]


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
