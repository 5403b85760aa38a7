"""The caller's notification preferences: language, channels (per event type too), digest."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.notifications.domain.preferences import Preferences
from services.notifications.domain.routing import CHANNELS, legal_notices
from services.notifications.entrypoints.api.access import INBOX_ROLES, caller_recipient
from services.notifications.entrypoints.api.schemas import PreferencesSchema, PreferencesUpdateSchema
from services.notifications.service_layer import preferences
from services.notifications.service_layer.commands import UpdatePreferences

blp = Blueprint("preferences", __name__, description="How and in which language a recipient is told")


def preferences_view(recipient: str, chosen: Preferences) -> dict:
    return {
        "recipient": recipient,
        "language": chosen.language,
        "digest": chosen.digest,
        "channels": {channel: chosen.channels.get(channel, True) for channel in CHANNELS},
        "events": chosen.events,
        "legal_notices": legal_notices(),
    }


@blp.route("/preferences")
class CallerPreferences(MethodView):
    @require_roles(*INBOX_ROLES)
    @blp.response(200, PreferencesSchema)
    def get(self):
        """The caller's preferences (everything on, language from the directory, when never set)"""
        recipient = caller_recipient()
        return preferences_view(recipient, preferences.get_preferences(service_context().uow(), recipient))

    @require_roles(*INBOX_ROLES)
    @blp.arguments(PreferencesUpdateSchema)
    @blp.response(200, PreferencesSchema)
    def put(self, changes):
        """Change the fields given; switching a legal notice off is refused with 422 naming the event"""
        recipient = caller_recipient()
        chosen = preferences.update_preferences(service_context().call(), recipient, UpdatePreferences(**changes))
        return preferences_view(recipient, chosen)
