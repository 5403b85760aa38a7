"""Hand-made OCDS compiled releases in the shape the platform publishes them (see services/contracting/domain/
ocds*.py), small enough that every indicator's answer is known; shared by the observatory's unit tests."""

from __future__ import annotations

from datetime import UTC, datetime

AS_OF = datetime(2027, 6, 1, tzinfo=UTC)


def supplier_id(number: int) -> str:
    return f"MD-IDNO-10036000000{number:02d}"


def party(number: int, *roles: str, **contact) -> dict:
    found = {
        "id": supplier_id(number),
        "name": f"AO Grija {number}",
        "identifier": {"scheme": "MD-IDNO", "id": f"10036000000{number:02d}", "legalName": f"AO Grija {number}"},
        "roles": list(roles or ("tenderer",)),
    }
    return {**found, **contact}


def award(award_id: str, supplier: int, status: str = "active", value=120000, places=10, date="2027-01-20"):
    return {
        "id": award_id,
        "status": status,
        "date": f"{date}T09:00:00Z",
        "value": {"amount": value, "currency": "MDL"},
        "suppliers": [{"id": supplier_id(supplier), "name": f"AO Grija {supplier}"}],
        "items": [{"id": "lot-1", "quantity": places}],
    }


def contract(contract_id: str, award_id: str, start: str, end: str, value=120000, places=10, status="active", **more):
    found = {
        "id": contract_id,
        "awardID": award_id,
        "status": status,
        "period": {"startDate": f"{start}T00:00:00Z", "endDate": f"{end}T00:00:00Z"},
        "value": {"amount": value, "currency": "MDL"},
        "items": [{"id": "lot-1", "quantity": places, "unit": {"name": "place"}}],
    }
    if status in ("active", "terminated"):
        found["dateSigned"] = more.pop("signed", f"{start}T00:00:00Z")
    return {**found, **more}


def call(
    number: int,
    district: str = "MD-CU",
    service: str = "home-care",
    status: str = "complete",
    published: str = "2027-01-01T09:00:00Z",
    deadline: str | None = "2027-01-16T09:00:00Z",
    bidders: tuple[int, ...] | None = (1, 2),
    awards: tuple[dict, ...] = (),
    contracts: tuple[dict, ...] = (),
    **more,
) -> dict:
    """A compiled release: ``bidders`` None means the submissions have not closed (no numberOfTenderers)."""
    buyer = {"id": f"{district}-DAS", "name": f"Direcția Asistență Socială {district}"}
    tender = {
        "id": str(number),
        "title": f"Call {number}",
        "status": status,
        "procuringEntity": buyer,
        "procurementMethod": more.pop("method", "selective"),
        "tenderPeriod": {"startDate": published, **({"endDate": deadline} if deadline else {})},
        "items": [
            {
                "id": "lot-1",
                "additionalClassifications": [{"scheme": "X-SSCP-SERVICE", "id": service}],
                "quantity": 10,
                "unit": {"name": "place"},
            }
        ],
        "value": {"amount": 150000, "currency": "MDL"},
    }
    parties = [{**buyer, "roles": ["buyer", "procuringEntity"]}]
    if bidders is not None:
        tender["numberOfTenderers"] = len(bidders)
        tender["tenderers"] = [{"id": supplier_id(b), "name": f"AO Grija {b}"} for b in bidders]
        winners = {s["id"] for a in awards for s in a["suppliers"]}
        parties += [
            party(b, "tenderer", "supplier") if supplier_id(b) in winners else party(b, "tenderer") for b in bidders
        ]
    tender.update(more.pop("tender", {}))
    release = {
        "ocid": f"ocds-sscp01-{number}",
        "id": f"ocds-sscp01-{number}-compiled",
        "date": published,
        "tag": ["compiled"],
        "buyer": buyer,
        "tender": tender,
        "parties": more.pop("parties", parties),
        "awards": list(awards),
        "contracts": list(contracts),
    }
    return {**release, **more}


def retender_of(predecessor: int) -> dict:
    return {"relatedProcesses": [{"id": f"ocds-sscp01-{predecessor}", "relationship": ["prior"], "scheme": "ocid",
                                  "identifier": f"ocds-sscp01-{predecessor}"}]}  # fmt: skip
