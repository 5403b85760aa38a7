"""A monitoring report's answers to its service type's minimum quality standards: complete, known, explained.

The checklist comes from services/common/quality_standards.py (the contract's service type, or the generic one).
A report answers every standard of it exactly once, with no code from elsewhere, and says in a note why any
standard is only partly met or not met: the department reviews those notes and the observatory counts the answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from services.common.errors import Invalid
from services.common.quality_standards import MET, checklist_for

FIELD = "standards"


@dataclass(frozen=True)
class StandardAnswer:
    code: str
    status: str  # met / partly / not_met
    note: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "status": self.status, "note": self.note}


def check_answers(service_type: str | None, answers: Sequence[StandardAnswer]) -> list[StandardAnswer]:
    """The answers in the checklist's order, or ``Invalid`` naming every problem at once."""
    checklist = checklist_for(service_type)
    expected = checklist.codes
    counts = Counter(answer.code for answer in answers)
    problems = []
    unknown = sorted(set(counts) - set(expected))
    if unknown:
        problems.append(f"{', '.join(unknown)} are not standards of this contract's service")
    repeated = sorted(code for code, count in counts.items() if count > 1)
    if repeated:
        problems.append(f"{', '.join(repeated)} answered more than once")
    missing = [code for code in expected if code not in counts]
    if missing:
        problems.append(f"{', '.join(missing)} not answered")
    unexplained = [a.code for a in answers if a.status != MET and not a.note.strip() and a.code in expected]
    if unexplained:
        problems.append(f"a note is required where a standard is not fully met: {', '.join(unexplained)}")
    if problems:
        listed = ", ".join(expected)
        raise Invalid(FIELD, f"{'; '.join(problems)}. The checklist of {checklist.service_type}: {listed}")
    order = {code: position for position, code in enumerate(expected)}
    return sorted(answers, key=lambda answer: order[answer.code])
