"""While a service's database cannot be reached, callers get 503 with Retry-After (try again), not a 500 (a bug),
and nothing of a refused write is kept; an error in the SQL itself stays a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from deploy.supervisor import free_port
from services.common.call import Call
from services.common.db import make_engine, make_session_factory
from services.registry.adapters.orm import OutboxMessage, Provider
from services.registry.service_layer.commands import CreateUser
from services.registry.service_layer.handlers import create_user
from tests.conftest import migrated_sqlite_url

SERVICES = ("registry", "contracting", "notifications")
# A read per service that goes to the database, and who may make it.
READS = {
    "registry": ("/api/v1/providers", None),
    "contracting": ("/api/v1/tenders", None),
    "notifications": ("/api/v1/inbox/unread-count", ("cso", "4", {"provider_id": 1})),
}
PROVIDER = {"idno": "1003600012345", "legal_name": "AO Casa Speranței", "districts_served": ["MD-CU"]}
OPERATOR = {"email": "operator@example.md", "password": "correct-horse-battery", "role": "operator"}
DRIVER_DETAILS = ("psycopg", "Connection refused", "127.0.0.1", "sqlalchemy", "Traceback", "unable to open")


def service_app(name: str, directory, bus_url: str, verifier=None):
    module = __import__(f"services.{name}.entrypoints.api", fromlist=["create_app"])
    settings = {"DATABASE_URL": migrated_sqlite_url(name, directory), "BUS_URL": bus_url}
    if name == "notifications":
        settings["MAIL_DIR"] = str(directory / "mail")
    return module.create_app(settings, token_verifier=verifier)


def take_the_database_away(app) -> None:
    """Point the service at a PostgreSQL port nothing listens on: every connection attempt is refused."""
    context = app.extensions["service_context"]
    context.engine.dispose()
    context.engine = make_engine(f"postgresql://sscp@127.0.0.1:{free_port()}/{context.settings.name}")
    context.session_factory = make_session_factory(context.engine)


def assert_try_again_later(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.json["code"] == 503 and "database" in response.json["message"]
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert not [word for word in DRIVER_DETAILS if word in response.get_data(as_text=True)]


@pytest.mark.parametrize("service", SERVICES)
def test_a_read_while_the_database_is_unreachable_answers_503_with_retry_after(
    tmp_path, brokerless_bus_url, token_mint, service
):
    app = service_app(service, tmp_path, brokerless_bus_url, token_mint.verifier)
    path, principal = READS[service]
    headers = token_mint.headers(principal[0], principal[1], **principal[2]) if principal else {}
    take_the_database_away(app)
    assert_try_again_later(app.test_client().get(path, headers=headers))


@pytest.fixture
def registry(tmp_path, brokerless_bus_url):
    app = service_app("registry", tmp_path, brokerless_bus_url)
    context = app.extensions["service_context"]
    create_user(Call(context.uow(), None, context.clock()), CreateUser(**OPERATOR))
    yield app
    app.extensions["service_context"].engine.dispose()


@pytest.fixture
def operator(registry):
    answer = registry.test_client().post("/api/v1/auth/token", json={k: OPERATOR[k] for k in ("email", "password")})
    return {"Authorization": f"Bearer {answer.json['access_token']}"}


def kept(app) -> tuple[int, int]:
    with app.extensions["service_context"].session_factory() as session:
        providers = session.scalar(select(func.count()).select_from(Provider))
        events = session.scalar(select(func.count()).select_from(OutboxMessage))
    return providers, events


def test_a_write_whose_connection_drops_at_commit_answers_503_and_keeps_nothing(registry, operator):
    engine = registry.extensions["service_context"].engine

    def connection_lost(connection) -> None:
        connection.invalidate()  # the server went away with the transaction open: its work is gone
        lost = ConnectionError("server closed the connection unexpectedly")
        raise OperationalError("COMMIT", {}, lost, connection_invalidated=True)

    providers, events = kept(registry)
    event.listen(engine, "commit", connection_lost)
    try:
        response = registry.test_client().post("/api/v1/providers", json=PROVIDER, headers=operator)
    finally:
        event.remove(engine, "commit", connection_lost)
    assert_try_again_later(response)
    assert kept(registry) == (providers, events), "neither the provider nor its event"
    retried = registry.test_client().post("/api/v1/providers", json=PROVIDER, headers=operator)
    assert retried.status_code == 201, "the same request, retried once the database is back, succeeds"
    assert kept(registry) == (providers + 1, events + 1)


def test_a_write_while_the_database_is_unreachable_answers_503_and_the_retry_succeeds(registry, operator):
    context = registry.extensions["service_context"]
    engine, session_factory = context.engine, context.session_factory
    before = kept(registry)
    take_the_database_away(registry)
    assert_try_again_later(registry.test_client().post("/api/v1/providers", json=PROVIDER, headers=operator))
    context.engine, context.session_factory = engine, session_factory
    assert kept(registry) == before
    assert registry.test_client().post("/api/v1/providers", json=PROVIDER, headers=operator).status_code == 201


def test_log_ins_refused_by_an_outage_do_not_count_as_guesses(registry):
    context = registry.extensions["service_context"]
    engine, session_factory = context.engine, context.session_factory
    take_the_database_away(registry)
    client = registry.test_client()
    log_in = {k: OPERATOR[k] for k in ("email", "password")}
    assert {client.post("/api/v1/auth/token", json=log_in).status_code for _ in range(12)} == {503}
    context.engine, context.session_factory = engine, session_factory
    assert client.post("/api/v1/auth/token", json=log_in).status_code == 200, "the owner is not locked out"


def test_an_error_in_the_sql_itself_is_still_a_500_not_an_outage(registry, operator):
    engine = registry.extensions["service_context"].engine

    def broken_query(connection, cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("INSERT"):
            raise OperationalError(statement, {}, Exception("no such column: providers.nickname"))

    event.listen(engine, "before_cursor_execute", broken_query)
    try:
        response = registry.test_client().post("/api/v1/providers", json=PROVIDER, headers=operator)
    finally:
        event.remove(engine, "before_cursor_execute", broken_query)
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
    assert "nickname" not in response.get_data(as_text=True)
