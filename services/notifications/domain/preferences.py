"""A recipient's notification preferences: language, channels on or off (per event type too), digest.

Legal notices (award decisions, cancellations, complaint decisions, terminations) reach their recipient on
every channel whatever the preferences say; turning one off explicitly is refused, naming the event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.notifications.domain.routing import CHANNELS, LOW, route_for

LANGUAGES = ("ro", "ru", "en")
DEFAULT_LANGUAGE = "ro"


class PreferenceError(ValueError):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Preferences:
    language: str | None = None  # None: the directory's (a CSO's first language), else ro
    digest: bool = False
    channels: dict[str, bool] = field(default_factory=dict)  # a missing channel is on
    events: dict[str, dict[str, bool]] = field(default_factory=dict)  # event type -> channel -> on/off

    def validate(self) -> Preferences:
        if self.language is not None and self.language not in LANGUAGES:
            raise PreferenceError("language", f"unknown language {self.language!r}; choose one of {LANGUAGES}")
        _check_channels("channels", self.channels)
        for event_type, switches in self.events.items():
            route = route_for(event_type)
            if route is None:
                raise PreferenceError(f"events.{event_type}", f"no notifications are sent for {event_type}")
            _check_channels(f"events.{event_type}", switches)
            if route.legal and not all(switches.values()):
                raise PreferenceError(
                    f"events.{event_type}", f"{event_type} is a legal notice and cannot be turned off"
                )
        return self

    def wants(self, event_type: str, channel: str) -> bool:
        route = route_for(event_type)
        if route is not None and route.legal:
            return True
        per_event = self.events.get(event_type, {})
        if channel in per_event:
            return per_event[channel]
        return self.channels.get(channel, True)

    def holds_for_digest(self, event_type: str, channel: str) -> bool:
        """Low-priority e-mail waits for the digest when the recipient asked for one; nothing else waits."""
        route = route_for(event_type)
        return bool(self.digest and channel == "email" and route and route.priority == LOW and not route.legal)

    def language_or(self, fallback: str | None) -> str:
        for candidate in (self.language, fallback):
            if candidate in LANGUAGES:
                return candidate
        return DEFAULT_LANGUAGE


def _check_channels(field_name: str, switches: dict[str, bool]) -> None:
    unknown = sorted(set(switches) - set(CHANNELS))
    if unknown:
        raise PreferenceError(field_name, f"unknown channel(s) {', '.join(unknown)}; channels are {CHANNELS}")
