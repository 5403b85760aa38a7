"""Red flags over calls (OCDS red-flag guide codes where one exists): each states its definition, the OCDS
fields it uses, what of them the platform does not publish, its parameters, how many calls it could test and
the calls it flags. R038 and R044 (about parties) live in ``red_flags_parties``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from services.portal.domain.observatory.competition import bid_count
from services.portal.domain.observatory.ocds_read import Call
from services.portal.domain.observatory.reference import ReferenceCosts
from services.portal.domain.observatory.spending import annual_value, contract_year
from services.portal.domain.observatory.stats import rounded, share

DAY_SECONDS = Decimal(86400)


@dataclass(frozen=True)
class FlagRules:
    """The flags' parameters. Submission periods default to the platform's own minimum (5 days of enquiries +
    10 of tendering); set them from the law of each procedure where it differs."""

    # procurementMethod -> minimum days (fractions allowed: the demo compresses days into seconds)
    min_submission_days: dict[str, Decimal | int] = field(default_factory=lambda: {"selective": 15, "open": 15})
    default_min_submission_days: Decimal | int = 15
    outlier_minimum_points: int = 4  # parties with a rate needed before anything is called an outlier
    outlier_minimum_bids: int = 1  # bids a party needs for its rate to count
    incumbency_minimum_calls: int = 2
    price_band: tuple[Decimal, Decimal] = (Decimal("0.7"), Decimal("1.3"))


@dataclass(frozen=True)
class FlaggedCall:
    """A call a flag raises, why in plain English (``detail``, as the CLI prints it) and the same reason's figures
    (``facts``, plain strings and numbers) so that a page can say it in its reader's language."""

    ocid: str
    detail: str
    facts: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class RedFlag:
    code: str
    title: str
    definition: str
    uses: tuple[str, ...]
    missing: tuple[str, ...]  # fields it uses that the platform's OCDS does not carry (empty: all published)
    parameters: dict
    checked: int  # calls (or contracts) the test could be applied to
    flagged: tuple[FlaggedCall, ...]


def missing_bids(calls: list[Call]) -> tuple[str, ...]:
    """The bid extension's details, when no call publishes them (the platform publishes only their count)."""
    return ("bids.details",) if all(call.bids is None for call in calls) else ()


def short_submission_period(calls: list[Call], rules: FlagRules) -> RedFlag:
    """R003: the days from publication to the submission deadline are fewer than the procedure's minimum."""
    flagged, checked = [], 0
    for call in calls:
        if call.published is None or call.deadline is None:
            continue
        checked += 1
        minimum = rules.min_submission_days.get(call.method or "", rules.default_min_submission_days)
        days = rounded(Decimal((call.deadline - call.published).total_seconds()) / DAY_SECONDS, "0.1")
        if days < minimum:
            facts = {"days": str(days), "minimum": str(minimum), "method": call.method or ""}
            detail = f"{days} days to submit, fewer than {minimum} ({call.method})"
            flagged.append(FlaggedCall(call.ocid, detail, facts))
    return RedFlag(
        "R003",
        "Short submission period",
        "Days from tender.tenderPeriod.startDate to tender.tenderPeriod.endDate are fewer than the minimum set "
        "for the call's tender.procurementMethod.",
        ("tender.tenderPeriod.startDate", "tender.tenderPeriod.endDate", "tender.procurementMethod"),
        (),
        {
            "min_submission_days": {method: str(days) for method, days in rules.min_submission_days.items()},
            "default": str(rules.default_min_submission_days),
        },
        checked,
        tuple(flagged),
    )


def single_bid(calls: list[Call]) -> RedFlag:
    """R018: a call that received exactly one bid."""
    counted = [(call, bid_count(call)) for call in calls if bid_count(call) is not None]
    return RedFlag(
        "R018",
        "Single bid received",
        "The call received exactly one bid (tender.numberOfTenderers = 1, or one non-withdrawn bid in "
        "bids.details); calls whose submissions have not closed are not tested.",
        ("tender.numberOfTenderers", "bids.details"),
        (),
        {},
        len(counted),
        tuple(FlaggedCall(call.ocid, "1 bid", {"bids": 1}) for call, count in counted if count == 1),
    )


def all_but_winner_disqualified(calls: list[Call]) -> RedFlag:
    """R035: at least two bids, and every bid but the winner's disqualified (needs the bid extension)."""
    flagged, checked = [], 0
    for call in calls:
        if call.bids is None or not call.winners:
            continue
        standing = [bid for bid in call.bids if bid.status != "withdrawn"]
        winning = [bid for bid in standing if set(bid.tenderer_ids) & set(call.winners)]
        others = [bid for bid in standing if bid not in winning]
        if not winning or not others:
            continue
        checked += 1
        if all(bid.status == "disqualified" for bid in others):
            facts = {"disqualified": len(others), "bids": len(standing)}
            flagged.append(FlaggedCall(call.ocid, f"{len(others)} of {len(standing)} bids disqualified", facts))
    return RedFlag(
        "R035",
        "All bids but the winner's disqualified",
        "A call with at least two bids (bids.details, withdrawn ones left out) where every bid other than the "
        "awarded supplier's has status 'disqualified'.",
        ("bids.details.status", "bids.details.tenderers", "awards.suppliers", "awards.status"),
        missing_bids(calls),
        {},
        checked,
        tuple(flagged),
    )


def incumbency(calls: list[Call], rules: FlagRules) -> RedFlag:
    """The same supplier won every awarded call of a district x service (at least the minimum number of calls)."""
    groups: dict[tuple, list[Call]] = defaultdict(list)
    for call in calls:
        if call.winners:
            groups[(call.district_code, call.service_type)].append(call)
    flagged, checked = [], 0
    for (district, service), awarded in sorted(groups.items(), key=lambda kv: tuple(map(str, kv[0]))):
        if len(awarded) < rules.incumbency_minimum_calls:
            continue
        checked += len(awarded)
        always = set.intersection(*(set(call.winners) for call in awarded))
        for supplier in sorted(always):
            detail = f"{supplier} won all {len(awarded)} awarded calls for {service} in {district}"
            facts = {"supplier": supplier, "calls": len(awarded), "service_type": service, "district_code": district}
            flagged += [FlaggedCall(call.ocid, detail, facts) for call in awarded]
    return RedFlag(
        "INCUMBENCY",
        "Same winner every time",
        "In a district x service type with at least the minimum number of calls with a live award, one supplier "
        "is among the winners of every one of them (calls without an award are not counted).",
        ("buyer.id", "tender.items.additionalClassifications", "awards.status", "awards.suppliers"),
        (),
        {"minimum_calls": rules.incumbency_minimum_calls},
        checked,
        tuple(flagged),
    )


def price_off_reference(calls: list[Call], references: ReferenceCosts, rules: FlagRules) -> RedFlag:
    """A contract's annual price per place is below or above the band around the reference cost."""
    low, high = rules.price_band
    flagged, checked = [], 0
    for call in calls:
        for contract in call.contracts:
            annual = annual_value(contract)
            reference = references.find(call.service_type, call.district_code, contract_year(contract))
            if contract.status == "cancelled" or annual is None or not contract.places or reference is None:
                continue
            checked += 1
            ratio = share(annual / contract.places, reference.amount)
            if ratio is not None and not low <= ratio <= high:
                price = rounded(annual / contract.places)
                detail = f"contract {contract.id}: {price} per place-year = {ratio} x reference {reference.amount}"
                facts = {"contract": contract.id, "price": str(price), "ratio": str(ratio),
                         "reference": str(reference.amount)}  # fmt: skip
                flagged.append(FlaggedCall(call.ocid, detail, facts))
    return RedFlag(
        "PRICE",
        "Price far from the reference cost",
        "A contract's value x 12 / its months / its places, divided by the reference cost per place per year of "
        "its service type, district and year, falls outside the band.",
        ("contracts.value", "contracts.period", "contracts.items.quantity", "reference costs"),
        ("reference cost per beneficiary (not published in OCDS; passed in)",),
        {"band": [str(low), str(high)]},
        checked,
        tuple(flagged),
    )
