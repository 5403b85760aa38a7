"""PostgreSQL restarted under load: each API's /readyz answers 503, then 200 by itself; no write is half done and
no answer given meanwhile leaks a stack trace or SQL.

This module briefly stops the machine's shared PostgreSQL (``pg_ctlcluster … stop -m fast``, ~5 s, then
``start``): every connection on the machine drops. One restart serves every test here: the three APIs run under
gunicorn with the production config, operators register providers from several threads throughout, and every
answer is kept. Only the registry's database is migrated (its writes are the load); contracting and
notifications get empty databases of their own, which is all their /readyz needs.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from deploy.supervisor import free_port
from services.common.db import make_engine, make_session_factory
from services.common.migrations import upgrade
from services.registry.adapters.keys import KeyRing
from services.registry.adapters.orm import OutboxMessage, Provider, ProviderDistrict
from tests.reliability.conftest import (
    GUNICORN,
    Processes,
    private_databases,
    private_vhost,
    process_environment,
    start_postgres,
    stop_postgres,
    wait_until,
)

pytestmark = [pytest.mark.reliability, pytest.mark.postgres, pytest.mark.rabbitmq]

SERVICES = ("registry", "contracting", "notifications")
WRITERS = 6
OUTAGE_SECONDS = 5
LEAKS = ("Traceback", "sqlalchemy", "psycopg", "SELECT", "INSERT")


class ScenarioBroke(RuntimeError):
    """The restart could not be staged (not a finding about the platform)."""


@dataclass
class Answer:
    phase: str  # before, outage, after
    status: int | None  # None: no HTTP answer at all
    body: str


@dataclass
class Write(Answer):
    idno: str = ""
    retry_after: str | None = None  # the Retry-After header, if any


@dataclass
class RestartRun:
    registry_url: str
    readiness: dict[str, list[Answer]] = field(default_factory=lambda: {name: [] for name in SERVICES})
    writes: list[Write] = field(default_factory=list)
    phase: str = "before"
    database: sessionmaker | None = None  # the registry's, for the checks afterwards


def operator_token(keys_dir: Path) -> str:
    key = KeyRing(keys_dir).signing_key()
    now = datetime.now(UTC)
    claims = {"sub": "1", "role": "operator", "iss": "sscp-registry", "aud": "sscp", "iat": now}
    claims["exp"] = now + timedelta(minutes=10)
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


def start_apis(processes: Processes, urls: dict[str, str], bus_url: str) -> dict[str, str]:
    ports = {name: free_port() for name in SERVICES}
    for name in SERVICES:
        processes.start(
            name,
            GUNICORN,
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{ports[name]}",
            f"services.{name}.entrypoints.wsgi:app",
            **{f"{name.upper()}_DATABASE_URL": urls[name], "BUS_URL": bus_url},
            GUNICORN_WORKERS="2" if name == "registry" else "1",
            GUNICORN_ACCESS_LOG="0",
            JWKS_URL=f"http://127.0.0.1:{ports['registry']}/.well-known/jwks.json",
        )
    return {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}


def poll_readiness(run: RestartRun, base_urls: dict[str, str], stop: threading.Event) -> None:
    with httpx.Client(timeout=5) as client:
        while not stop.is_set():
            for name, base_url in base_urls.items():
                try:
                    response = client.get(f"{base_url}/readyz")
                    run.readiness[name].append(Answer(run.phase, response.status_code, response.text))
                except httpx.HTTPError as exc:
                    run.readiness[name].append(Answer(run.phase, None, f"{type(exc).__name__}: {exc}"))
            stop.wait(0.1)


def write_providers(run: RestartRun, writer: int, token: str, stop: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=run.registry_url, headers=headers, timeout=15) as client:
        for number in range(10**6):
            if stop.is_set():
                return
            idno = f"29{writer:02d}{number:09d}"
            body = {"idno": idno, "legal_name": f"AO Restart {writer}-{number}", "districts_served": ["MD-CU"]}
            phase = run.phase
            try:
                response = client.post("/api/v1/providers", json=body)
                retry_after = response.headers.get("Retry-After")
                run.writes.append(Write(phase, response.status_code, response.text, idno, retry_after))
            except httpx.HTTPError as exc:
                run.writes.append(Write(phase, None, f"{type(exc).__name__}: {exc}", idno))


def ready(run: RestartRun, name: str) -> bool:
    answers = run.readiness[name]
    return bool(answers) and answers[-1].status == 200


def stage_restart(run: RestartRun, base_urls: dict[str, str], token: str) -> None:
    stop = threading.Event()
    threads = [threading.Thread(target=poll_readiness, args=(run, base_urls, stop), daemon=True)]
    threads += [
        threading.Thread(target=write_providers, args=(run, writer, token, stop), daemon=True)
        for writer in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: all(ready(run, name) for name in SERVICES), 30, "every API is ready")
        wait_until(lambda: sum(w.status == 201 for w in run.writes) >= 50, 30, "providers are being registered")
        run.phase = "outage"
        try:
            stop_postgres()
            wait_until(lambda: not any(ready(run, name) for name in SERVICES), 20, "every API reports not ready")
            time.sleep(OUTAGE_SECONDS)  # the outage itself: this is the fault, not a wait for a result
        finally:
            start_postgres()
            run.phase = "after"
        wait_until(lambda: all(ready(run, name) for name in SERVICES), 60, "every API is ready again by itself")
        recovered = sum(w.status == 201 for w in run.writes if w.phase == "after")
        wait_until(
            lambda: sum(w.status == 201 for w in run.writes if w.phase == "after") >= recovered + 50,
            30,
            "providers are registered again",
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)


@pytest.fixture(scope="module")
def postgres_restart(postgres_server, rabbitmq_server, tmp_path_factory):
    directory = tmp_path_factory.mktemp("postgres-restart")
    with private_databases(postgres_server, SERVICES) as urls, private_vhost(rabbitmq_server) as bus_url:
        upgrade("registry", urls["registry"])
        keys_dir = directory / "keys"
        processes = Processes(directory / "logs", process_environment(directory / "var", JWT_KEYS_DIR=str(keys_dir)))
        token = operator_token(keys_dir)
        base_urls = start_apis(processes, urls, bus_url)
        run = RestartRun(base_urls["registry"])
        try:
            stage_restart(run, base_urls, token)
        except AssertionError as exc:
            logs = "\n".join(processes.log_tail(name, 1500) for name in SERVICES)
            raise ScenarioBroke(f"{exc}\n{logs}") from exc
        finally:
            processes.stop_all()
        engine = make_engine(urls["registry"])
        run.database = make_session_factory(engine)
        yield run
        engine.dispose()


def phases_seen(answers: list[Answer]) -> list[tuple[str, int | None]]:
    """The answers from the API's first 200 on (before it, gunicorn was still starting), repeats folded:
    [('before', 200), ('outage', 503), …]."""
    started = next(index for index, answer in enumerate(answers) if answer.status == 200)
    folded: list[tuple[str, int | None]] = []
    for answer in answers[started:]:
        if not folded or folded[-1] != (answer.phase, answer.status):
            folded.append((answer.phase, answer.status))
    return folded


@pytest.mark.parametrize("service", SERVICES)
def test_each_api_answers_readyz_503_while_postgresql_is_down_and_200_again_by_itself(postgres_restart, service):
    seen = phases_seen(postgres_restart.readiness[service])
    statuses = [status for _phase, status in seen]
    assert seen[0] == ("before", 200)
    assert ("outage", 503) in seen, seen
    assert seen[-1] == ("after", 200), seen
    assert set(statuses) <= {200, 503}, f"every probe is answered, with 200 or 503: {seen}"
    first_503, last_503 = statuses.index(503), len(statuses) - 1 - statuses[::-1].index(503)
    assert all(status == 503 for status in statuses[first_503 : last_503 + 1]), seen


def test_writes_during_a_postgresql_restart_leave_no_provider_without_its_event_and_no_event_without_its_provider(
    postgres_restart,
):
    with postgres_restart.database() as session:
        providers = {row.id: row.idno for row in session.scalars(select(Provider))}
        districts = {row.provider_id: row.district_code for row in session.scalars(select(ProviderDistrict))}
        events = [json.loads(body) for body in session.scalars(select(OutboxMessage.body))]
    registered = [event["payload"] for event in events if event["type"] == "provider.registered"]
    assert len(providers) > 100
    assert sorted(payload["provider_id"] for payload in registered) == sorted(providers)
    assert {payload["provider_id"]: payload["idno"] for payload in registered} == providers
    assert districts == dict.fromkeys(providers, "MD-CU"), "every provider keeps the district it was sent with"


def test_every_registration_answered_201_around_a_postgresql_restart_is_kept(postgres_restart):
    with postgres_restart.database() as session:
        kept = set(session.scalars(select(Provider.idno)))
    answered_201 = {write.idno for write in postgres_restart.writes if write.status == 201}
    assert answered_201 <= kept
    assert any(write.status == 201 for write in postgres_restart.writes if write.phase == "after")


def test_registrations_refused_during_a_postgresql_restart_are_answered_503_with_retry_after_not_500_or_hangs(
    postgres_restart,
):
    refused = [write for write in postgres_restart.writes if write.phase != "before" and write.status != 201]
    assert refused, "some registrations must have met the outage"
    # 503 + Retry-After tells the client to send the same request again shortly; a 500 would say it is a bug.
    assert {write.status for write in refused} == {503}, {(write.status, write.body[:200]) for write in refused}
    assert all(1 <= int(write.retry_after or 0) <= 60 for write in refused)
    assert all(json.loads(write.body)["message"] for write in refused)


def leaking(answers: list[Answer]) -> list[str]:
    return [f"{answer.status}: {answer.body[:300]}" for answer in answers if any(word in answer.body for word in LEAKS)]


def test_no_error_answered_to_a_write_during_a_postgresql_restart_leaks_a_stack_trace_or_sql(postgres_restart):
    assert leaking([write for write in postgres_restart.writes if write.phase != "before"]) == []


@pytest.mark.parametrize("service", SERVICES)
def test_readyz_during_a_postgresql_outage_names_the_failed_check_without_driver_details(postgres_restart, service):
    outage = [answer for answer in postgres_restart.readiness[service] if answer.status == 503]
    assert outage
    assert all(json.loads(answer.body)["failures"].keys() == {"database"} for answer in outage)
    assert leaking(outage) == []
