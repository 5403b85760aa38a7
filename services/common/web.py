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
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from services.common.errors import DomainError

log = logging.getLogger(__name__)

ReadinessCheck = tuple[str, Callable[[], None]]

# The largest id a path, query or body may carry: ids are 32-bit INTEGER columns on PostgreSQL, so a bigger
# number can name nothing and must be refused at the edge (404/422) before it reaches the database as a 500.
MAX_ID = 2**31 - 1
# flask-smorest leaves ``?page=`` unbounded; (page - 1) * page_size becomes a SQL OFFSET that overflows the driver.
MAX_PAGE = 1_000_000
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


class ErrorSchema(ma.Schema):
    """Every error body: a code and a message; field errors under ``errors``; some refusals add details
    (``current_status``, ``allowed_transitions``, ``field``…)."""

    class Meta:
        unknown = ma.INCLUDE

    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status code"})
    status = ma.fields.String(metadata={"description": "HTTP status name"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong, for a person"})
    errors = ma.fields.Dict(metadata={"description": "Messages by field (and by location for schema errors)"})


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


class BoundedPaginationParser(FlaskParser):
    """Parses ``?page=&page_size=`` as flask-smorest does, then refuses a page number beyond MAX_PAGE (422)."""

    def parse(self, argmap, req=None, **kwargs):
        parameters = super().parse(argmap, req, **kwargs)
        if getattr(parameters, "page", 0) > MAX_PAGE:
            message = f"must be at most {MAX_PAGE}"
            abort(422, message=f"page {message}", messages={"query": {"page": [message]}})
        return parameters


class ErrorResponsesPlugin(BasePlugin):
    """Documents on every operation the error answers the shared machinery gives, so clients (and the
    schema-conformance fuzz tests) know every status code an operation may answer, and its body."""

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.app = app

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        rule = kwargs.get("rule")
        for method, operation in (operations or {}).items():
            roles = self._required_roles(rule, method)
            codes = {HTTPStatus.UNAUTHORIZED}
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
            for parameter in operation.get("parameters", []):
                if isinstance(parameter, dict) and (parameter.get("in"), parameter.get("name")) == ("query", "page"):
                    parameter.setdefault("schema", {})["maximum"] = MAX_PAGE
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(str(code.value), code.name)

    def _required_roles(self, rule, method: str) -> tuple[str, ...] | None:
        view = self.app.view_functions.get(rule.endpoint) if rule is not None else None
        handler = getattr(getattr(view, "view_class", None), method, view)
        return getattr(handler, "required_roles", None)


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
) -> tuple[Flask, Api]:
    app = Flask(f"services.{name}")
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
        MAX_CONTENT_LENGTH=1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update(config or {})
    app.url_map.converters["int"] = BoundedIntConverter
    api = ServiceApi(app, spec_kwargs={"extra_plugins": [ErrorResponsesPlugin(app)]})
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT (from the registry's POST /auth/token)"}
    )
    api.ma_plugin.converter.add_attribute_function(_numbers_as_sent)
    pagination_parser = BoundedPaginationParser()
    for blueprint in blueprints:
        # Read by flask-smorest's paginate() wrapper at request time, so an instance attribute is enough.
        blueprint.PAGINATION_ARGUMENTS_PARSER = pagination_parser
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{blueprint.url_prefix or ''}")
    app.register_blueprint(_health_blueprint(list(readiness_checks)))
    app.before_request(_refuse_unreadable_json)
    _register_error_handlers(app)
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
        abort(400, message="the body is not valid JSON", messages={"json": ["Invalid JSON body."]})


def _health_blueprint(checks: list[ReadinessCheck]) -> Blueprint:
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
        if failures:
            return jsonify(status="unavailable", failures=failures), 503
        return jsonify(status="ready", checks=[check_name for check_name, _ in checks])

    return health


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        body = {"code": exc.code, "status": exc.name, "message": exc.description}
        extra = getattr(exc, "data", None) or {}
        if isinstance(extra, dict):
            if "messages" in extra:
                body["errors"] = extra["messages"]
            if "message" in extra:
                body["message"] = extra["message"]
            for key, value in extra.items():
                if key not in {"messages", "message", "exc", "headers", "schema"}:
                    body[key] = value
        return jsonify(body), exc.code

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        body = {"code": exc.status_code, "message": exc.message, **exc.details}
        return jsonify(body), exc.status_code

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        # The stack trace goes to the log, never to the caller.
        log.exception("unhandled error")
        return jsonify(code=500, status="Internal Server Error", message="unexpected error; it was logged"), 500
