"""The fuzz harness: every operation of a service's OpenAPI document, valid and invalid inputs, checked answers.

schemathesis loads the document from the app itself (WSGI, no server) and generates requests per operation;
each answer must be no 5xx, a documented status code and content type, a body matching the documented schema,
and (for errors) no stack trace or SQL. Every method a path's document does not list must answer 405 with an
``Allow`` header naming the methods it does list. FUZZ_EXAMPLES sets examples per operation and mode (default 15, CI);
`make fuzz` runs with a large count and fresh randomness, CI runs are derandomized and so reproducible.
"""

from __future__ import annotations

import os
import re

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
# Invalid input mostly meets the schema's 422 early: a smaller share of the budget finds the crashes it can.
NEGATIVE_EXAMPLES = max(5, EXAMPLES // 2)
# A caller whose role the operation refuses is stopped before any input is read: a few valid examples show the
# refusal is documented; the budget goes to the callers who get through.
REFUSED_EXAMPLES = 3
LONG_RUN = "FUZZ_EXAMPLES" in os.environ
INTERNALS = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|sqlalchemy|sqlite3?\.|psycopg|"
    r"\[SQL:|\bSELECT\b[^\n]{1,200}?\bFROM\b|\bINSERT INTO\b|\bUPDATE\b[^\n]{1,200}?\bSET\b",
    re.IGNORECASE,
)


@schemathesis.check
def no_internals_in_error_bodies(ctx, response, case):
    """An error body is for the caller: never a stack trace, a driver's name or SQL (unless it merely echoes
    what the caller sent, e.g. a refused field name)."""
    if response.status_code < 400:
        return
    sent = " ".join(str(part) for part in (case.path_parameters, case.query, case.body, case.headers))
    leaked = [match.group() for match in INTERNALS.finditer(response.text or "") if match.group() not in sent]
    if leaked:
        raise AssertionError(f"the {response.status_code} body shows internals ({leaked[0]!r}): {response.text[:300]}")


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    no_internals_in_error_bodies,
]


def fuzz_settings(examples: int):
    phases = [Phase.explicit, Phase.generate, *([Phase.shrink] if LONG_RUN else [])]
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=not LONG_RUN,
        phases=phases,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )


def admitted(operation, role: str) -> bool:
    """Whether ``role`` (a role name or "anonymous") passes the operation's role gate (x-roles)."""
    roles = operation.definition.raw.get("x-roles")
    return roles is None or role in roles


def budgets(operation, role: str) -> dict[GenerationMode, int]:
    if not admitted(operation, role):
        return {GenerationMode.POSITIVE: REFUSED_EXAMPLES}
    return {GenerationMode.POSITIVE: EXAMPLES, GenerationMode.NEGATIVE: NEGATIVE_EXAMPLES}


def fuzz_operation(operation, mode: GenerationMode, headers: dict[str, str], examples: int) -> None:
    @fuzz_settings(examples)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        request_headers = dict(headers)
        if not headers:
            # Anonymous means no token at all, even where the document lists bearer security.
            (case.headers or {}).pop("Authorization", None)
        case.call_and_validate(headers=request_headers, checks=CHECKS)

    run()


HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def undocumented_methods(app, headers: dict[str, str]) -> dict[str, str]:
    """What schemathesis's ``unsupported_method`` check asks (it runs only in its coverage phase, which the
    per-operation strategies above never enter): a method a path does not document answers 405, and its
    ``Allow`` header (RFC 9110) names every method the path documents."""
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").json
    findings: dict[str, str] = {}
    for path, item in document["paths"].items():
        documented = {method for method in item if method in HTTP_METHODS}
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in sorted(set(HTTP_METHODS) - documented):
            response = client.open(url, method=method.upper(), headers=headers)
            allow = response.headers.get("Allow", "")
            allowed = {name.strip().lower() for name in allow.split(",") if name.strip()}
            if response.status_code != 405 or not documented <= allowed:
                findings[f"{method.upper()} {path} [undocumented method]"] = (
                    f"answered {response.status_code} with Allow: {allow!r}; the document lists {sorted(documented)}"
                )
    return findings


def fuzz(app, role: str, headers: dict[str, str]) -> dict[str, str]:
    """Findings by operation and mode (empty: every generated request was answered as documented)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    findings: dict[str, str] = undocumented_methods(app, headers)
    for result in schema.get_all_operations():
        operation = result.ok()
        budget = budgets(operation, role)
        for mode, examples in budget.items():
            try:
                fuzz_operation(operation, mode, headers, examples)
            except Unsatisfiable:
                pass  # nothing to vary in this mode (e.g. no parameters to make invalid)
            except (AssertionError, Exception, BaseExceptionGroup) as exc:
                findings[f"{operation.label} [{mode.value}]"] = summary(exc)
    return findings


def summary(exc: BaseException) -> str:
    text = str(exc).strip()
    # A flaky failure (failed, then passed on replay) hides what failed in its sub-exceptions: show them.
    for sub in getattr(exc, "exceptions", ())[:2]:
        text += f"\n  sub-exception: {type(sub).__name__}: {str(sub).strip()[:600]}"
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(lines[:14])[:1500]


def report(findings: dict[str, str]) -> str:
    return "\n\n".join(f"== {label}\n{text}" for label, text in sorted(findings.items()))
