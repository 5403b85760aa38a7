"""What a person gets from /api/v1/docs and /api/v1/openapi.json: a Swagger UI that works with no internet,
and request schemas whose fields say what they are and show a value to start from."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import jsonschema
import pytest

from tests.common.integration.conftest import SERVICES

BASE = "http://localhost/"
DOCS = urljoin(BASE, "api/v1/docs")
REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|\burl\s*:\s*["']([^"']+)["']""")


def referenced_urls(page: str) -> list[str]:
    return [first or second for first, second in REFERENCE.findall(page)]


@pytest.mark.parametrize("name", SERVICES)
def test_swagger_ui_and_every_asset_it_loads_are_served_by_the_service_itself(service_apps, name):
    client = service_apps[name].test_client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    urls = [urljoin(DOCS, url) for url in referenced_urls(html)]
    assert any(url.endswith(".js") for url in urls) and any(url.endswith(".css") for url in urls), html
    outside = [url for url in urls if urlsplit(url).netloc != urlsplit(BASE).netloc]
    assert not outside, f"the docs page loads from outside the service: {outside}"
    for url in urls:
        asset = client.get(urlsplit(url).path)
        assert asset.status_code == 200 and asset.data, url
    # Swagger UI's default validator badge calls validator.swagger.io: it must be switched off.
    assert '"validatorUrl": null' in html


def node_path(ref: str) -> list[str]:
    return ref.lstrip("#/").split("/")


def resolve(document: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        target = document
        for part in node_path(node["$ref"]):
            target = target[part]
        node = target
    return node


def request_properties(document: dict) -> list[tuple[str, str, dict, bool]]:
    """(operation, property name, property, required) for every property a request body may carry, nested too."""
    found = []

    def walk(label: str, schema: dict, seen: set) -> None:
        schema = resolve(document, schema)
        if not isinstance(schema, dict) or id(schema) in seen:
            return
        seen.add(id(schema))
        required = set(schema.get("required", []))
        for name, prop in (schema.get("properties") or {}).items():
            found.append((label, name, prop, name in required))
            walk(label, prop, seen)
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                walk(label, schema[key], seen)
        for key in ("allOf", "oneOf", "anyOf"):
            for part in schema.get(key, []):
                walk(label, part, seen)

    for path, item in document["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            for media in (body or {}).get("content", {}).values():
                walk(f"{method.upper()} {path}", media["schema"], set())
    return found


def coverage(documents: dict) -> tuple[float, float, list, list]:
    described, examples, undescribed, no_example = 0, 0, [], []
    every = [(name, *row) for name, document in documents.items() for row in request_properties(document)]
    required = [row for row in every if row[4]]
    for service, operation, field, prop, _ in every:
        if "description" in prop:
            described += 1
        else:
            undescribed.append(f"{service} {operation} {field}")
    for service, operation, field, prop, _ in required:
        if "example" in prop:
            examples += 1
        else:
            no_example.append(f"{service} {operation} {field}")
    return described / len(every), examples / len(required), sorted(set(undescribed)), sorted(set(no_example))


def test_request_fields_say_what_they_are_and_required_ones_show_an_example(documents):
    described, exampled, undescribed, no_example = coverage(documents)
    print(f"request properties described: {described:.1%}; required ones with an example: {exampled:.1%}")
    assert described >= 0.98, "no description: " + ", ".join(undescribed)
    assert not no_example, "required, with no example: " + ", ".join(no_example)


def test_query_and_path_parameters_say_what_they_are(documents):
    missing = [
        f"{name} {method.upper()} {path} {parameter['name']}"
        for name, document in documents.items()
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
        for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]
        if "description" not in resolve(document, parameter)
    ]
    assert not missing, "parameters with no description: " + ", ".join(sorted(set(missing)))


def examples_in(node, trail=()):
    """(trail, property schema) for every schema in the document that carries an example."""
    if isinstance(node, dict):
        if "example" in node and isinstance(node.get("type"), str):
            yield trail, node
        for key, value in node.items():
            yield from examples_in(value, (*trail, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from examples_in(value, (*trail, index))


@pytest.mark.parametrize("name", SERVICES)
def test_every_example_is_a_value_its_own_schema_accepts(documents, name):
    # The fuzz tests (and people) send these examples as they are: a wrong one would be a documented lie.
    wrong = []
    document = documents[name]
    for trail, schema in examples_in(document):
        checked = {key: value for key, value in schema.items() if key not in ("example", "description")}
        checked["components"] = document["components"]  # where its $refs point
        if schema.get("nullable") and schema["example"] is None:
            continue
        errors = list(jsonschema.Draft4Validator(checked).iter_errors(schema["example"]))
        if errors:
            wrong.append(f"{'/'.join(map(str, trail))}: {schema['example']!r}: {errors[0].message}")
    assert not wrong, "\n".join(wrong[:30])
