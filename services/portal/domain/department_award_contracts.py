"""A department's contracts as its pages show them: what waits for the department (its signature, reports to
review, a renewal to confirm or decline), the complaints to rule on, and what succeeds a contract.

Contracting's answers carry every rule: a contract's ``allowed_actions``, the reports' statuses, the renewal
policy's recommendation (GET /renewals/due, for contracts in the notice window) and the coverage view's successor.
"""

from __future__ import annotations

from dataclasses import dataclass

AUTHORITY_SIDE = "authority"
SUBMITTED = "submitted"
PROPOSED = "proposed"


def signed_at(contract: dict, side: str) -> str | None:
    return ((contract.get("signatures") or {}).get(side) or {}).get("signed_at")


def awaits_our_signature(contract: dict) -> bool:
    return "sign" in (contract.get("allowed_actions") or []) and not signed_at(contract, AUTHORITY_SIDE)


def reports_to_review(reports: list[dict]) -> list[dict]:
    """Reports waiting for the department's decision, oldest first (first come, first reviewed)."""
    waiting = [report for report in reports if report.get("status") == SUBMITTED]
    return sorted(waiting, key=lambda report: (report.get("submitted_at") or "", report.get("id") or 0))


def reviewed_reports(reports: list[dict]) -> list[dict]:
    done = [report for report in reports if report.get("status") != SUBMITTED]
    return sorted(done, key=lambda r: (r.get("submitted_at") or "", r.get("id") or 0), reverse=True)


def renewal_entry(due: list[dict], contract_id: int) -> dict | None:
    """The contract's entry in GET /renewals/due (recommendation, open proposal), if it is in the notice window."""
    return next((entry for entry in due if (entry.get("contract") or {}).get("id") == contract_id), None)


def open_proposal(entry: dict | None) -> dict | None:
    proposal = (entry or {}).get("proposal")
    return proposal if proposal and proposal.get("status") == PROPOSED else None


def successor(coverage: list[dict], contract_id: int) -> dict | None:
    """The call or contract that takes over when this contract ends (coverage view), if any."""
    entry = next((row for row in coverage if row.get("contract_id") == contract_id), None)
    return (entry or {}).get("successor")


@dataclass(frozen=True)
class ContractSummary:
    contract: dict
    awaits_signature: bool
    proposal: dict | None

    @property
    def needs_us(self) -> bool:
        return self.awaits_signature or self.proposal is not None


# Contracts needing the department first, then pending (the provider signs), in force, and the ended ones.
LIST_ORDER = {"pending": 1, "active": 2}


def summaries(contracts: list[dict], due: list[dict]) -> list[ContractSummary]:
    listed = [
        ContractSummary(contract, awaits_our_signature(contract), open_proposal(renewal_entry(due, contract["id"])))
        for contract in contracts
    ]
    return sorted(
        listed,
        key=lambda s: (0 if s.needs_us else LIST_ORDER.get(s.contract.get("status"), 3), -int(s.contract["id"])),
    )


def pending_complaints_first(complaints: list[dict]) -> list[dict]:
    return sorted(complaints, key=lambda c: (c.get("status") != "pending", c.get("filed_at") or "", c.get("id") or 0))


def kpi_code(name: str, taken: set[str]) -> str:
    """An indicator's code from its name (contracting wants ^[a-z][a-z0-9_]{1,59}$), unique among ``taken``."""
    letters = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in name.lower())
    base = "_".join(part for part in letters.split("_") if part)[:50] or "kpi"
    if not base[0].isalpha():
        base = "kpi_" + base
    if len(base) < 2:
        base = f"{base}_kpi"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code
