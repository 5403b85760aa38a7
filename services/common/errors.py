"""Errors the service layers raise; the web layer turns each into a JSON 4xx (never a 500)."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, **details) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Forbidden(DomainError):
    status_code = 403


class Invalid(DomainError):
    """Input that passed the schema but breaks a rule; ``field`` names what to fix."""

    status_code = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, errors={field: [message]})


class InvalidTransition(Conflict):
    """A status change the entity's state machine refuses (see services/common/state_machine.py)."""

    def __init__(self, entity: str, current: str, attempted: str, allowed: list[str]) -> None:
        super().__init__(
            f"{entity} is {current!r}: cannot {attempted}; allowed next: {', '.join(allowed) or 'none'}",
            current_status=current,
            allowed_transitions=allowed,
        )
        # Kept as attributes too, so a caller can re-word the refusal without parsing the message.
        self.entity = entity
        self.current = current
        self.attempted = attempted
        self.allowed = allowed
