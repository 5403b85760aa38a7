"""An evaluator's score sheet: one score (0-100, at most two decimals) and one justification (10 to 10,000
characters) for each quality criterion of each eligible bid, as contracting's scores endpoint takes them.

The endpoint takes any part of the sheet and keeps each score until the evaluator changes it (until every member
has scored), so the sheet is saved as the evaluator goes: each complete pair is sent; a pair half filled in is
kept on the page with what is missing, and is not stored anywhere until it is complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MIN_SCORE, MAX_SCORE = Decimal(0), Decimal(100)
MIN_JUSTIFICATION, MAX_JUSTIFICATION = 10, 10000

# Problems, by field (the page words them)
NOT_A_NUMBER = "not_a_number"
OUT_OF_RANGE = "out_of_range"
TOO_PRECISE = "too_precise"
MISSING_SCORE = "missing_score"
MISSING_JUSTIFICATION = "missing_justification"
SHORT_JUSTIFICATION = "short_justification"
LONG_JUSTIFICATION = "long_justification"
NEEDED_TO_SUBMIT = "needed_to_submit"

SCORE, JUSTIFICATION = "score", "justification"


def key_of(bid_id: int, criterion_id: int) -> str:
    return f"{int(bid_id)}_{int(criterion_id)}"


@dataclass(frozen=True)
class Cell:
    """One thing to score: a bid against a criterion, with the bid's answer and what was saved before."""

    bid: dict
    criterion: dict
    answer: str | None
    saved: dict | None

    @property
    def key(self) -> str:
        return key_of(self.bid["id"], self.criterion["id"])


def answer_to(bid: dict, criterion_id: int) -> str | None:
    for answer in bid.get("quality_answers") or []:
        if str(answer.get("criterion_id")) == str(criterion_id):
            return answer.get("answer")
    return None


def cells(bids: list[dict], criteria: list[dict], saved: list[dict]) -> list[Cell]:
    """Bid by bid (in the order the API lists them), criterion by criterion."""
    by_key = {key_of(s["bid_id"], s["criterion_id"]): s for s in saved}
    return [
        Cell(bid, criterion, answer_to(bid, criterion["id"]), by_key.get(key_of(bid["id"], criterion["id"])))
        for bid in bids
        for criterion in criteria
    ]


def parse_score(text: str | None) -> tuple[Decimal | None, str | None]:
    """The score typed (a decimal comma is taken too), or the problem with it; (None, None) when left empty."""
    cleaned = (text or "").strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        return None, None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None, NOT_A_NUMBER
    if not value.is_finite():
        return None, NOT_A_NUMBER
    if value < MIN_SCORE or value > MAX_SCORE:
        return None, OUT_OF_RANGE
    if value != value.quantize(Decimal("0.01")):
        return None, TOO_PRECISE
    return value, None


def typed(value: object) -> str:
    """A saved score as the evaluator would type it: 90 rather than 90.00, 82.5 rather than 82.50."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def check_justification(text: str | None) -> tuple[str | None, str | None]:
    cleaned = (text or "").strip()
    if not cleaned:
        return None, None
    if len(cleaned) < MIN_JUSTIFICATION:
        return None, SHORT_JUSTIFICATION
    if len(cleaned) > MAX_JUSTIFICATION:
        return None, LONG_JUSTIFICATION
    return cleaned, None


@dataclass(frozen=True)
class Reading:
    """What the sheet as posted holds: the complete entries to send, and the problems by key and field."""

    entries: list[dict]
    problems: dict[str, dict[str, str]]
    empty: int

    @property
    def complete(self) -> bool:
        return not self.problems and not self.empty


def read_sheet(keys: list[str], posted: dict[str, tuple[str | None, str | None]], submitting: bool) -> Reading:
    """Check each (score, justification) pair. Saving accepts an empty pair; submitting wants every pair.

    ``posted`` maps each key to the pair typed; ``keys`` is every key of the sheet, in its order.
    """
    entries: list[dict] = []
    problems: dict[str, dict[str, str]] = {}
    empty = 0
    for key in keys:
        score_text, justification_text = posted.get(key, (None, None))
        score, score_problem = parse_score(score_text)
        justification, justification_problem = check_justification(justification_text)
        found: dict[str, str] = {}
        if score_problem:
            found[SCORE] = score_problem
        if justification_problem:
            found[JUSTIFICATION] = justification_problem
        typed_score = bool((score_text or "").strip())
        typed_justification = bool((justification_text or "").strip())
        if not typed_score and not typed_justification:
            empty += 1
            if submitting:
                problems[key] = {SCORE: NEEDED_TO_SUBMIT}
            continue
        if not typed_score:
            found[SCORE] = MISSING_SCORE
        if not typed_justification:
            found[JUSTIFICATION] = MISSING_JUSTIFICATION
        if found:
            problems[key] = found
            continue
        bid_id, criterion_id = (int(part) for part in key.split("_"))
        entries.append(
            {"bid_id": bid_id, "criterion_id": criterion_id, "score": f"{score:.2f}", "justification": justification}
        )
    return Reading(entries, problems, empty)


def progress(cells_: list[Cell]) -> tuple[int, int]:
    """(scored, to score) of the sheet as saved."""
    return sum(1 for cell in cells_ if cell.saved), len(cells_)


def refused_entries(body: dict, sent: list[dict]) -> dict[str, dict[str, list[str]]]:
    """The API's 422 on the scores, {"errors": {"scores": {"<index>": {"<field>": [messages]}}}}, by key and field."""
    found: dict[str, dict[str, list[str]]] = {}
    errors = (body.get("errors") or {}).get("scores")
    if not isinstance(errors, dict):
        return found
    for index, fields in errors.items():
        if not (str(index).isdigit() and int(index) < len(sent) and isinstance(fields, dict)):
            continue
        entry = sent[int(index)]
        key = key_of(entry["bid_id"], entry["criterion_id"])
        for name, messages in fields.items():
            target = name if name in (SCORE, JUSTIFICATION) else SCORE
            listed = messages if isinstance(messages, list) else [str(messages)]
            found.setdefault(key, {}).setdefault(target, []).extend(str(m) for m in listed)
    return found
