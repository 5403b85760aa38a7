"""A small hand-made history for the observatory's pages, as contracting's feed serves it (individual releases):
five calls in Chișinău, Orhei and Bălți whose every figure is known (see each line)."""

from __future__ import annotations

from tests.portal.unit.observatory_releases import AS_OF, award, call, contract, retender_of

REFERENCE_COSTS = [
    {"service_type": "home-care", "district_code": "*", "year": 2027, "amount": "9500.00", "currency": "MDL",
     "source": "HG 2027", "version": 1, "updated_at": "2027-01-01T00:00:00Z"},
]  # fmt: skip


def compiled_releases() -> list[dict]:
    complained = {**award("a1", 1, date="2026-06-20"), "complaints": [{"id": "k1", "status": "rejected"}]}
    return [
        # Chișinău home care: 2 bids, a contract ending 19 days after AS_OF with no successor (at risk, 30 days).
        call(1, published="2026-06-01T09:00:00Z", deadline="2026-06-16T09:00:00Z", awards=(complained,),
             contracts=(contract("c1", "a1", "2026-06-21", "2027-06-20", value=114000, places=10),)),
        # Orhei home care 2026: a single bid, won by CSO 3; its contract ended.
        call(2, district="MD-OR", published="2026-01-05T09:00:00Z", deadline="2026-01-20T09:00:00Z", bidders=(3,),
             awards=(award("a2", 3, date="2026-02-01"),),
             contracts=(contract("c2", "a2", "2026-02-01", "2027-01-31", value=95000, places=10),)),
        # Orhei home care 2027, the re-tender: again one bid, again CSO 3 (incumbency), in force a year.
        call(3, district="MD-OR", published="2027-01-02T09:00:00Z", deadline="2027-01-17T09:00:00Z", bidders=(3,),
             awards=(award("a3", 3, date="2027-01-25"),),
             contracts=(contract("c3", "a3", "2027-02-01", "2028-01-31", value=120000, places=10),),
             **retender_of(2)),
        # Chișinău respite care: no bid, unsuccessful.
        call(4, service="respite-care", status="unsuccessful", published="2027-02-01T09:00:00Z",
             deadline="2027-02-16T09:00:00Z", bidders=()),
        # Bălți day centre: cancelled before its opening.
        call(5, district="MD-BA", service="day-centre", status="cancelled", published="2027-03-01T09:00:00Z",
             deadline="2027-03-16T09:00:00Z", bidders=None),
    ]  # fmt: skip


def feed_releases() -> list[dict]:
    """Each compiled release served as one individual release (compiling one release gives it back)."""
    return [{**found, "id": f"{found['ocid']}-r1", "tag": ["tender"]} for found in compiled_releases()]


__all__ = ["AS_OF", "REFERENCE_COSTS", "compiled_releases", "feed_releases"]
