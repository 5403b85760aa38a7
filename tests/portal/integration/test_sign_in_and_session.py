"""Signing in, staying signed in, signing out, languages, and the protections every page has."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.portal.adapters.session_cookie import FernetSerializer
from tests.portal.conftest import csrf_of, signed_in


def test_signing_in_keeps_the_token_in_an_encrypted_http_only_cookie_and_lands_on_the_cso_home(client, fake_api):
    signed_in(client, fake_api)
    cookie = client.get_cookie("sscp_session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert "token-cso" not in cookie.value  # sealed, not merely signed: the bearer token cannot be read out
    opened = FernetSerializer("test-secret-" + "x" * 40).loads(cookie.value)
    assert opened["token"] == "token-cso" and opened["user"]["role"] == "cso"


def test_a_wrong_password_is_said_in_the_persons_language_with_the_email_kept(client, fake_api):
    fake_api.on(
        "POST", "registry", "/auth/token", status=401, body={"code": 401, "message": "wrong e-mail or password"}
    )
    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post(
        "/sign-in", data={"email": "user@speranta.md", "password": "nope", "csrf_token": csrf_of(page)}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "E-mail sau parolă greșită." in body
    assert 'value="user@speranta.md"' in body


def test_a_form_sent_without_its_csrf_token_is_refused_with_a_page_saying_what_to_do(client, fake_api):
    response = client.post("/sign-in", data={"email": "user@speranta.md", "password": "secret"})
    assert response.status_code == 400
    assert "Formularul a expirat" in response.get_data(as_text=True)
    assert not fake_api.requests_to("POST", "/auth/token")


def test_after_sign_in_the_person_goes_back_to_the_page_they_asked_for_but_never_to_another_site(client, fake_api):
    fake_api.on(
        "POST", "registry", "/auth/token", body={"access_token": "t", "token_type": "Bearer", "expires_in": 900}
    )
    fake_api.on("GET", "registry", "/users/me", body={"id": 1, "email": "a@b.md", "role": "cso", "provider_id": 3})
    for target, lands in (
        ("/cso/notices", "/cso/notices"),
        ("https://evil.example/x", "/cso/"),
        ("//evil.example", "/cso/"),
    ):
        client.delete_cookie("sscp_session")
        page = client.get(f"/sign-in?next={target}").get_data(as_text=True)
        response = client.post(
            f"/sign-in?next={target}", data={"email": "a@b.md", "password": "p", "csrf_token": csrf_of(page)}
        )
        assert response.headers["Location"] == lands


def test_a_token_close_to_expiry_is_renewed_before_the_page_so_a_form_is_not_lost(client, fake_api):
    signed_in(client, fake_api, expires_in=60)  # inside the 300 s margin: the next page renews it
    fake_api.on(
        "POST", "registry", "/auth/refresh", body={"access_token": "renewed", "token_type": "Bearer", "expires_in": 900}
    )
    fake_api.on("GET", "contracting", "/public/calls", body=[], headers={"X-Pagination": '{"total": 0}'})
    client.get("/")
    assert fake_api.requests_to("POST", "/auth/refresh")[0]["token"] == "token-cso"
    assert fake_api.requests_to("GET", "/public/calls")[-1]["token"] is None  # the public listing: no token sent
    opened = FernetSerializer("test-secret-" + "x" * 40).loads(client.get_cookie("sscp_session").value)
    assert opened["token"] == "renewed"
    assert datetime.fromisoformat(opened["token_expires"]) > datetime.now(UTC) + timedelta(seconds=800)


def test_a_session_the_registry_will_not_renew_ends_and_the_person_is_asked_to_sign_in_again(client, fake_api):
    signed_in(client, fake_api, expires_in=60)
    fake_api.on("POST", "registry", "/auth/refresh", status=401, body={"code": 401, "message": "sign in again"})
    response = client.get("/cso/notices")
    assert response.status_code == 302 and "/sign-in?next=/cso/notices" in response.headers["Location"]


def test_signing_out_forgets_the_token(client, fake_api):
    signed_in(client, fake_api)
    fake_api.on("GET", "contracting", "/public/calls", body=[], headers={"X-Pagination": '{"total": 0}'})
    page = client.get("/").get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_of(page)})
    assert client.get("/cso/").status_code == 302


def test_a_cso_page_asked_for_by_the_public_sends_them_to_sign_in_first(client, fake_api):
    response = client.get("/cso/notices")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next=/cso/notices")


def test_the_chosen_language_is_remembered_and_used_for_every_page(client, fake_api):
    fake_api.on("GET", "contracting", "/public/calls", body=[], headers={"X-Pagination": '{"total": 0}'})
    response = client.get("/language/ru?next=/")
    assert response.headers["Location"] == "/?lang=ru"
    first = client.get("/?lang=ru")
    assert client.get_cookie("sscp_lang").value == "ru"
    assert '<html lang="ru">' in first.get_data(as_text=True)
    again = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="ru">' in again and "Войти" in again


def test_every_page_forbids_loading_anything_from_another_site(client, fake_api):
    response = client.get("/sign-in")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_services_being_down_gives_a_friendly_page_not_a_trace(client, fake_api):
    fake_api.on("GET", "contracting", "/public/calls", status=503, body={"code": 503, "message": "db down"})
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "Platforma nu răspunde în acest moment" in body and "Traceback" not in body


def test_an_open_page_keeps_the_session_alive_by_renewing_the_token_in_the_background(client, fake_api):
    signed_in(client, fake_api, expires_in=120)
    fake_api.on(
        "POST", "registry", "/auth/refresh", body={"access_token": "kept", "token_type": "Bearer", "expires_in": 900}
    )
    response = client.get("/session/keep-alive")
    assert response.status_code == 204
    assert FernetSerializer("test-secret-" + "x" * 40).loads(client.get_cookie("sscp_session").value)["token"] == "kept"
