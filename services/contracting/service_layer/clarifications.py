"""Clarifications: any authenticated CSO asks until the enquiry end; the authority answers; both are public."""

from __future__ import annotations

from sqlalchemy import select

from services.common.errors import Conflict, NotFound
from services.contracting.adapters.orm_tendering import Question
from services.contracting.domain import tender_status
from services.contracting.service_layer.base import Call, event, load_tender, record, utc

ANSWERABLE = (*tender_status.BIDDING,)


def ask(call: Call, tender_id: int, text: str) -> Question:
    with call.uow:
        tender = load_tender(call, tender_id)
        enquiry_end = utc(tender.enquiry_end)
        # The clock decides, not whether the flow has moved the status on yet.
        if tender.status != tender_status.ENQUIRIES or call.now >= enquiry_end:
            raise Conflict(
                f"questions were taken until the enquiry end, {enquiry_end.isoformat()}",
                enquiry_end=enquiry_end.isoformat(),
                current_status=tender.status,
            )
        question = Question(
            tender_id=tender.id,
            question=text,
            asked_by=call.principal.subject,
            asker_provider_id=call.principal.provider_id,
            asked_at=call.now,
        )
        call.uow.session.add(question)
        call.uow.session.flush()
        # The event and the public record leave the asker out: questions are published anonymously.
        payload = event(call, tender, question_id=question.id, question=text)
        record(call, tender, "ask", payload, "tender.question_asked")
        call.uow.commit()
        return question


def answer(call: Call, tender_id: int, question_id: int, text: str) -> Question:
    with call.uow:
        tender = load_tender(call, tender_id)
        question = call.uow.session.get(Question, question_id)
        if question is None or question.tender_id != tender.id:
            raise NotFound(f"question {question_id} does not exist")
        if question.answer is not None:
            raise Conflict(f"question {question_id} is already answered; amend the tender to change the terms")
        if tender.status not in ANSWERABLE:
            raise Conflict(
                f"tender is {tender.status!r}: answers are given before the deadline", current_status=tender.status
            )
        question.answer, question.answered_by, question.answered_at = text, call.principal.subject, call.now
        payload = event(call, tender, question_id=question.id, question=question.question, answer=text)
        record(call, tender, "answer", payload, "tender.question_answered")
        call.uow.commit()
        return question


def questions(call: Call, tender_id: int) -> list[Question]:
    with call.uow:
        tender = load_tender(call, tender_id, lock=False, public=True)
        query = select(Question).where(Question.tender_id == tender.id).order_by(Question.id)
        return list(call.uow.session.scalars(query))
