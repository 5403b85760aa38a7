"""The public search of calls: which filters a person may set, and how they become the API's query."""

from __future__ import annotations

import math
from dataclasses import dataclass

PAGE_SIZE = 20
SORTS = ("newest", "deadline", "budget_desc", "budget_asc")
# The listing speaks OCDS statuses (a published call's release), not the contracting service's internal ones.
STATUSES = ("active", "complete", "unsuccessful", "cancelled")


@dataclass(frozen=True)
class CallSearch:
    q: str = ""
    district_code: str = ""
    service_type: str = ""
    status: str = ""
    budget_min: str = ""
    budget_max: str = ""
    deadline_from: str = ""
    deadline_to: str = ""
    sort: str = "newest"
    page: int = 1

    def api_query(self) -> dict:
        """The query for GET /public/calls: only what is set; dates as the whole day in the portal's zone."""
        query = {
            "q": self.q,
            "district_code": self.district_code,
            "service_type": self.service_type,
            "status": self.status,
            "budget_min": self.budget_min,
            "budget_max": self.budget_max,
            "deadline_from": f"{self.deadline_from}T00:00:00+02:00" if self.deadline_from else "",
            "deadline_to": f"{self.deadline_to}T23:59:59+02:00" if self.deadline_to else "",
            "sort": self.sort if self.sort in SORTS else "newest",
            "page": max(1, self.page),
            "page_size": PAGE_SIZE,
        }
        return {name: value for name, value in query.items() if value not in ("", None)}

    def link_args(self, page: int) -> dict:
        """The same search on another page, for links (empty filters left out so links stay short)."""
        args = {name: value for name, value in self.__dict__.items() if value and name != "page"}
        return {**args, "page": page}


def pages(total: int | None) -> int:
    return max(1, math.ceil((total or 0) / PAGE_SIZE))
