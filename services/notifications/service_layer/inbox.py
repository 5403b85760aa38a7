"""The in-app inbox of one recipient: its messages newest first, the unread count, marking read."""

from __future__ import annotations

from sqlalchemy import func, select, update

from services.common.call import Call
from services.common.errors import NotFound
from services.common.pagination import Page, page_of
from services.common.unit_of_work import UnitOfWork
from services.notifications.adapters.orm import InboxMessage


def inbox_page(uow: UnitOfWork, recipient: str, unread_only: bool, first: int, size: int) -> Page:
    with uow:
        query = select(InboxMessage).where(InboxMessage.recipient == recipient)
        if unread_only:
            query = query.where(InboxMessage.read_at.is_(None))
        return page_of(uow.session, query.order_by(InboxMessage.id.desc()), first, size)


def unread_count(uow: UnitOfWork, recipient: str) -> int:
    with uow:
        unread = (
            select(func.count())
            .select_from(InboxMessage)
            .where(InboxMessage.recipient == recipient, InboxMessage.read_at.is_(None))
        )
        return uow.session.scalar(unread)


def mark_read(call: Call, recipient: str, message_id: int) -> InboxMessage:
    """Marking a read message again keeps its first read time."""
    uow = call.uow
    with uow:
        message = uow.session.get(InboxMessage, message_id)
        if message is None or message.recipient != recipient:
            raise NotFound(f"inbox message {message_id} does not exist")
        if message.read_at is None:
            message.read_at = call.now
        uow.commit()
        return message


def mark_all_read(call: Call, recipient: str) -> int:
    uow = call.uow
    with uow:
        marked = uow.session.execute(
            update(InboxMessage)
            .where(InboxMessage.recipient == recipient, InboxMessage.read_at.is_(None))
            .values(read_at=call.now)
        ).rowcount
        uow.commit()
        return marked
