"""A published call as its public page shows it: the OCDS release, with the API's richer views where they answer.

The compiled OCDS release is the one source every published call has; the call's own view (lots with budgets,
criteria with weights, the status by the server clock), its ranking, its documents listing and its amendments
fill in what OCDS does not carry. Each is optional, so the page still says what OCDS says when one is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.portal.domain.call_papers import (
    Amendment,
    Document,
    Question,
    amendments_of,
    document_id,
    documents_of,
    question_of,
)
from services.portal.domain.call_results import (
    Award,
    Contract,
    LotRanking,
    awards_of,
    contracts_of,
    ranking_of,
    suppliers_to_look_up,
)
from services.portal.domain.call_terms import Criterion, Lot, criteria_of, lots_of
from services.portal.domain.money import as_decimal

__all__ = ["CallView", "call_view", "document_id", "suppliers_to_look_up"]

# The call's statuses (contracting's own, by the server clock) in which a CSO may act on the public page
TAKING_BIDS = ("active.enquiries", "active.tendering")
TAKING_QUESTIONS = ("active.enquiries",)
TAKING_COMPLAINTS = ("active.standstill",)
# From the award decision on, the ranking and the scores are public
DECIDED = ("active.standstill", "active.contract_pending", "complete", "unsuccessful")


@dataclass(frozen=True)
class Periods:
    """Moments as ISO strings (the page words them in Europe/Chisinau)."""

    published_at: str | None
    enquiry_end: str | None
    submission_deadline: str | None
    decided_at: str | None
    standstill_end: str | None
    signed_at: str | None


@dataclass(frozen=True)
class CallView:
    tender_id: int
    ocid: str | None
    title: str
    description: str | None
    status: str
    district_code: str | None
    service_type: str | None
    buyer: str | None
    budget: Decimal | None
    bidders_count: int | None
    cancellation_reason: str | None
    lots: tuple[Lot, ...]
    criteria: tuple[Criterion, ...]
    periods: Periods
    documents: tuple[Document, ...]
    questions: tuple[Question, ...]
    amendments: tuple[Amendment, ...]
    ranking: tuple[LotRanking, ...]
    awards: tuple[Award, ...]
    contracts: tuple[Contract, ...]

    @property
    def takes_bids(self) -> bool:
        return self.status in TAKING_BIDS

    @property
    def takes_questions(self) -> bool:
        return self.status in TAKING_QUESTIONS

    @property
    def takes_complaints(self) -> bool:
        return self.status in TAKING_COMPLAINTS

    @property
    def has_minimums(self) -> bool:
        return any(criterion.minimum is not None for criterion in self.criteria)

    def ranked(self, provider_id: int | None) -> bool:
        """Whether this provider's bid is in the published ranking (only bidders may complain)."""
        return any(row.provider_id == provider_id for lot in self.ranking for row in lot.rows)


def call_view(
    record: dict,
    language: str,
    tender: dict | None = None,
    ranking: dict | None = None,
    documents: list[dict] | None = None,
    amendments: list[dict] | None = None,
    provider_ids: dict[str, int] | None = None,
) -> CallView:
    """``record`` is GET /public/calls/<id>; the rest are the call's other views when they answered.
    ``provider_ids`` maps a supplier's IDNO to its registry id, for links to the provider's page."""
    compiled = record.get("compiled_release") or {}
    ocds_tender = compiled.get("tender") or {}
    tender = tender or {}
    lots = lots_of(tender, ocds_tender)
    criteria = criteria_of(tender, ranking, ocds_tender)
    awards = awards_of(compiled, lots, ranking, provider_ids or {})
    budget = (
        sum((lot.budget for lot in lots), Decimal(0)) if lots and None not in [lot.budget for lot in lots] else None
    )
    return CallView(
        tender_id=int(record.get("tender_id") or tender.get("id") or ocds_tender.get("id")),
        ocid=record.get("ocid") or compiled.get("ocid"),
        title=_in_language(tender, "title", language) or ocds_tender.get("title") or record.get("title") or "",
        description=_in_language(tender, "description", language) or ocds_tender.get("description"),
        status=tender.get("status") or record.get("status") or ocds_tender.get("status") or "",
        district_code=tender.get("district_code") or record.get("district_code"),
        service_type=tender.get("service_type") or record.get("service_type") or _service_of(ocds_tender),
        buyer=(compiled.get("buyer") or {}).get("name"),
        budget=budget
        if budget is not None
        else _amount(ocds_tender.get("value")) or as_decimal(record.get("budget_amount")),
        bidders_count=ocds_tender.get("numberOfTenderers"),
        cancellation_reason=tender.get("cancellation_reason") or _cancellation_reason(ocds_tender),
        lots=lots,
        criteria=criteria,
        periods=_periods(record, tender, ranking, ocds_tender, compiled),
        documents=documents_of(compiled, documents or []),
        questions=tuple(question_of(enquiry) for enquiry in ocds_tender.get("enquiries") or []),
        amendments=amendments_of(amendments, ocds_tender, tender),
        ranking=ranking_of(ranking, criteria, awards),
        awards=awards,
        contracts=contracts_of(compiled, awards),
    )


def _in_language(tender: dict, name: str, language: str) -> str | None:
    return tender.get(f"{name}_{language}") or tender.get(name)


def _amount(value: dict | None) -> Decimal | None:
    return as_decimal((value or {}).get("amount"))


def _service_of(ocds_tender: dict) -> str | None:
    for item in ocds_tender.get("items") or []:
        for classification in item.get("additionalClassifications") or []:
            if classification.get("scheme") == "X-SSCP-SERVICE":
                return classification.get("id")
    return None


def _periods(record: dict, tender: dict, ranking: dict | None, ocds_tender: dict, compiled: dict) -> Periods:
    award_period = ocds_tender.get("awardPeriod") or {}
    signed = sorted(c["dateSigned"] for c in compiled.get("contracts") or [] if c.get("dateSigned"))
    return Periods(
        published_at=tender.get("published_at")
        or record.get("first_published")
        or (ocds_tender.get("tenderPeriod") or {}).get("startDate"),
        enquiry_end=tender.get("enquiry_end") or (ocds_tender.get("enquiryPeriod") or {}).get("endDate"),
        submission_deadline=tender.get("submission_deadline") or (ocds_tender.get("tenderPeriod") or {}).get("endDate"),
        decided_at=tender.get("decided_at") or (ranking or {}).get("decided_at") or award_period.get("startDate"),
        standstill_end=tender.get("standstill_end") or award_period.get("endDate"),
        signed_at=signed[0] if signed else None,
    )


def _cancellation_reason(ocds_tender: dict) -> str | None:
    for document in ocds_tender.get("documents") or []:
        if document.get("documentType") == "cancellationDetails" and document.get("description"):
            return document["description"]
    return None
