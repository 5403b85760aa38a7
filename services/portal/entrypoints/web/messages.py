"""The APIs speak English to integrators; a person reads the portal in their language.

Messages the APIs send are matched against the ones the portal knows (their text is a message id in the
portal's catalogues), and refusals with structure (a call no longer in the status a step needs) are worded from
their details. What the portal does not know is shown as the API said it, after a translated lead-in.
"""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext

from services.portal.entrypoints.web.labels import status_label

_ = lazy_gettext

# The API's words -> the portal's message id (translated at display time).
KNOWN_MESSAGES = {
    "wrong e-mail or password": _("Wrong e-mail or password."),
    "too many log-in attempts; wait and try again": _("Too many sign-in attempts. Wait a minute and try again."),
    "Missing data for required field.": _("This field is required."),
    "Not a valid number.": _("Enter a number."),
    "Not a valid integer.": _("Enter a whole number."),
    "Field may not be null.": _("This field is required."),
    "Unknown field.": _("This field is not expected here."),
}


def person_message(message: str, details: dict | None = None) -> str:
    """The API's message in the person's language where the portal knows it."""
    details = details or {}
    if "current_status" in details:
        return gettext(
            "This can no longer be done: the call is now at the stage “%(stage)s”.",
            stage=_stage(details["current_status"]),
        )
    known = KNOWN_MESSAGES.get(message.strip())
    if known is not None:
        return str(known)
    return gettext("The platform refused this: %(reason)s", reason=message)


def _stage(status: str) -> str:
    return status_label(status)
