"""Errors say what to fix and nothing about the inside: size limits (413), bad JSON (400), unknown routes, and
internal failures (a generic JSON 500, the trace in the log only) on every service."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from tests.security.conftest import SERVICES
from tests.security.fuzzing import INTERNALS
from tests.security.seeds import PRINCIPALS, headers_for

LIMIT = 1024 * 1024
SECRET = "boom in SELECT password_hash FROM users WHERE email='x' at /srv/sscp/secret.py line 7"
# A public or any-role read per service that goes to the database.
READS = {
    "registry": ("/api/v1/providers", "anonymous"),
    "contracting": ("/api/v1/tenders", "anonymous"),
    "notifications": ("/api/v1/inbox/unread-count", "cso"),
}


def body_operations(app) -> list[tuple[str, str, str]]:
    """(method, path, caller) for every operation that takes a body, with a caller its role gate lets through."""
    callers = {role: name for name, (role, _subject, _claims) in reversed(list(PRINCIPALS.items()))}
    document = app.test_client().get("/api/v1/openapi.json").json
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "requestBody" in operation:
                roles = operation.get("x-roles")
                caller = callers[roles[0]] if roles else "anonymous"
                found.append(
                    (method.upper(), path.replace("{district_code}", "MD-CU").replace("{", "").replace("}", ""), caller)
                )
    return [(method, _fill(path), caller) for method, path, caller in found]


def _fill(path: str) -> str:
    return "/".join("1" if part.endswith("_id") else part for part in path.split("/"))


def assert_generic(response, code: int) -> None:
    assert response.status_code == code, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    assert response.json["code"] == code and response.json["message"]
    assert not INTERNALS.search(response.get_data(as_text=True)), response.get_data(as_text=True)


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_that_takes_a_body_refuses_one_over_a_mebibyte_with_a_json_413(
    make_service_app, token_mint, service
):
    app = make_service_app(service)
    client = app.test_client()
    operations = body_operations(app)
    assert operations, f"{service} documents operations with a request body"
    oversized = b'{"padding": "' + b"x" * LIMIT + b'"}'
    for method, path, caller in operations:
        response = client.open(
            path,
            method=method,
            data=oversized,
            content_type="application/json",
            headers=headers_for(token_mint, caller),
        )
        assert_generic(response, 413)


@pytest.mark.parametrize("service", SERVICES)
def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit_too(make_service_app, token_mint, service):
    app = make_service_app(service)
    method, path, caller = body_operations(app)[0]
    stream = io.BytesIO(b'{"padding": "' + b"x" * (2 * LIMIT) + b'"}')
    headers = {**headers_for(token_mint, caller), "Transfer-Encoding": "chunked", "Content-Type": "application/json"}
    # gunicorn marks a chunked body's stream as terminated; werkzeug then reads it, up to the limit.
    terminated = {"wsgi.input_terminated": True}
    response = app.test_client().open(
        path, method=method, input_stream=stream, headers=headers, environ_overrides=terminated
    )
    assert_generic(response, 413)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"n": ' + b"9" * 5000 + b"}", b'{"unterminated": ', b"\xff\xfe\x00{"],
    ids=["nested 100,000 deep", "a 5,000-digit number", "truncated", "not UTF-8"],
)
def test_a_body_the_json_decoder_cannot_read_is_a_400_on_every_service(make_service_app, token_mint, service, body):
    app = make_service_app(service)
    for method, path, caller in body_operations(app):
        response = app.test_client().open(
            path, method=method, data=body, content_type="application/json", headers=headers_for(token_mint, caller)
        )
        assert_generic(response, 400)


@pytest.mark.parametrize("service", SERVICES)
def test_unknown_routes_and_methods_answer_json(make_service_app, service):
    client = make_service_app(service).test_client()
    assert_generic(client.get("/api/v1/no-such-thing"), 404)
    assert_generic(client.get("/api/v1/openapi.json/../../etc/passwd"), 404)
    assert_generic(client.delete("/api/v1/openapi.json"), 405)


@pytest.mark.parametrize("service", SERVICES)
def test_a_failure_deep_inside_answers_a_generic_json_500_and_the_trace_goes_to_the_log(
    make_service_app, token_mint, caplog, service
):
    app = make_service_app(service)
    context = app.extensions["service_context"]

    def broken_database(*_args, **_kwargs):
        raise RuntimeError(SECRET)

    context.session_factory = broken_database
    path, caller = READS[service]
    with caplog.at_level(logging.ERROR):
        response = app.test_client().get(path, headers=headers_for(token_mint, caller))
    assert_generic(response, 500)
    assert "boom" not in response.get_data(as_text=True)
    assert response.json["message"] == "unexpected error; it was logged"
    logged = [record for record in caplog.records if record.exc_info]
    assert logged and SECRET in str(logged[-1].exc_info[1])


@pytest.mark.parametrize("service", SERVICES)
def test_when_the_database_disappears_callers_get_a_generic_500_not_the_sql(make_service_app, token_mint, service):
    app = make_service_app(service)
    context = app.extensions["service_context"]
    context.engine.dispose()
    Path(context.engine.url.database).unlink()  # SQLite reopens an empty file: "no such table: …" with the SQL
    path, caller = READS[service]
    response = app.test_client().get(path, headers=headers_for(token_mint, caller))
    assert_generic(response, 500)
    assert "no such table" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("service", "path", "caller", "code"),
    [
        ("registry", f"/api/v1/providers/{2**70}", "anonymous", 404),
        ("registry", f"/api/v1/accreditations?provider_id={2**70}", "anonymous", 422),
        ("registry", f"/api/v1/users?provider_id={-(2**70)}", "operator", 422),
        ("registry", f"/api/v1/providers?page={10**12}", "anonymous", 422),
        ("notifications", f"/api/v1/deliveries/{2**70}", "operator", 404),
        ("notifications", f"/api/v1/inbox?page={10**12}", "cso", 422),
        ("contracting", f"/api/v1/tenders/{2**70}", "anonymous", 404),
        ("contracting", f"/api/v1/tenders?page={10**12}", "anonymous", 422),
    ],
)
def test_numbers_beyond_any_id_or_page_are_refused_at_the_edge_not_in_the_database(
    make_service_app, token_mint, service, path, caller, code
):
    response = make_service_app(service).test_client().get(path, headers=headers_for(token_mint, caller))
    assert_generic(response, code)
