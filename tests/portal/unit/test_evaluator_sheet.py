"""The score sheet's rules: a score 0-100 with at most two decimals, a justification of 10 or more characters, both
or neither when saving, every pair when submitting; and the API's refusals put back on the right pair."""

from __future__ import annotations

from decimal import Decimal

from services.portal.domain import evaluator_sheet as sheet


def test_scores_are_read_as_typed_with_a_comma_or_a_point():
    assert sheet.parse_score("82,5") == (Decimal("82.5"), None)
    assert sheet.parse_score(" 100 ") == (Decimal(100), None)
    assert sheet.parse_score("") == (None, None)
    assert sheet.parse_score("abc")[1] == sheet.NOT_A_NUMBER
    assert sheet.parse_score("NaN")[1] == sheet.NOT_A_NUMBER
    assert sheet.parse_score("100.01")[1] == sheet.OUT_OF_RANGE
    assert sheet.parse_score("-1")[1] == sheet.OUT_OF_RANGE
    assert sheet.parse_score("7.125")[1] == sheet.TOO_PRECISE


def test_saved_scores_are_shown_as_a_person_types_them():
    assert [sheet.typed(v) for v in ("90.00", "82.50", "0.00", "7.25", None)] == ["90", "82.5", "0", "7.25", ""]


def test_saving_sends_the_complete_pairs_and_keeps_the_half_filled_ones_with_what_is_missing():
    keys = ["1_2", "1_3", "2_2", "2_3"]
    posted = {
        "1_2": ("75", "Echipă calificată."),
        "1_3": ("60", ""),
        "2_2": ("", "Doar o motivare lungă."),
        "2_3": ("", ""),
    }
    reading = sheet.read_sheet(keys, posted, submitting=False)
    assert reading.entries == [
        {"bid_id": 1, "criterion_id": 2, "score": "75.00", "justification": "Echipă calificată."}
    ]
    assert reading.problems == {
        "1_3": {sheet.JUSTIFICATION: sheet.MISSING_JUSTIFICATION},
        "2_2": {sheet.SCORE: sheet.MISSING_SCORE},
    }
    assert reading.empty == 1 and not reading.complete


def test_submitting_wants_every_pair():
    reading = sheet.read_sheet(["1_2", "2_2"], {"1_2": ("75", "Echipă calificată.")}, submitting=True)
    assert reading.problems == {"2_2": {sheet.SCORE: sheet.NEEDED_TO_SUBMIT}}
    full = sheet.read_sheet(["1_2"], {"1_2": ("75", "Echipă calificată.")}, submitting=True)
    assert full.complete


def test_a_short_or_invalid_pair_is_not_sent():
    reading = sheet.read_sheet(["1_2"], {"1_2": ("7.555", "scurt")}, submitting=False)
    assert reading.entries == []
    assert reading.problems == {"1_2": {sheet.SCORE: sheet.TOO_PRECISE, sheet.JUSTIFICATION: sheet.SHORT_JUSTIFICATION}}


def test_cells_pair_each_bid_with_each_criterion_and_what_was_saved():
    bids = [{"id": 1, "quality_answers": [{"criterion_id": 2, "answer": "Da"}]}, {"id": 2, "quality_answers": []}]
    criteria = [{"id": 2, "name": "Calitate"}]
    cells = sheet.cells(bids, criteria, [{"bid_id": 2, "criterion_id": 2, "score": "40.00"}])
    assert [(c.key, c.answer, bool(c.saved)) for c in cells] == [("1_2", "Da", False), ("2_2", None, True)]
    assert sheet.progress(cells) == (1, 2)


def test_the_apis_refusal_is_put_back_on_the_pair_it_concerns():
    sent = [{"bid_id": 1, "criterion_id": 2}, {"bid_id": 3, "criterion_id": 2}]
    body = {"errors": {"scores": {"1": {"score": ["Must be between 0 and 100."], "bid_id": ["bad"]}, "7": {}}}}
    assert sheet.refused_entries(body, sent) == {"3_2": {"score": ["Must be between 0 and 100.", "bad"]}}
    assert sheet.refused_entries({"errors": {"scores": ["Length must be at least 1."]}}, sent) == {}
