"""A CSO's notices as its inbox page shows them: unread first, each linked to the call it concerns.

The notifications service files every event under the tender's OCID as its correlation id
(``ocds-sscp01-7`` is call 7), so the call a notice speaks of is read from there; and it ends every notice with a
link to the portal page where its recipient acts on it, which the inbox turns into a button (this portal's path
only: the host in the link is wherever the notifications service thinks the portal is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from services.portal.domain.signed_in import safe_next

CONTRACT_EVENTS = ("contract.", "report.", "milestone.")
OCID = re.compile(r"^ocds-[A-Za-z0-9-]+-(\d+)$")
PORTAL_LINK = re.compile(r"^[^\n]*:\s*(https?://\S+)\s*$")


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
        """The body's paragraphs (plain text, blank lines between them), without the link line the page shows as
        a button."""
        parts = [part.strip() for part in re.split(r"\n\s*\n", self.body or "") if part.strip()]
        return [part for part in parts if not PORTAL_LINK.match(part)]

    @property
    def link_path(self) -> str | None:
        """The path of the portal page the notice links to; None when it has no link (or one leading elsewhere)."""
        for part in re.split(r"\n\s*\n", self.body or ""):
            found = PORTAL_LINK.match(part.strip())
            if found:
                target = urlsplit(found.group(1))
                return safe_next(target.path + (f"?{target.query}" if target.query else ""))
        return None

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
