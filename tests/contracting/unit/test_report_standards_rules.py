"""A monitoring report answers its service type's checklist completely, with known codes, once each, explained."""

from __future__ import annotations

import pytest

from services.common.errors import Invalid
from services.common.quality_standards import GENERIC_CHECKLIST, checklist_for
from services.contracting.domain.report_standards import StandardAnswer, check_answers


def met(service_type: str) -> list[StandardAnswer]:
    return [StandardAnswer(code, "met") for code in checklist_for(service_type).codes]


def test_answers_come_back_in_the_checklist_order_whatever_order_they_were_sent_in():
    answers = [*reversed(met("day-centre"))]
    assert [a.code for a in check_answers("day-centre", answers)] == list(checklist_for("day-centre").codes)


def test_every_problem_is_named_at_once_with_the_checklist_to_answer():
    answers = [*met("home-care")[2:], StandardAnswer("HC-03", "met"), StandardAnswer("PA-01", "met")]
    answers[0] = StandardAnswer("HC-03", "not_met", " ")
    with pytest.raises(Invalid) as refused:
        check_answers("home-care", answers)
    message = refused.value.details["errors"]["standards"][0]
    assert "PA-01 are not standards" in message and "HC-03 answered more than once" in message
    assert "HC-01, HC-02 not answered" in message and "a note is required" in message
    assert message.endswith("The checklist of home-care: HC-01, HC-02, HC-03, HC-04, HC-05, HC-06, HC-07")


def test_a_partly_met_standard_with_a_note_passes_and_a_met_one_needs_none():
    answers = met("mobile-team")
    answers[1] = StandardAnswer("MT-02", "partly", "Echipa incompletă în august.")
    assert check_answers("mobile-team", answers)[1].note == "Echipa incompletă în august."


def test_a_contract_of_a_service_type_added_later_answers_the_generic_checklist():
    generic = [StandardAnswer(code, "met") for code in GENERIC_CHECKLIST.codes]
    assert len(check_answers("peer-support", generic)) == 5
    with pytest.raises(Invalid):
        check_answers("peer-support", met("home-care"))
