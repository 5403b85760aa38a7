"""The one way a list is cut into pages: the page's rows and the total that the X-Pagination header reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int


def page_of(session: Session, query: Select, first: int, size: int) -> Page:
    """``size`` rows of ``query`` (in its own order) from row ``first``, and how many rows it has in all."""
    # COUNT(*) on the filtered tables themselves: no subquery of every column to build and plan per request.
    counted = query.order_by(None).with_only_columns(func.count(), maintain_column_froms=True)
    total = session.scalar(counted)
    return Page(list(session.scalars(query.offset(first).limit(size))), total)


def answer_page(page: Page, pagination_parameters: Any) -> list[Any]:
    """Hands flask-smorest's ``@blp.paginate()`` the total (for its header) and returns the rows to serialize."""
    pagination_parameters.item_count = page.total
    return page.items
