"""The public reads everyone opens (the listing of calls, a call's page) answered from the read cache.

Signed-in authorities and operators see drafts, so their reads are built each time; anyone else sees what
the public sees and shares one rendered answer per query (services/common/read_cache.py), rebuilt when the
tenders' version moves or the clock reaches the next transition it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from flask import current_app, request
from flask.wrappers import Response
from marshmallow import Schema

from services.common.app import service_context
from services.common.auth import current_principal
from services.common.read_cache import ReadCache, Rendered
from services.contracting.entrypoints.api.common import make_call
from services.contracting.service_layer import tender_views
from services.contracting.service_layer.base import Call

CAPACITY = 512
# Roles whose reads include drafts (their own district's, or every one): never shared.
SEES_DRAFTS = ("authority", "operator")

Build = Callable[[Call], tuple[Any, int | None, datetime | None]]


def shared() -> bool:
    principal = current_principal()
    return principal is None or principal.role not in SEES_DRAFTS


def answer(key: Hashable, schema: Schema, build: Build) -> tuple[Response, int | None]:
    """The rendered answer for ``key`` and its row count; ``build(call)`` returns (result, count, valid_until)
    when it must be built again. A client holding the same ETag gets a 304."""
    context = service_context()
    call = make_call()
    # The version first: a change committed while the answer is built leaves it stored under the older one.
    version = tender_views.tenders_version(context.engine)
    cache = _cache()
    entry = cache.get(key, version, call.now)
    if entry is None:
        result, total, valid_until = build(call)
        body = current_app.json.dumps(schema.dump(result)).encode()
        entry = cache.put(key, version, call.now, valid_until, body, total)
    return _response(entry), entry.total


def _cache() -> ReadCache:
    # One per app (each app has its own database), not per module: tests build many apps in one process.
    return current_app.extensions.setdefault("contracting.read_cache", ReadCache(CAPACITY))


def _response(entry: Rendered) -> Response:
    response = current_app.response_class(entry.body, mimetype="application/json")
    response.set_etag(entry.etag.strip('"'))
    return response.make_conditional(request)
