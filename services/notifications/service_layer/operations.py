"""What operators do about deliveries: list them, look at one, and send a failed or dead one again."""

from __future__ import annotations

from sqlalchemy import select

from services.common.call import Call
from services.common.errors import InvalidTransition, NotFound
from services.common.pagination import Page, page_of
from services.common.unit_of_work import UnitOfWork
from services.notifications.adapters.orm import Delivery
from services.notifications.domain import delivery_status as status


def list_deliveries(uow: UnitOfWork, filters: dict, first: int, size: int) -> Page:
    """Deliveries, newest first, matching every filter given (event type, status, channel, recipient, ocid)."""
    query = select(Delivery)
    for name, value in filters.items():
        query = query.where(getattr(Delivery, name) == value)
    with uow:
        return page_of(uow.session, query.order_by(Delivery.id.desc()), first, size)


def get_delivery(uow: UnitOfWork, delivery_id: int) -> Delivery:
    with uow:
        delivery = uow.session.get(Delivery, delivery_id)
        if delivery is None:
            raise NotFound(f"delivery {delivery_id} does not exist")
        return delivery


def retry_delivery(call: Call, delivery_id: int) -> Delivery:
    """Queue a failed or dead delivery for the next dispatch, with a fresh set of attempts."""
    uow = call.uow
    with uow:
        delivery = uow.session.get(Delivery, delivery_id)
        if delivery is None:
            raise NotFound(f"delivery {delivery_id} does not exist")
        try:
            delivery.status = status.transition(delivery.status, "retry")
        except InvalidTransition as exc:
            # Operators are told where the delivery could go next (statuses), not the dispatcher's actions.
            raise InvalidTransition(
                "delivery", exc.current, "retry", status.DELIVERY.next_statuses(exc.current)
            ) from exc
        # The last error stays visible until the next attempt replaces it.
        delivery.attempts = 0
        delivery.next_attempt_at = call.now
        delivery.updated_at = call.now
        uow.commit()
        return delivery
