"""Contracting settings from the environment, including the per-procedure periods.

Periods default to days (the law's units); each can be overridden in seconds so the demo can compress time:
CONTRACTING_MIN_ENQUIRY_SECONDS, CONTRACTING_MIN_TENDERING_SECONDS, CONTRACTING_MIN_AMENDMENT_EXTENSION_SECONDS,
CONTRACTING_STANDSTILL_SECONDS (replaces every tender's standstill_days); CONTRACTING_STANDSTILL_DAYS sets the
default standstill of new tenders (6, Law 131/2015 art. 31).

Contracts (renewal policy, see domain/renewal.py): CONTRACTING_RENEWAL_NOTICE_DAYS (90) or _SECONDS,
CONTRACTING_MAX_RENEWALS (2), CONTRACTING_MAX_CONTRACT_MONTHS (60), CONTRACTING_KPI_THRESHOLD_PERCENT (90),
CONTRACTING_EVALUATION_DAYS (15) / _SECONDS and CONTRACTING_SIGNATURE_MARGIN_DAYS (10) / _SECONDS (the re-tender's
lead time), CONTRACTING_REPORT_GRACE_DAYS (15) / _SECONDS (a report is late after its period end plus this),
CONTRACTING_MAX_VALUE_CHANGE_PERCENT and CONTRACTING_MAX_PLACES_CHANGE_PERCENT (20 each, cumulative, per
amendment limits), CONTRACTING_CONTRACT_MONTH_SECONDS (unset: calendar months; set: the demo's short month).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from services.common.settings import ServiceSettings, var_dir
from services.contracting.domain.contracts import ChangeLimits, TermRules
from services.contracting.domain.procedure import ProcedureRules
from services.contracting.domain.renewal import RenewalPolicy

PROCEDURE_DEFAULTS = {
    "min_enquiry": timedelta(days=5),
    "min_tendering": timedelta(days=10),
    "min_amendment_extension": timedelta(days=4),
}


def _seconds(name: str) -> timedelta | None:
    value = os.environ.get(f"CONTRACTING_{name.upper()}_SECONDS")
    return timedelta(seconds=float(value)) if value else None


def procedure_rules() -> ProcedureRules:
    periods = {name: _seconds(name) or default for name, default in PROCEDURE_DEFAULTS.items()}
    return ProcedureRules(
        **periods,
        default_standstill_days=int(os.environ.get("CONTRACTING_STANDSTILL_DAYS", "6")),
        standstill_override=_seconds("standstill"),
    )


def _period(name: str, default_days: int) -> timedelta:
    days = os.environ.get(f"CONTRACTING_{name.upper()}_DAYS")
    return _seconds(name) or timedelta(days=float(days) if days else default_days)


def _number(name: str, default: str) -> Decimal:
    return Decimal(os.environ.get(f"CONTRACTING_{name.upper()}", default))


def renewal_policy() -> RenewalPolicy:
    return RenewalPolicy(
        notice_window=_period("renewal_notice", 90),
        max_renewals=int(_number("max_renewals", "2")),
        max_total_months=int(_number("max_contract_months", "60")),
        kpi_threshold_percent=_number("kpi_threshold_percent", "90"),
        evaluation_period=_period("evaluation", 15),
        signature_margin=_period("signature_margin", 10),
        report_grace=_period("report_grace", 15),
    )


def contract_rules() -> tuple[TermRules, ChangeLimits]:
    return TermRules(month_override=_seconds("contract_month")), ChangeLimits(
        max_value_change_percent=_number("max_value_change_percent", "20"),
        max_places_change_percent=_number("max_places_change_percent", "20"),
    )


def publication_settings() -> dict:
    """Who publishes the OCDS data and under which licence (OCDS_PUBLISHER_*, OCDS_LICENSE, OCDS_POLICY_URL)."""
    return {
        "name": os.environ.get("OCDS_PUBLISHER_NAME", "Platforma de contractare a serviciilor sociale, Moldova"),
        "scheme": os.environ.get("OCDS_PUBLISHER_SCHEME", ""),
        "uid": os.environ.get("OCDS_PUBLISHER_UID", ""),
        "uri": os.environ.get("OCDS_PUBLISHER_URI", "https://sscp.gov.md"),
        "license": os.environ.get("OCDS_LICENSE", "https://creativecommons.org/licenses/by/4.0/"),
        "policy": os.environ.get("OCDS_POLICY_URL", "https://sscp.gov.md/transparency/publication-policy"),
    }


@dataclass(frozen=True)
class ContractingSettings:
    """Contracting's own settings, parsed once from the environment (the variables above)."""

    ocid_prefix: str
    procedure: ProcedureRules
    renewal: RenewalPolicy
    terms: TermRules
    change_limits: ChangeLimits
    publication: Mapping[str, str]
    # Documents' bytes (DOCUMENTS_DIR, by default VAR_DIR/documents; a mounted volume in docker-compose) and the
    # largest file taken (DOCUMENT_MAX_BYTES, 25 MB)
    documents_dir: Path
    document_max_bytes: int
    # Where the public reaches this API (CONTRACTING_PUBLIC_URL): the base of every document's download url
    public_api_url: str

    @classmethod
    def from_env(cls) -> ContractingSettings:
        terms, limits = contract_rules()
        return cls(
            documents_dir=Path(os.environ.get("DOCUMENTS_DIR") or var_dir() / "documents"),
            document_max_bytes=int(os.environ.get("DOCUMENT_MAX_BYTES") or 25 * 1024 * 1024),
            public_api_url=(os.environ.get("CONTRACTING_PUBLIC_URL") or _local_api_url()).rstrip("/"),
            ocid_prefix=os.environ.get("OCID_PREFIX", "ocds-sscp01"),
            procedure=procedure_rules(),
            renewal=renewal_policy(),
            terms=terms,
            change_limits=limits,
            publication=publication_settings(),
        )


def _local_api_url() -> str:
    return f"http://127.0.0.1:{os.environ.get('CONTRACTING_PORT') or 5002}/api/v1"


def contracting_settings(**overrides) -> ServiceSettings:
    return ServiceSettings.from_env("contracting", **overrides)
