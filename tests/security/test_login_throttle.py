"""Log-in brute force is throttled: per (address, e-mail) and per address, answered 429 with Retry-After."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from deploy.supervisor import free_port
from services.common.settings import var_dir
from services.registry.adapters.keys import KeyRing
from services.registry.config import RegistrySettings
from tests.conftest import ROOT, migrated_sqlite_url
from tests.security.seeds import PASSWORD

LOGIN = "/api/v1/auth/token"


def attempt(client, email: str, password: str = "wrong-password-guess", address: str = "198.51.100.7"):
    return client.post(LOGIN, json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def registry(make_service_app):
    return make_service_app("registry", own_keys=True)


def test_the_defaults_are_ten_attempts_per_account_and_a_hundred_per_address_a_minute_shared_by_every_worker(
    monkeypatch,
):
    for name in ("RATE_LIMIT_STORAGE_URI", "LOGIN_RATE_LIMIT_PER_ACCOUNT", "LOGIN_RATE_LIMIT_PER_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    own = RegistrySettings.from_env()
    assert own.login_limit_per_account == "10 per minute"
    assert own.login_limit_per_address == "100 per minute"
    # Not memory://: that counts per gunicorn worker, so N workers let N times as many guesses through.
    assert own.rate_limit_storage_uri == f"sqla+sqlite:///{var_dir() / 'login-throttle.sqlite'}"


def test_the_eleventh_guess_at_one_account_within_a_minute_is_refused_with_429_and_retry_after(registry):
    client = registry.test_client()
    answers = [attempt(client, "cso@sscp.md").status_code for _ in range(10)]
    assert answers == [401] * 10
    refused = attempt(client, "cso@sscp.md", PASSWORD)  # even the right password waits now
    assert refused.status_code == 429
    assert refused.json["code"] == 429 and "too many log-in attempts" in refused.json["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json["retry_after"] == int(refused.headers["Retry-After"])


def test_a_guesser_on_one_account_neither_locks_its_owner_out_elsewhere_nor_blocks_other_accounts(registry):
    client = registry.test_client()
    for _ in range(11):
        attempt(client, "cso@sscp.md")
    assert attempt(client, "operator@sscp.md", PASSWORD).status_code == 200
    assert attempt(client, "CSO@sscp.md ", PASSWORD).status_code == 429, "the same account whatever its case"
    assert attempt(client, "cso@sscp.md", PASSWORD, address="203.0.113.20").status_code == 200


def test_one_address_spraying_many_accounts_is_stopped_at_its_own_limit(make_service_app):
    registry = make_service_app("registry", own_keys=True, LOGIN_RATE_LIMIT_PER_ADDRESS="12 per minute")
    client = registry.test_client()
    answers = [attempt(client, f"guess{number}@sscp.md").status_code for number in range(12)]
    assert answers == [401] * 12
    assert attempt(client, "operator@sscp.md", PASSWORD).status_code == 429
    assert attempt(client, "operator@sscp.md", PASSWORD, address="203.0.113.20").status_code == 200


def test_the_openapi_document_tells_clients_about_the_429_and_its_retry_after(registry):
    operation = registry.test_client().get("/api/v1/openapi.json").json["paths"][LOGIN]["post"]
    assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_an_unknown_e_mail_costs_the_same_password_check_as_a_known_one(registry, monkeypatch):
    from services.registry.service_layer import handlers

    checked = []
    real = handlers.check_password_hash
    monkeypatch.setattr(handlers, "check_password_hash", lambda *args: checked.append(1) or real(*args))
    client = registry.test_client()
    assert attempt(client, "nobody@sscp.md").status_code == 401
    assert attempt(client, "cso@sscp.md").status_code == 401
    assert len(checked) == 2, "no answer-time difference tells a guesser which e-mails have accounts"


# --- the real thing: gunicorn with several workers ---------------------------------------------------------


@pytest.fixture
def registry_under_gunicorn(tmp_path):
    """The registry served by gunicorn with the production config and two workers, on its own migrated SQLite
    file, with the environment's defaults for the throttle (no RATE_LIMIT_STORAGE_URI). Yields (url, access log)."""
    KeyRing(tmp_path / "keys").signing_key()  # made once here, not raced for by the two workers
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("RATE_LIMIT", "LOGIN_RATE"))}
    env.update(
        REGISTRY_DATABASE_URL=migrated_sqlite_url("registry", tmp_path),
        BUS_URL=f"sqla+sqlite:///{tmp_path / 'bus.sqlite'}",
        JWT_KEYS_DIR=str(tmp_path / "keys"),
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESS_LOG="1",
    )
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
    # The access log names the worker (its pid) that answered each request.
    command += ["--bind", f"127.0.0.1:{port}", "--access-logformat", "answered-by %(p)s %(s)s"]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "services.registry.entrypoints.wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        yield url, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def test_the_eleventh_guess_within_a_minute_is_refused_whichever_gunicorn_worker_answers(registry_under_gunicorn):
    url, log = registry_under_gunicorn
    answers = []
    for _ in range(11):
        # A new connection each time, so the workers take turns as they would for separate browsers.
        with httpx.Client(base_url=url, timeout=10) as client:
            answers.append(client.post(LOGIN, json={"email": "cso@sscp.md", "password": "wrong-guess"}))
    assert [answer.status_code for answer in answers[:10]] == [401] * 10
    assert answers[10].status_code == 429, "ten failed log-ins count once, however the workers shared them"
    assert 1 <= int(answers[10].headers["Retry-After"]) <= 60
    workers = set(re.findall(r"answered-by <(\d+)> (?:401|429)", log.read_text()))
    assert len(workers) >= 2, f"the guesses all reached one worker ({workers}): the test proved nothing"
