"""Why a red flag raised a call, said in the page's language from the flag's own figures (``FlaggedCall.facts``);
the English ``detail`` the CLI prints is the fallback for a flag this page does not know how to word."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext, ngettext

from services.common.reference_data import district_name, service_name
from services.portal.domain.observatory.ocds_read import Call
from services.portal.domain.observatory.red_flags import FlaggedCall


def _contact_fact(fact: str) -> str:
    return {
        "address": gettext("the address"),
        "telephones": gettext("a telephone"),
        "emails": gettext("an e-mail address"),
        "bank_accounts": gettext("a bank account"),
    }.get(fact, fact)


def _party(call: Call | None, party_id: str) -> str:
    party = call.parties.get(party_id) if call else None
    return party.name if party and party.name else party_id


def flag_reason(code: str, flagged: FlaggedCall, call: Call | None, language: str, number_text) -> str:
    """``number_text(value, places)`` writes a number the page's way (``1 234,5`` in ro/ru)."""
    facts = flagged.facts
    if not facts:
        return flagged.detail
    if code == "R003":
        return gettext(
            "%(days)s days to submit, fewer than the %(minimum)s days its procedure requires",
            days=number_text(Decimal(facts["days"]), 1),
            minimum=number_text(Decimal(facts["minimum"]), 1),
        )
    if code == "R018":
        return gettext("a single bid")
    if code == "R035":
        return ngettext(
            "%(num)d of %(bids)d bids disqualified, every one but the winner's",
            "%(num)d of %(bids)d bids disqualified, every one but the winner's",
            facts["disqualified"],
            bids=facts["bids"],
        )
    if code == "R038":
        whom = _party(call, facts["party"])
        if facts["kind"] == "buyer":
            return gettext(
                "the buyer %(party)s disqualified %(num)s of %(bids)s bids, above the usual %(fence)s",
                party=whom, num=facts["disqualified"], bids=facts["bids"],
                fence=number_text(Decimal(facts["fence"]) * 100, 1) + " %",
            )  # fmt: skip
        return gettext(
            "%(party)s had %(num)s of %(bids)s bids disqualified, above the usual %(fence)s",
            party=whom, num=facts["disqualified"], bids=facts["bids"],
            fence=number_text(Decimal(facts["fence"]) * 100, 1) + " %",
        )  # fmt: skip
    if code == "R044":
        return gettext(
            "%(first)s and %(second)s share %(facts)s",
            first=_party(call, facts["first"]),
            second=_party(call, facts["second"]),
            facts=", ".join(_contact_fact(fact) for fact in facts["shared"]),
        )
    if code == "INCUMBENCY":
        return gettext(
            "%(supplier)s won all %(calls)s calls with an award for %(service)s in %(district)s",
            supplier=_party(call, facts["supplier"]),
            calls=facts["calls"],
            service=service_name(facts["service_type"], language),
            district=district_name(facts["district_code"], language),
        )
    if code == "PRICE":
        return gettext(
            "contract %(contract)s: %(price)s lei a place per year, %(ratio)s times the reference cost of "
            "%(reference)s lei",
            contract=facts["contract"],
            price=number_text(Decimal(facts["price"]), 2),
            ratio=number_text(Decimal(facts["ratio"]), 2),
            reference=number_text(Decimal(facts["reference"]), 2),
        )
    return flagged.detail
