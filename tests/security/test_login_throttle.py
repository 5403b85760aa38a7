"""Log-in brute force is throttled: per (address, e-mail) and per address, answered 429 with Retry-After."""

from __future__ import annotations

import pytest

from services.registry.config import registry_settings
from tests.security.seeds import PASSWORD

LOGIN = "/api/v1/auth/token"


def attempt(client, email: str, password: str = "wrong-password-guess", address: str = "198.51.100.7"):
    return client.post(LOGIN, json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def registry(make_service_app):
    return make_service_app("registry", own_keys=True)


def test_the_defaults_are_ten_attempts_per_account_and_a_hundred_per_address_a_minute_in_process_memory(monkeypatch):
    for name in ("RATE_LIMIT_STORAGE_URI", "LOGIN_RATE_LIMIT_PER_ACCOUNT", "LOGIN_RATE_LIMIT_PER_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    extra = registry_settings().extra
    assert extra["login_limit_per_account"] == "10 per minute"
    assert extra["login_limit_per_address"] == "100 per minute"
    assert extra["rate_limit_storage_uri"] == "memory://"


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
