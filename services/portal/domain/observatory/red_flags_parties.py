"""Red flags about parties: R038 (a buyer's or a bidder's disqualification rate is an outlier) and R044
(bidders of one call sharing an address, telephone, e-mail or bank account).

Both need facts the platform does not publish yet: R038 the bids' statuses (bid extension ``bids.details``),
R044 the parties' ``address``, ``contactPoint`` and ``details.bankAccounts``. They compute from whatever is
published and name what is missing, so they light up when the publisher adds those fields.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from services.portal.domain.observatory.ocds_read import Call, Party
from services.portal.domain.observatory.red_flags import FlaggedCall, FlagRules, RedFlag, missing_bids
from services.portal.domain.observatory.stats import rounded, share, upper_fence

CONTACT_FACTS = ("address", "telephones", "emails", "bank_accounts")


def _tally(calls: list[Call]) -> dict[tuple[str, str], list]:
    """(kind, party) -> [bids, disqualified bids, ocids with a disqualification] over calls with bids published."""
    tally: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0, set()])
    for call in calls:
        for bid in call.bids or ():
            if bid.status == "withdrawn":
                continue
            for key in [("buyer", call.buyer_id or "?"), *(("bidder", t) for t in bid.tenderer_ids)]:
                tally[key][0] += 1
                if bid.status == "disqualified":
                    tally[key][1] += 1
                    tally[key][2].add(call.ocid)
    return tally


def disqualification_outliers(calls: list[Call], rules: FlagRules) -> RedFlag:
    """R038: a party's disqualified / bids above Q3 + 1.5 x IQR of the rates of its kind (buyers, bidders)."""
    tally = _tally(calls)
    flagged, fences = [], {}
    for kind in ("buyer", "bidder"):
        rates = {
            party: share(disqualified, bids)
            for (k, party), (bids, disqualified, _ocids) in tally.items()
            if k == kind and bids >= rules.outlier_minimum_bids
        }
        fence = upper_fence(list(rates.values()), rules.outlier_minimum_points)
        fences[kind] = None if fence is None else str(rounded(fence, "0.0001"))
        for party, rate in sorted(rates.items()):
            if fence is not None and rate > fence:
                bids, disqualified, ocids = tally[(kind, party)]
                detail = (
                    f"{kind} {party}: {disqualified} of {bids} bids disqualified ({rate} > {rounded(fence, '0.0001')})"
                )
                facts = {"kind": kind, "party": party, "disqualified": disqualified, "bids": bids, "rate": str(rate),
                         "fence": str(rounded(fence, "0.0001"))}  # fmt: skip
                flagged += [FlaggedCall(ocid, detail, facts) for ocid in sorted(ocids)]
    return RedFlag(
        "R038",
        "Disqualification rate an outlier",
        "A buyer's (or a bidder's) share of disqualified bids (bids.details.status) is above Q3 + 1.5 x IQR of "
        "all buyers' (bidders') shares; with fewer parties than the minimum nothing is an outlier.",
        ("bids.details.status", "bids.details.tenderers", "buyer.id"),
        missing_bids(calls),
        {"minimum_points": rules.outlier_minimum_points, "minimum_bids": rules.outlier_minimum_bids, "fences": fences},
        sum(1 for call in calls if call.bids),
        tuple(flagged),
    )


def _bidders(call: Call) -> list[str]:
    named = [*call.tenderer_ids, *(t for bid in call.bids or () for t in bid.tenderer_ids)]
    return sorted({party for party in named if party in call.parties})


def _facts(party: Party, fact: str) -> set[str]:
    found = getattr(party, fact)
    return {found} if isinstance(found, str) else set(found or ())


def _shared(call: Call, first: str, second: str) -> list[str]:
    one, other = call.parties[first], call.parties[second]
    return [fact for fact in CONTACT_FACTS if _facts(one, fact) & _facts(other, fact)]


def shared_contacts(calls: list[Call]) -> RedFlag:
    """R044: two different bidders of the same call share an address, telephone, e-mail or bank account."""
    flagged, checked, any_contact = [], 0, False
    for call in calls:
        bidders = _bidders(call)
        known = [p for p in bidders if any(getattr(call.parties[p], fact) for fact in CONTACT_FACTS)]
        any_contact = any_contact or bool(known)
        if len(bidders) < 2:
            continue
        checked += 1
        for first, second in combinations(bidders, 2):
            shared = _shared(call, first, second)
            if shared:
                facts = {"first": first, "second": second, "shared": list(shared)}
                flagged.append(FlaggedCall(call.ocid, f"{first} and {second} share {', '.join(shared)}", facts))
    missing = () if any_contact else ("parties.address", "parties.contactPoint", "parties.details.bankAccounts")
    return RedFlag(
        "R044",
        "Bidders share contact details",
        "Two different tenderers of the same call (tender.tenderers or bids.details.tenderers) have the same "
        "address, telephone, e-mail or bank account in parties (compared lower-cased, phones as digits).",
        ("tender.tenderers", "parties.address", "parties.contactPoint", "parties.details.bankAccounts"),
        missing,
        {},
        checked,
        tuple(flagged),
    )
