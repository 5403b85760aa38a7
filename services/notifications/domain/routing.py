"""Which events concern whom: the routing table from event type to audiences, priority and legal weight.

An audience names a way to find recipients from the event (the directory, the payload's fields, the
district's authority, the platform's operators); the service layer resolves it. Exact event types win over
``family.*`` patterns, so ``report.submitted`` can go to the authority while other ``report.*`` go to the CSO.
"""

from __future__ import annotations

from dataclasses import dataclass

# Audiences
ACCREDITED_IN_DISTRICT = "providers_accredited_in_district"  # CSOs accredited for the service, serving the district
PAYLOAD_PROVIDERS = "payload_providers"  # payload provider_id, provider_ids, reconfirm_provider_ids
BIDDERS = "bidders"  # payload bidders: [{provider_id, result, rank, total_score, scores}]
DISTRICT_AUTHORITY = "district_authority"  # the social assistance department of payload district_code
OPERATORS = "operators"  # platform staff

NORMAL = "normal"
LOW = "low"  # may wait for a digest when the recipient asked for one

CHANNELS = ("email", "inbox", "webhook")


@dataclass(frozen=True)
class Route:
    pattern: str
    audiences: tuple[str, ...]
    priority: str = NORMAL
    # A legal notice reaches its recipient whatever their preferences say (procurement law requires it).
    legal: bool = False

    def matches(self, event_type: str) -> bool:
        if self.pattern.endswith(".*"):
            return event_type.startswith(self.pattern[:-1])
        return event_type == self.pattern


ROUTES: tuple[Route, ...] = (
    Route("tender.published", (ACCREDITED_IN_DISTRICT,), priority=LOW),
    Route("tender.invitation_sent", (PAYLOAD_PROVIDERS,)),
    Route("tender.question_answered", (ACCREDITED_IN_DISTRICT,), priority=LOW),
    Route("tender.amended", (ACCREDITED_IN_DISTRICT, PAYLOAD_PROVIDERS)),
    Route("tender.cancelled", (ACCREDITED_IN_DISTRICT, PAYLOAD_PROVIDERS), legal=True),
    Route("tender.unsuccessful", (BIDDERS, DISTRICT_AUTHORITY), legal=True),  # nobody won, and why
    Route("bid.*", (PAYLOAD_PROVIDERS,)),  # receipts: submitted, modified, reconfirmed, withdrawn
    Route("award.decided", (BIDDERS,), legal=True),
    Route("award.cancelled", (PAYLOAD_PROVIDERS, DISTRICT_AUTHORITY), legal=True),
    Route("complaint.upheld", (DISTRICT_AUTHORITY, PAYLOAD_PROVIDERS), legal=True),
    Route("complaint.rejected", (DISTRICT_AUTHORITY, PAYLOAD_PROVIDERS), legal=True),
    Route("complaint.*", (DISTRICT_AUTHORITY, PAYLOAD_PROVIDERS)),
    # A call's document: the bidders and the CSOs that asked a question (payload provider_ids), when it replaces one.
    Route("document.added", (PAYLOAD_PROVIDERS,)),
    Route("contract.document_added", (PAYLOAD_PROVIDERS,)),  # the CSO party; the department attached it
    Route("contract.terminated", (DISTRICT_AUTHORITY, PAYLOAD_PROVIDERS), legal=True),
    Route("contract.*", (DISTRICT_AUTHORITY, PAYLOAD_PROVIDERS)),
    Route("report.submitted", (DISTRICT_AUTHORITY,), priority=LOW),
    Route("report.*", (PAYLOAD_PROVIDERS,)),
    Route("milestone.payable", (DISTRICT_AUTHORITY, PAYLOAD_PROVIDERS)),
    Route("continuity.at_risk", (DISTRICT_AUTHORITY, OPERATORS)),
    Route("continuity.restored", (DISTRICT_AUTHORITY, OPERATORS), priority=LOW),
)


# Every event type a person receives, one template each in ro, ru and en (a test holds every entry to it and
# fails for an event contracting publishes that a route takes but this list lacks).
NOTICES: tuple[str, ...] = (
    "tender.published",
    "tender.invitation_sent",
    "tender.question_answered",
    "tender.amended",
    "tender.cancelled",
    "tender.unsuccessful",
    "bid.submitted",
    "bid.modified",
    "bid.reconfirmed",
    "bid.withdrawn",
    "award.decided",
    "award.cancelled",
    "document.added",
    "complaint.lodged",
    "complaint.upheld",
    "complaint.rejected",
    "contract.created",
    "contract.signed",
    "contract.activated",
    "contract.amended",
    "contract.renewal_proposed",
    "contract.renewed",
    "contract.expiring",
    "contract.expired",
    "contract.cancelled",
    "contract.terminated",
    "contract.document_added",
    "report.submitted",
    "report.accepted",
    "report.returned",
    "milestone.payable",
    "continuity.at_risk",
    "continuity.restored",
)


def route_for(event_type: str) -> Route | None:
    """The route of an event type: an exact pattern first, then the family pattern; None when nobody cares."""
    exact = [route for route in ROUTES if route.pattern == event_type]
    if exact:
        return exact[0]
    return next((route for route in ROUTES if route.matches(event_type)), None)


def audience_for(event_type: str) -> tuple[str, ...]:
    route = route_for(event_type)
    return route.audiences if route else ()


def is_legal_notice(event_type: str) -> bool:
    route = route_for(event_type)
    return bool(route and route.legal)


def legal_notices() -> list[str]:
    return sorted(route.pattern for route in ROUTES if route.legal)
