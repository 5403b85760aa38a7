"""A CSO's notices as its inbox page shows them: unread first, each linked to the call it concerns.

The notifications service files every event under the tender's OCID as its correlation id
(``ocds-sscp01-7`` is call 7), so the call a notice speaks of is read from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTRACT_EVENTS = ("contract.", "report.", "milestone.")
OCID = re.compile(r"^ocds-[A-Za-z0-9-]+-(\d+)$")


def tender_id_of(correlation_id: str | None) -> int | None:
    """The call an OCID names; None for a notice about no call (a webhook ping, a digest)."""
    if not correlation_id:
        return None
    found = OCID.match(correlation_id.strip())
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Notice:
    id: int
    subject: str
    body: str
    event_type: str
    created_at: str
    read_at: str | None
    tender_id: int | None

    @property
    def unread(self) -> bool:
        return self.read_at is None

    @property
    def about_a_contract(self) -> bool:
        """A notice about a contract, its reports or payments (it names the call, not the contract)."""
        return self.event_type.startswith(CONTRACT_EVENTS)

    @property
    def paragraphs(self) -> list[str]:
        """The body's paragraphs (the messages are plain text with blank lines between paragraphs)."""
        return [part.strip() for part in re.split(r"\n\s*\n", self.body or "") if part.strip()]

    @classmethod
    def from_inbox(cls, row: dict) -> Notice:
        return cls(
            id=int(row["id"]),
            subject=row.get("subject") or "",
            body=row.get("body") or "",
            event_type=row.get("event_type") or "",
            created_at=row.get("created_at") or "",
            read_at=row.get("read_at"),
            tender_id=tender_id_of(row.get("correlation_id")),
        )


def unread_first(rows: list[dict]) -> list[Notice]:
    """Unread before read, newest first within each (ISO-8601 UTC times sort as text)."""
    notices = [Notice.from_inbox(row) for row in rows]
    newest_first = sorted(notices, key=lambda notice: (notice.created_at, notice.id), reverse=True)
    return sorted(newest_first, key=lambda notice: not notice.unread)
