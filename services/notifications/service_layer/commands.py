"""Notifications' write commands: what each use case is asked to do, typed, as the API's schemas load them.

Each handler takes ``(call, <ids>, command)`` (services/common/call.py). In a partial update a field the caller
left out holds NOT_GIVEN and stays as it is; a field sent as null holds None and is set to null.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Final, Literal


class _NotGiven(Enum):
    NOT_GIVEN = "NOT_GIVEN"


NOT_GIVEN: Final = _NotGiven.NOT_GIVEN
NotGiven = Literal[_NotGiven.NOT_GIVEN]


def given(value: Any) -> bool:
    return value is not NOT_GIVEN


@dataclass(frozen=True)
class SetContact:
    """Where a district's authority is e-mailed; without a language the one kept (or Romanian) stays."""

    email: str
    language: str | None = None


@dataclass(frozen=True)
class UpdatePreferences:
    """``channels`` and ``events`` change the switches they name (an empty event type clears its overrides)."""

    language: str | NotGiven | None = NOT_GIVEN
    digest: bool | NotGiven = NOT_GIVEN
    channels: Mapping[str, bool] = field(default_factory=dict)
    events: Mapping[str, Mapping[str, bool]] = field(default_factory=dict)


@dataclass(frozen=True)
class CreateWebhook:
    url: str
    event_types: tuple[str, ...] = ()
    description: str | None = None
    active: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "event_types", tuple(self.event_types))


@dataclass(frozen=True)
class UpdateWebhook:
    url: str | NotGiven = NOT_GIVEN
    event_types: tuple[str, ...] | NotGiven = NOT_GIVEN
    description: str | NotGiven | None = NOT_GIVEN
    active: bool | NotGiven = NOT_GIVEN

    def __post_init__(self) -> None:
        if given(self.event_types):
            object.__setattr__(self, "event_types", tuple(self.event_types))
