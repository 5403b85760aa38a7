"""Jinja filters and globals: money, dates in Europe/Chisinau, time left, and names in the person's language."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask_babel import format_datetime, gettext, lazy_gettext, ngettext

from services.portal.adapters.api_client import ServiceDown
from services.portal.adapters.reference_cache import cached, label
from services.portal.domain.deadlines import parse_moment, time_left
from services.portal.domain.money import format_mdl
from services.portal.entrypoints.web.labels import bid_status_label, status_label
from services.portal.entrypoints.web.messages import person_message
from services.portal.entrypoints.web.requests import choose_language, public_api

_ = lazy_gettext


def districts() -> list[dict]:
    return cached("districts", lambda: public_api().get("registry", "/districts"))


def service_types() -> list[dict]:
    return cached("service-types", lambda: public_api().get("registry", "/service-types"))


def _name_of(rows_of, code: str | None) -> str:
    if not code:
        return "—"
    try:
        rows = rows_of()
    except ServiceDown:
        return code
    row = next((row for row in rows if row.get("code") == code), None)
    return label(row, choose_language()) if row else code


def district_name(code: str | None) -> str:
    return _name_of(districts, code)


def service_name(code: str | None) -> str:
    return _name_of(service_types, code)


def money(value: object) -> str:
    return format_mdl(value, choose_language())


# Day, month in words, year and minutes: seconds mean nothing to a person reading a deadline.
MOMENT_FORMAT = "d MMMM y, HH:mm"


def moment(value: object, style: str = MOMENT_FORMAT) -> str:
    parsed = parse_moment(value)
    return format_datetime(parsed, style) if parsed else "—"


def countdown(value: object) -> str:
    left = time_left(datetime.now(UTC), parse_moment(value))
    if left is None:
        return str(_("closed"))
    if not left.days and not left.hours:
        # Under an hour one amount is enough ("12 minute"), and under a minute no amount is honest.
        if left.minutes:
            return ngettext("%(num)d minute", "%(num)d minutes", left.minutes)
        return str(_("less than a minute"))
    if left.days:
        larger = ngettext("%(num)d day", "%(num)d days", left.days)
        smaller = ngettext("%(num)d hour", "%(num)d hours", left.hours)
    else:
        larger = ngettext("%(num)d hour", "%(num)d hours", left.hours)
        smaller = ngettext("%(num)d minute", "%(num)d minutes", left.minutes)
    # One frame per language for the two amounts ("2 zile și 3 ore"), never two pieces glued with a space.
    return gettext("%(larger)s and %(smaller)s", larger=larger, smaller=smaller)


def translated_title(item: dict) -> str:
    """A call's title in the person's language when the department gave one, else the Romanian."""
    return item.get(f"title_{choose_language()}") or item.get("title") or ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        money=money,
        moment=moment,
        countdown=countdown,
        district=district_name,
        service=service_name,
        status=status_label,
        bid_status=bid_status_label,
        title=translated_title,
    )
    app.jinja_env.globals.update(
        districts=districts, service_types=service_types, label=label, person_message=person_message
    )
    app.jinja_env.add_extension("jinja2.ext.do")
