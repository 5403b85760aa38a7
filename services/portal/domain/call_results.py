"""A call's outcome as its public page shows it: the ranking with scores per criterion, the awards and contracts.

The ranking names providers by their registry id; OCDS names suppliers by their IDNO (party id MD-IDNO-…). A
supplier is linked to its provider page when the ranking or a registry lookup by IDNO tells its registry id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from services.portal.domain.call_terms import Criterion, Lot
from services.portal.domain.money import as_decimal

IDNO_PREFIX = "MD-IDNO-"
# Awards that stand (or will, once the standstill ends): their suppliers are the winners
STANDING_AWARDS = ("pending", "active")


@dataclass(frozen=True)
class Supplier:
    name: str
    idno: str | None
    provider_id: int | None


@dataclass(frozen=True)
class RankingRow:
    rank: int | None
    provider_id: int | None
    name: str
    price: Decimal | None
    places: int | None
    scores: tuple[Decimal | None, ...]  # in the order of the call's criteria
    total: Decimal | None
    result: str
    reason: str | None
    winner: bool


@dataclass(frozen=True)
class LotRanking:
    lot_number: int | None
    title: str
    rows: tuple[RankingRow, ...]


@dataclass(frozen=True)
class Award:
    award_id: str
    lot_id: int | None
    lot_number: int | None
    supplier: Supplier | None
    value: Decimal | None
    places: int | None
    status: str
    date: str | None

    @property
    def standing(self) -> bool:
        return self.status in STANDING_AWARDS


@dataclass(frozen=True)
class Contract:
    contract_id: str
    supplier: Supplier | None
    lot_number: int | None
    value: Decimal | None
    places: int | None
    starts: str | None
    ends: str | None
    signed_at: str | None
    status: str
    # (when, why) of each change to the signed contract, such as a renewal
    amendments: tuple[tuple[str | None, str], ...] = ()


def _names_to_ids(ranking: dict | None) -> dict[str, int]:
    return {
        bid["legal_name"]: bid["provider_id"]
        for lot in (ranking or {}).get("lots") or []
        for bid in lot.get("bids") or []
        if bid.get("legal_name") and bid.get("provider_id") is not None
    }


def _idno(compiled: dict, party_id: str | None) -> str | None:
    party = next((party for party in compiled.get("parties") or [] if party.get("id") == party_id), {})
    identifier = party.get("identifier") or {}
    if identifier.get("scheme") == "MD-IDNO" and identifier.get("id"):
        return identifier["id"]
    return party_id.removeprefix(IDNO_PREFIX) if party_id and party_id.startswith(IDNO_PREFIX) else None


def suppliers_to_look_up(record: dict, ranking: dict | None) -> list[str]:
    """IDNOs of the suppliers the ranking does not name (their registry id must be asked of the registry)."""
    compiled = record.get("compiled_release") or {}
    known = _names_to_ids(ranking)
    wanted = []
    for award in compiled.get("awards") or []:
        for supplier in award.get("suppliers") or []:
            idno = _idno(compiled, supplier.get("id"))
            if idno and supplier.get("name") not in known and idno not in wanted:
                wanted.append(idno)
    return wanted


def _lot_id(items: list[dict] | None) -> int | None:
    for item in items or []:
        number = str(item.get("id") or "").removeprefix("lot-")
        if number.isdigit():
            return int(number)
    return None


def _places(items: list[dict] | None) -> int | None:
    quantities = [item["quantity"] for item in items or [] if item.get("quantity") is not None]
    return sum(quantities) if quantities else None


def awards_of(
    compiled: dict, lots: Iterable[Lot], ranking: dict | None, provider_ids: dict[str, int]
) -> tuple[Award, ...]:
    lot_numbers = {lot.lot_id: lot.number for lot in lots if lot.lot_id is not None}
    by_name = _names_to_ids(ranking)
    found = []
    for award in compiled.get("awards") or []:
        named = (award.get("suppliers") or [None])[0]
        supplier = None
        if named:
            idno = _idno(compiled, named.get("id"))
            name = named.get("name") or ""
            supplier = Supplier(name, idno, provider_ids.get(idno or "") or by_name.get(name))
        lot_id = _lot_id(award.get("items"))
        found.append(
            Award(
                award_id=str(award.get("id")),
                lot_id=lot_id,
                lot_number=lot_numbers.get(lot_id),
                supplier=supplier,
                value=as_decimal((award.get("value") or {}).get("amount")),
                places=_places(award.get("items")),
                status=award.get("status") or "",
                date=award.get("date"),
            )
        )
    return tuple(found)


def contracts_of(compiled: dict, awards: tuple[Award, ...]) -> tuple[Contract, ...]:
    by_id = {award.award_id: award for award in awards}
    found = []
    for contract in compiled.get("contracts") or []:
        award = by_id.get(str(contract.get("awardID")))
        period = contract.get("period") or {}
        found.append(
            Contract(
                contract_id=str(contract.get("id")),
                supplier=award.supplier if award else None,
                lot_number=award.lot_number if award else None,
                value=as_decimal((contract.get("value") or {}).get("amount")),
                places=_places(contract.get("items")),
                starts=period.get("startDate"),
                ends=period.get("endDate"),
                signed_at=contract.get("dateSigned"),
                status=contract.get("status") or "",
                amendments=tuple(
                    (change.get("date"), change.get("rationale") or "") for change in contract.get("amendments") or []
                ),
            )
        )
    return tuple(found)


def ranking_of(
    ranking: dict | None, criteria: Iterable[Criterion], awards: tuple[Award, ...]
) -> tuple[LotRanking, ...]:
    """Each lot's bids, best first, with their scores in the criteria's order; winners are standing awards'."""
    if not ranking:
        return ()
    criterion_ids = [str(criterion.criterion_id) for criterion in criteria]
    winners = {(award.lot_id, award.supplier.name) for award in awards if award.standing and award.supplier is not None}
    lots = []
    for lot in ranking.get("lots") or []:
        bids = sorted(lot.get("bids") or [], key=lambda bid: (bid.get("rank") is None, bid.get("rank") or 0))
        rows = tuple(
            RankingRow(
                rank=bid.get("rank"),
                provider_id=bid.get("provider_id"),
                name=bid.get("legal_name") or "",
                price=as_decimal(bid.get("price")),
                places=bid.get("places"),
                scores=tuple(as_decimal((bid.get("criterion_scores") or {}).get(key)) for key in criterion_ids),
                total=as_decimal(bid.get("total_score")),
                result=bid.get("result") or "",
                reason=bid.get("reason"),
                winner=(lot.get("lot_id"), bid.get("legal_name")) in winners,
            )
            for bid in bids
        )
        lots.append(LotRanking(lot.get("number"), lot.get("title") or "", rows))
    return tuple(lots)
