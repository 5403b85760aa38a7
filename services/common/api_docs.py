"""What the OpenAPI documents tell a person: Swagger UI served from a pinned package (works offline), and a
description and an example for every field and parameter, from one glossary of field names.

Schemas stay free to say more: the glossary only fills a ``description`` or ``example`` a field does not set.
An example is kept only if the field itself accepts it, so a document never shows a value it would refuse.
"""

from __future__ import annotations

import marshmallow as ma
from apispec import BasePlugin
from flask import Blueprint, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from services.common.api_glossary import GLOSSARY, PARAMETERS

# Relative to /api/v1/docs, so the page also works behind a path prefix.
SWAGGER_UI_URL = "docs/"
# A week: the files change only when the pinned package does.
ASSET_MAX_AGE = 7 * 24 * 3600


def swagger_ui_assets() -> Blueprint:
    """Swagger UI's JavaScript and CSS under /api/v1/docs/…, from the swagger-ui-bundle package."""
    assets = Blueprint("swagger_ui_assets", __name__)

    @assets.get("/api/v1/docs/<path:filename>")
    def swagger_ui_asset(filename: str):
        return send_from_directory(str(swagger_ui_path), filename, max_age=ASSET_MAX_AGE)

    return assets


def glossary_entry(name: str, owner: str | None = None) -> tuple[str, object] | None:
    """(description, example) for a field ``name`` of schema ``owner`` (a ``Schema.field`` entry wins)."""
    return GLOSSARY.get(f"{owner}.{name}") or GLOSSARY.get(name)


def describe_from_glossary(self, field: ma.fields.Field, ret: dict, **kwargs) -> dict:
    """apispec attribute function: the glossary's description and example for a field that has none."""
    parent = field.parent
    if not isinstance(parent, ma.Schema):
        return {}  # a list's items or a dict's values: the container field carries the words
    name = field.data_key or field.name
    entry = glossary_entry(name, type(parent).__name__.removesuffix("Schema"))
    extra: dict = {}
    if entry is not None and "description" not in ret:
        extra["description"] = entry[0]
    example = entry[1] if entry is not None else None
    if example is None:
        example = _example_from_choices(field)
    if example is not None and "example" not in ret and not field.dump_only and _accepts(field, example):
        extra["example"] = example
    if extra and "$ref" in ret:
        # OpenAPI 3.0 ignores every sibling of a $ref: wrap it so the words are shown.
        extra["allOf"] = [{"$ref": ret.pop("$ref")}]
    return extra


def _example_from_choices(field: ma.fields.Field):
    choices = [validator.choices for validator in field.validators if isinstance(validator, ma.validate.OneOf)]
    return next(iter(choices[0]), None) if choices else None


def _accepts(field: ma.fields.Field, example) -> bool:
    try:
        field.deserialize(example)
    except (ma.ValidationError, TypeError, ValueError):
        return False
    return True


class GlossaryPlugin(BasePlugin):
    """Path and query parameters the schemas do not describe (flask's ``<int:tender_id>``, flask-smorest's
    pagination) get the glossary's words too."""

    def path_helper(self, parameters=None, **kwargs) -> None:
        for parameter in parameters or []:
            _describe_parameter(parameter)

    def operation_helper(self, operations=None, **kwargs) -> None:
        for operation in (operations or {}).values():
            for parameter in operation.get("parameters", []):
                _describe_parameter(parameter)


def _describe_parameter(parameter) -> None:
    if not isinstance(parameter, dict) or "name" not in parameter:
        return
    entry = PARAMETERS.get(parameter["name"]) or GLOSSARY.get(parameter["name"])
    if entry is None:
        return
    parameter.setdefault("description", entry[0])
    schema = parameter.get("schema", {})
    if entry[1] is not None and "example" not in schema and parameter.get("in") == "path":
        schema["example"] = entry[1]
