"""Account upkeep: operators manage every account, an authority its own district's evaluators."""

from __future__ import annotations

from services.common.call import Call
from services.common.errors import Conflict, NotFound
from services.registry.adapters.orm import User
from services.registry.domain.access import may_manage_user
from services.registry.domain.lifecycle import USER_LIFECYCLE
from services.registry.service_layer.handlers import caller
from services.registry.service_layer.refusals import domain_refusals


def set_user_active(call: Call, user_id: int, action: str) -> User:
    """Deactivate (no more log-ins) or reactivate an account the caller manages."""
    uow, actor = call.uow, caller(call)
    with uow, domain_refusals():
        user = uow.session.get(User, user_id)
        # Another district's accounts are not the authority's business: to it they do not exist.
        if user is None or not may_manage_user(actor, user.role, user.district_code):
            raise NotFound(f"user {user_id} does not exist")
        if action == "deactivate" and str(user.id) == actor.subject:
            raise Conflict("you cannot deactivate your own account", field="user_id")
        status = USER_LIFECYCLE.next_status("active" if user.active else "inactive", action)
        user.active = status == "active"
        uow.commit()
        return user
