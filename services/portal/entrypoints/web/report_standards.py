"""A monitoring report's minimum quality standards in the person's language: the checklist a CSO answers for its
contract's service type, and the answers as the department reviews them (from services/common/quality_standards.py).
"""

from __future__ import annotations

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _

from services.common.quality_standards import Checklist, checklist_for, standard_name
from services.portal.entrypoints.web.cso_forms import standard_field_names

ANSWER_LABELS = {"met": _("Met"), "partly": _("Partly met"), "not_met": _("Not met")}


def _language() -> str:
    locale = get_locale()
    return locale.language if locale else "ro"


def checklist(service_type: str | None) -> Checklist:
    return checklist_for(service_type)


def form_standards(service_type: str | None) -> tuple[tuple[str, str, str], ...]:
    """(code, name, note label) per standard, for ``report_form_for``."""
    language = _language()
    return tuple(
        (s.code, s.name(language), gettext("Note on %(code)s (required unless met)", code=s.code))
        for s in checklist(service_type).standards
    )


def fields_of(form, service_type: str | None) -> list[dict]:
    """Each standard with its two form fields, in the checklist's order, for the template."""
    rows = []
    for standard in checklist(service_type).standards:
        status_name, note_name = standard_field_names(standard.code)
        rows.append({"code": standard.code, "status": form[status_name], "note": form[note_name]})
    return rows


def answers_payload(form, service_type: str | None) -> list[dict]:
    """The answers as the contracting API takes them: [{code, status, note}]."""
    return [
        {"code": row["code"], "status": row["status"].data, "note": (row["note"].data or "").strip()}
        for row in fields_of(form, service_type)
    ]


def answered(report: dict) -> list[dict]:
    """A report's answers with each standard's name and the answer in words (a report filed before the checklist
    existed has none)."""
    language = _language()
    return [
        {
            "code": answer.get("code"),
            "name": standard_name(str(answer.get("code")), language),
            "status": answer.get("status"),
            "answer": str(ANSWER_LABELS.get(answer.get("status"), answer.get("status") or "—")),
            "note": answer.get("note") or "",
        }
        for answer in report.get("standards") or []
    ]
