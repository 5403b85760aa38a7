"""The registry as an operator keeps it: which accreditations run out soon, what each one's status allows, and the
lists in the order an operator works through them.

The registry's accreditation lifecycle (services/registry/domain/lifecycle.py), read from its API: an active one may
be renewed, suspended or revoked; a suspended one reinstated or revoked; an expired one renewed with a new term; a
revoked one nothing. A renewal must end after the current last valid day and not in the past. The registry
refuses anything else with a 409 that names the current status and what it allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# status -> actions an operator may take on it (the registry's lifecycle, without its own daily "expire")
ACTIONS = {
    "active": ("renew", "suspend", "revoke"),
    "suspended": ("reinstate", "revoke"),
    "expired": ("renew",),
    "revoked": (),
}
LIVE = ("active", "suspended")
# "Soon": within this many days an operator should be chasing the renewal.
EXPIRING_WITHIN_DAYS = 60


def allowed_actions(status: str | None) -> tuple[str, ...]:
    return ACTIONS.get(status or "", ())


def as_day(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


@dataclass(frozen=True)
class Expiring:
    accreditation: dict
    last_day: date
    days_left: int  # 0: today is its last valid day; negative: its term ended and the daily check has not run yet


def expiring_soon(accreditations: list[dict], today: date, within_days: int = EXPIRING_WITHIN_DAYS) -> list[Expiring]:
    """Live accreditations whose last valid day falls within ``within_days`` (or has passed unexpired), soonest
    first."""
    horizon = today + timedelta(days=within_days)
    found = []
    for accreditation in accreditations:
        last_day = as_day(accreditation.get("valid_to"))
        if accreditation.get("status") in LIVE and last_day is not None and last_day <= horizon:
            found.append(Expiring(accreditation, last_day, (last_day - today).days))
    return sorted(found, key=lambda item: (item.last_day, int(item.accreditation.get("id") or 0)))


def default_renewal_end(valid_to: str | date | None, today: date, years: int = 3) -> date:
    """A renewal's proposed last day: ``years`` after the current one (or after today, if that has passed)."""
    base = max(as_day(valid_to) or today, today)
    try:
        return base.replace(year=base.year + years)
    except ValueError:  # 29 February
        return base.replace(year=base.year + years, day=28)


def default_grant_term(today: date, years: int = 3) -> tuple[date, date]:
    """A new accreditation's proposed term: from today, for ``years`` (its last day the day before)."""
    try:
        end = today.replace(year=today.year + years)
    except ValueError:
        end = today.replace(year=today.year + years, day=28)
    return today, end - timedelta(days=1)


def accreditations_by_status(accreditations: list[dict]) -> list[dict]:
    """Live ones first (active, then suspended), then expired and revoked; within each, the soonest to end first."""
    order = {"active": 0, "suspended": 1, "expired": 2, "revoked": 3}
    return sorted(
        accreditations,
        key=lambda item: (order.get(item.get("status"), 4), str(item.get("valid_to") or ""), int(item.get("id") or 0)),
    )


def users_in_order(users: list[dict]) -> list[dict]:
    """Active accounts first, by role and then e-mail."""
    order = {"operator": 0, "authority": 1, "evaluator": 2, "cso": 3, "service": 4}
    return sorted(
        users,
        key=lambda user: (not user.get("active", True), order.get(user.get("role"), 5), str(user.get("email") or "")),
    )


def service_types_in_order(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: str(row.get("code") or ""))


def provider_names(providers: list[dict]) -> dict[int, str]:
    return {int(provider["id"]): str(provider.get("legal_name") or provider["id"]) for provider in providers}


def retryable(delivery: dict) -> bool:
    """The notifications service sends a failed or dead delivery again when an operator asks."""
    return delivery.get("status") in ("failed", "dead")
