"""Jinja2 templates per event type and language: templates/<event_type>/<lang>.txt, first line the subject.

Lookup order: the event's template in the recipient's language, the event's in Romanian, then the generic
``_default`` in the language and in Romanian. A missing or broken translation therefore falls back to ro; if
every template fails, a plain subject and body are built, so rendering never raises.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import ChainableUndefined, Environment, FileSystemLoader, TemplateNotFound, pass_context

from services.common.reference_data import district_name, service_name
from services.notifications.domain.formatting import format_bani, format_local_date, format_local_time, format_mdl
from services.notifications.domain.preferences import DEFAULT_LANGUAGE

log = logging.getLogger(__name__)
SUBJECT_MAX = 300


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    template: str  # which file produced it (or "builtin")


def _in_the_notice_language(format_value: Callable[[object, str], str]):
    """A filter that formats a value (money, time, a district's name) in the language of the notice it renders."""

    @pass_context
    def filter_(context, value) -> str:
        return format_value(value, context.get("language", DEFAULT_LANGUAGE))

    return filter_


_mdl = _in_the_notice_language(format_mdl)
_bani = _in_the_notice_language(format_bani)
_local_time = _in_the_notice_language(format_local_time)
_local_date = _in_the_notice_language(format_local_date)
_district = _in_the_notice_language(district_name)


@pass_context
def _service(context, code) -> str:
    """The directory's names (a type the registry announced) first, then the starting nomenclature."""
    language = context.get("language", DEFAULT_LANGUAGE)
    announced = (context.get("service_names") or {}).get(code) or {}
    return announced.get(language) or announced.get(DEFAULT_LANGUAGE) or service_name(code, language)


class TemplateRenderer:
    def __init__(self, directory: Path) -> None:
        # Plain text, never HTML: no autoescaping; a missing field renders empty instead of raising.
        self.environment = Environment(
            loader=FileSystemLoader(str(directory)),
            undefined=ChainableUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        # Codes never reach a person: districts and services are named in the notice's language.
        self.environment.filters.update(
            mdl=_mdl, bani=_bani, local_time=_local_time, local_date=_local_date, district=_district, service=_service
        )

    def render(self, template_key: str, language: str, context: dict) -> Rendered:
        context = {**context, "language": language}
        for name in _candidates(template_key, language):
            try:
                text = self.environment.get_template(name).render(context)
            except TemplateNotFound:
                continue
            except Exception:  # a broken translation must not stop the notice: fall back to the next
                log.exception("template %s failed; falling back", name)
                continue
            return _split(text, name)
        body = json.dumps(context.get("event", {}), ensure_ascii=False, default=str)
        return Rendered(subject=template_key, body=body, template="builtin")


def _candidates(template_key: str, language: str) -> list[str]:
    names = []
    for key in (template_key, "_default"):
        for lang in (language, DEFAULT_LANGUAGE):
            name = f"{key}/{lang}.txt"
            if name not in names:
                names.append(name)
    return names


def _split(text: str, name: str) -> Rendered:
    lines = text.strip().splitlines() or [""]
    # Header injection is impossible: the subject is one line, its whitespace collapsed.
    subject = " ".join(lines[0].split())[:SUBJECT_MAX]
    body = "\n".join(lines[1:]).strip("\n") + "\n"
    return Rendered(subject=subject, body=body, template=name)
