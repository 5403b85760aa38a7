"""A call's lifecycle as one pure object: its status, its deadlines and its open complaints, asked what is due,
what may happen now, and whether contracts may be made.

This is the one owner of the standstill rule: an open complaint holds the standstill's end although it is due,
contracts are made only once the standstill has ended (the call awaits its contracts) and no complaint is open,
and complaints are taken only while the standstill runs. The service layer loads a ``CallLifecycle``
(``service_layer/base.py:lifecycle_of``), asks it, and saves the status it answers; the state machine's table
itself stays in ``tender_status.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from services.common.errors import Conflict, InvalidTransition
from services.contracting.domain import contracts as contract_rules
from services.contracting.domain import tender_status
from services.contracting.domain.tender_status import NextTransition

# The statuses in which contracts may be made: the standstill has ended (or the call is already complete).
CONTRACTABLE = (tender_status.CONTRACT_PENDING, tender_status.COMPLETE)


def may_be_held(status: str) -> bool:
    """Whether a complaint can hold this status's timed transition (only then is it worth asking for complaints)."""
    timed = tender_status.TIMED_ACTIONS.get(status)
    return timed is not None and timed[0] in tender_status.HELD_BY_OPEN_COMPLAINT


@dataclass(frozen=True)
class CallLifecycle:
    status: str
    deadlines: Mapping[str, datetime | None]
    open_complaint_ids: tuple[int, ...] = ()

    @property
    def held(self) -> frozenset[str]:
        """The timed actions that wait although due: an open complaint holds the standstill's end."""
        return tender_status.HELD_BY_OPEN_COMPLAINT if self.open_complaint_ids else frozenset()

    def due_transitions(self, now: datetime) -> list[str]:
        """Every timed action due at ``now``, in order (safe to repeat: applied, none is due again)."""
        return tender_status.due_transitions(self.status, self.deadlines, now, self.held)

    def status_at(self, now: datetime) -> str:
        """The status the clock has brought the call to at ``now`` (what reads show before a stage run records it)."""
        return tender_status.status_at(self.status, self.deadlines, now, self.held)

    def next_transition(self, now: datetime) -> NextTransition | None:
        return tender_status.next_transition(self.status, self.deadlines, now, self.held)

    def allowed_actions(self, now: datetime | None = None) -> list[str]:
        """What may be done next: from the recorded status, or from the one that applies at ``now``."""
        return tender_status.allowed_actions(self.status if now is None else self.status_at(now))

    def check_contracts_may_be_made(self) -> None:
        """Contracts only after the standstill (the call awaits its contracts) and with no complaint open."""
        if self.status not in CONTRACTABLE:
            ends = self.deadlines.get("standstill_end")
            waiting = ends is not None and self.status == tender_status.STANDSTILL
            detail = f" (the standstill ends {ends.isoformat()})" if waiting else ""
            raise InvalidTransition(
                "tender", self.status, f"make contracts{detail}", tender_status.allowed_actions(self.status)
            )
        if self.open_complaint_ids:
            raise Conflict("an open complaint blocks the contract", complaint_ids=list(self.open_complaint_ids))

    def check_complaint_window(self, now: datetime) -> None:
        """Complaints are taken only while the standstill runs, by the server clock."""
        ends = self.deadlines.get("standstill_end")
        if self.status != tender_status.STANDSTILL or ends is None or now >= ends:
            still_open = f", which ends {ends.isoformat()}" if ends and now < ends else ""
            raise Conflict(f"complaints are taken only during the standstill{still_open}", current_status=self.status)

    def completed_by(self, active_award_ids: Iterable[int], contracts: Iterable[tuple[int, str]]) -> bool:
        """Whether the call is complete: it awaits its contracts, every active award has one, and every contract
        not cancelled is signed into force. ``contracts`` holds each contract's (award id, status)."""
        live = [(award_id, status) for award_id, status in contracts if status != contract_rules.CANCELLED]
        if self.status != tender_status.CONTRACT_PENDING or not live:
            return False
        if set(active_award_ids) - {award_id for award_id, _ in live}:
            return False
        return all(status == contract_rules.ACTIVE for _, status in live)
