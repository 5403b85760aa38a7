"""Canonical JSON and its SHA-256: the same document always hashes the same (receipts, audit chain)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal


def _default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not canonical JSON")


def canonical_json(document) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def sha256_of(document) -> str:
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()
