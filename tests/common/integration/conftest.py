"""The three services' apps on freshly migrated SQLite databases, built once per module: the shared web layer
(OpenAPI documents, Swagger UI, query and error handling) is checked on every service alike."""

from __future__ import annotations

import pytest

from tests.conftest import migrated_sqlite_url

SERVICES = ("registry", "contracting", "notifications")


@pytest.fixture(scope="module")
def service_apps(tmp_path_factory, token_mint) -> dict:
    """name -> app; each trusts the test token mint."""
    directory = tmp_path_factory.mktemp("web-layer")
    apps = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VAR_DIR", str(directory / "var"))
        patch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        for name in SERVICES:
            module = __import__(f"services.{name}.entrypoints.api", fromlist=["create_app"])
            settings = {"DATABASE_URL": migrated_sqlite_url(name, directory), "BUS_URL": "memory://"}
            if name == "notifications":
                settings["MAIL_DIR"] = str(directory / "mail")
            apps[name] = module.create_app(settings, token_verifier=token_mint.verifier)
    yield apps
    for app in apps.values():
        app.extensions["service_context"].engine.dispose()


@pytest.fixture(scope="module")
def documents(service_apps) -> dict:
    """name -> the service's OpenAPI document, as served."""
    return {name: app.test_client().get("/api/v1/openapi.json").json for name, app in service_apps.items()}
