"""The Flask app shape every service shares: OpenAPI, JSON errors, health and readiness."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from decimal import Decimal
from http import HTTPStatus

import marshmallow as ma
from apispec import BasePlugin
from flask import Blueprint, Flask, jsonify, request
from flask_smorest import Api, abort
from flask_smorest.pagination import PaginationMetadataSchema as PAGE_META
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from services.common import api_docs
from services.common.blueprint import MAX_PAGE
from services.common.errors import DomainError

log = logging.getLogger(__name__)

ReadinessCheck = tuple[str, Callable[[], None]]
# A warning names something behind the API that is not well (a stopped relay, a stuck worker): the API itself can
# still serve, so /readyz stays 200 and says it; the callable returns None when all is well.
ReadinessWarning = tuple[str, Callable[[], str | None]]

# The largest id a path, query or body may carry: ids are 32-bit INTEGER columns on PostgreSQL, so a bigger
# number can name nothing and must be refused at the edge (404/422) before it reaches the database as a 500.
MAX_ID = 2**31 - 1
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
# Where webargs says a schema error was found; the error body keys errors by field and names the location apart.
LOCATIONS = frozenset({"json", "query", "querystring", "form", "json_or_form", "headers", "cookies", "files", "path"})
# Names people try from other APIs, answered with the one this API takes (one name per meaning keeps the document
# the whole truth: an accepted alias would be a parameter no document shows).
QUERY_NAME_HINTS = {
    "per_page": "page_size",
    "limit": "page_size",
    "size": "page_size",
    "offset": "page",
    "ocid": "correlation_id",  # notifications file events under the tender's ocid as their correlation_id
}


class ErrorSchema(ma.Schema):
    """Every error body, from schema validation and from the rules alike: a code and a message; messages by
    field under ``errors`` (a nested field keeps its path: ``{"scores": {"0": {"score": […]}}}``; ``_schema``
    is the body or query as a whole); ``location`` says where those fields were read when a schema refused
    them; some refusals add details (``current_status``, ``allowed_transitions``…)."""

    class Meta:
        unknown = ma.INCLUDE

    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status code", "example": 422})
    status = ma.fields.String(metadata={"description": "HTTP status name", "example": "Unprocessable Entity"})
    message = ma.fields.String(
        required=True,
        metadata={"description": "What went wrong, for a person", "example": "unit_price: Not a valid number."},
    )
    errors = ma.fields.Dict(
        metadata={
            "description": "Messages by field (the field's name as sent; never nested by location)",
            "example": {"unit_price": ["Not a valid number."]},
        }
    )
    location = ma.fields.String(
        metadata={
            "description": "Where the fields in errors were read: json (the body), query, headers…",
            "example": "json",
        }
    )


class ServiceApi(Api):
    """flask-smorest's Api with our error body documented and explicit error codes instead of ``default``."""

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_pagination_header(self) -> None:
        # X-Pagination carries JSON text. OpenAPI 3 says so with ``content``; a ``schema`` of type object would
        # mean the "k,v,k,v" header style, which no client (nor a conformance check) would read as our JSON.
        header = {"description": "Pagination metadata (JSON)", "content": {"application/json": {"schema": PAGE_META}}}
        self.spec.components.header("PAGINATION", header, lazy=True)


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` path parts above MAX_ID do not match (404) instead of overflowing the database driver."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class ErrorResponsesPlugin(BasePlugin):
    """Documents on every operation the error answers the shared machinery gives, so clients (and the
    schema-conformance fuzz tests) know every status code an operation may answer, and its body."""

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.app = app
        # (endpoint, method) -> the query parameters its document lists: anything else is refused (422).
        self.query_parameters: dict[tuple[str, str], frozenset[str]] = {}

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        rule = kwargs.get("rule")
        for method, operation in (operations or {}).items():
            roles = self._required_roles(rule, method)
            # Every operation refuses a query parameter its document does not list (422).
            codes = {HTTPStatus.UNAUTHORIZED, HTTPStatus.UNPROCESSABLE_ENTITY}
            codes |= set(getattr(self._handler(rule, method), "documented_errors", ()))
            if roles is not None:
                codes.add(HTTPStatus.FORBIDDEN)
                operation.setdefault("security", [{"bearerAuth": []}])
                operation["x-roles"] = list(roles)
                note = f"Roles: {', '.join(roles)}."
                operation["description"] = f"{operation.get('description', '')}\n\n{note}".strip()
            if rule is not None and rule.arguments:
                codes.add(HTTPStatus.NOT_FOUND)
            if method in WRITE_METHODS or "requestBody" in operation:
                codes |= {HTTPStatus.BAD_REQUEST, HTTPStatus.REQUEST_ENTITY_TOO_LARGE}
                codes |= {HTTPStatus.CONFLICT, HTTPStatus.UNPROCESSABLE_ENTITY}
            query = set()
            for parameter in operation.get("parameters", []):
                if isinstance(parameter, dict) and parameter.get("in") == "query":
                    query.add(parameter["name"])
                if isinstance(parameter, dict) and (parameter.get("in"), parameter.get("name")) == ("query", "page"):
                    parameter.setdefault("schema", {})["maximum"] = MAX_PAGE
            if rule is not None:
                self.query_parameters[(rule.endpoint, method)] = frozenset(query)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(str(code.value), code.name)

    def _required_roles(self, rule, method: str) -> tuple[str, ...] | None:
        return getattr(self._handler(rule, method), "required_roles", None)

    def _handler(self, rule, method: str):
        view = self.app.view_functions.get(rule.endpoint) if rule is not None else None
        return getattr(getattr(view, "view_class", None), method, view)


def documents_errors(*codes: HTTPStatus) -> Callable:
    """Marks a handler that may answer ``codes`` beyond those the shared machinery documents (e.g. a read that
    refuses with 409 until the caller has done something first), so its OpenAPI operation lists them."""

    def mark(handler: Callable) -> Callable:
        handler.documented_errors = (*getattr(handler, "documented_errors", ()), *codes)
        return handler

    return mark


def _refuse_unknown_query_parameters(documented: dict[tuple[str, str], frozenset[str]]) -> Callable[[], None]:
    """A query parameter the operation's document does not list is refused (422 naming it), never ignored:
    ``GET /deliveries?ocid=…`` answering every delivery reads as "these are that call's"."""

    def check() -> None:
        rule = request.url_rule
        method = "get" if request.method == "HEAD" else request.method.lower()
        known = documented.get((rule.endpoint, method)) if rule is not None else None
        if known is None:
            return  # not an API operation (health, metrics, the docs and their assets)
        unknown = [name for name in request.args if name not in known]
        if not unknown:
            return
        hints = [f"{name} is called {QUERY_NAME_HINTS[name]} here" for name in unknown if _hinted(name, known)]
        takes = f"it takes {', '.join(sorted(known))}" if known else "it takes none"
        message = f"unknown query parameter {', '.join(unknown)}: {'; '.join(hints) or takes}"
        errors = {name: ["Unknown query parameter."] for name in unknown}
        abort(422, message=message, messages={"query": errors})

    return check


def _hinted(name: str, known: frozenset[str]) -> bool:
    return QUERY_NAME_HINTS.get(name) in known


def _numbers_as_sent(self, field, ret, **kwargs) -> dict:
    """Make the document say what the wire carries.

    apispec writes a Range's bounds the way the field dumps values, so a Decimal(as_string=True) documents
    ``"minimum": "0.01"`` (an invalid document) and ``type: number`` while every answer carries "400000.00".
    Such a Decimal is a string of digits (bounds kept as x-minimum/x-maximum); other bounds are numbers."""
    if not isinstance(field, ma.fields.Number):
        return {}
    bounds = {key: Decimal(str(ret[key])) for key in ("minimum", "maximum") if key in ret}
    if isinstance(field, ma.fields.Decimal) and field.as_string:
        for key in bounds:
            del ret[key]  # apispec hands over the property being built; a bound on a string would be ignored
        limits = {f"x-{key}": str(value) for key, value in bounds.items()}
        return {"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN, **limits}
    return {key: int(value) if value == value.to_integral_value() else float(value) for key, value in bounds.items()}


def create_service_app(
    name: str,
    title: str,
    blueprints: Iterable[Blueprint],
    readiness_checks: Iterable[ReadinessCheck],
    config: dict | None = None,
    readiness_warnings: Iterable[ReadinessWarning] = (),
) -> tuple[Flask, Api]:
    app = Flask(f"services.{name}")
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        # Swagger UI's files come from a pinned package and are served by the service itself (relative to
        # /api/v1/docs), so the docs work offline; its default validator badge would call validator.swagger.io.
        OPENAPI_SWAGGER_UI_URL=api_docs.SWAGGER_UI_URL,
        OPENAPI_SWAGGER_UI_CONFIG={"validatorUrl": None},
        MAX_CONTENT_LENGTH=1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update(config or {})
    app.url_map.converters["int"] = BoundedIntConverter
    error_responses = ErrorResponsesPlugin(app)
    api = ServiceApi(app, spec_kwargs={"extra_plugins": [error_responses, api_docs.GlossaryPlugin()]})
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT (from the registry's POST /auth/token)"}
    )
    api.ma_plugin.converter.add_attribute_function(_numbers_as_sent)
    api.ma_plugin.converter.add_attribute_function(api_docs.describe_from_glossary)
    for blueprint in blueprints:
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{blueprint.url_prefix or ''}")
    app.register_blueprint(health_blueprint(list(readiness_checks), list(readiness_warnings)))
    app.register_blueprint(api_docs.swagger_ui_assets())
    app.before_request(_refuse_unknown_query_parameters(error_responses.query_parameters))
    app.before_request(_refuse_unreadable_json)
    _register_error_handlers(app)
    # Imported here: it needs SQLAlchemy, which the portal (health_blueprint only, no database) never loads.
    from services.common.outages import register_outage_handlers

    register_outage_handlers(app)  # database unreachable: 503 + Retry-After
    return app, api


def _refuse_unreadable_json() -> None:
    """A JSON body the decoder cannot read is a 400, like any other bad JSON.

    webargs turns only JSONDecodeError into a 400; the standard decoder raises RecursionError for deeply nested
    arrays and a plain ValueError for integers over 4,300 digits, which became 500s. Reading the body here also
    applies MAX_CONTENT_LENGTH (413) before anything else looks at it."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or not request.is_json:
        return
    body = request.get_data(cache=True)
    if not body:
        return
    limit = request.max_content_length
    if limit is not None and request.content_length is None and len(body) >= limit:
        # A streamed (chunked) body is cut at the limit without an error; the cut text must not be read as JSON.
        raise RequestEntityTooLarge()
    try:
        json.loads(body)
    except (ValueError, RecursionError):
        abort(400, message="the body is not valid JSON", messages={"json": {"_schema": ["Invalid JSON body."]}})


def health_blueprint(checks: list[ReadinessCheck], warnings: list[ReadinessWarning]) -> Blueprint:
    health = Blueprint("health", __name__)

    @health.get("/healthz")
    def healthz():
        """Alive: the process answers. Restart it if this fails."""
        return jsonify(status="ok")

    @health.get("/readyz")
    def readyz():
        """Ready: its database and the bus answer. Take it out of the load balancer if this fails."""
        failures = {}
        for check_name, check in checks:
            try:
                check()
            except Exception as exc:  # report what is down; never crash the probe
                # Anonymous probe: say what is down; the driver's text (host, port, database) goes to the log.
                log.warning("readiness check %s failed: %s", check_name, exc)
                failures[check_name] = "unavailable"
        noticed = _warnings(warnings)
        extra = {"warnings": noticed} if noticed else {}
        if failures:
            return jsonify(status="unavailable", failures=failures, **extra), 503
        return jsonify(status="ready", checks=[check_name for check_name, _ in checks], **extra)

    return health


def _warnings(warnings: list[ReadinessWarning]) -> dict[str, str]:
    noticed = {}
    for warning_name, warning in warnings:
        try:
            message = warning()
        except Exception as exc:  # a warning that cannot be computed is not worth failing the probe for
            log.warning("readiness warning %s could not be computed: %s", warning_name, exc)
            continue
        if message:
            noticed[warning_name] = message
    return noticed


def _by_field(messages) -> tuple[object, str | None]:
    """webargs nests schema errors by location (``{"json": {"unit_price": […]}}``) while the rules
    (DomainError/Invalid) key them by field: one shape for both, errors by field and the location apart."""
    if not isinstance(messages, dict) or not messages or not set(messages) <= LOCATIONS:
        return messages, None
    errors: dict = {}
    for by_field in messages.values():
        errors.update(by_field if isinstance(by_field, dict) else {"_schema": by_field})
    return errors, ", ".join(messages)


def _summary(errors: dict) -> str:
    """The first message of up to three fields, so the message alone says what to fix."""
    parts = []
    for name, value in list(errors.items())[:3]:
        while isinstance(value, dict) and value:
            value = next(iter(value.values()))
        text = value[0] if isinstance(value, list) and value else value
        parts.append(f"{name}: {text}" if isinstance(text, str) else name)
    return "; ".join(parts)


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        body = {"code": exc.code, "status": exc.name, "message": exc.description}
        extra = getattr(exc, "data", None) or {}
        headers = [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]
        if isinstance(extra, dict):
            if "messages" in extra:
                body["errors"], location = _by_field(extra["messages"])
                if location:
                    body["location"] = location
                if "message" not in extra and isinstance(body["errors"], dict):
                    body["message"] = _summary(body["errors"]) or body["message"]
            if "message" in extra:
                body["message"] = extra["message"]
            for key, value in extra.items():
                if key not in {"messages", "message", "exc", "headers", "schema"}:
                    body[key] = value
            headers.extend((extra.get("headers") or {}).items())
        # The exception's own headers matter: a 405 must say in Allow which methods the path takes.
        return jsonify(body), exc.code, headers

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        body = {"code": exc.status_code, "message": exc.message, **exc.details}
        return jsonify(body), exc.status_code

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        # The stack trace goes to the log, never to the caller.
        log.exception("unhandled error")
        return jsonify(code=500, status="Internal Server Error", message="unexpected error; it was logged"), 500
