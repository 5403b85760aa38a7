"""Which webhook URLs may be registered: http(s) to the public internet only, unless an operator allows more."""

from __future__ import annotations

import pytest

from services.notifications.domain.webhook_urls import UnsafeWebhookUrl, check_webhook_url


def resolver(table: dict[str, list[str]]):
    def resolve(host: str) -> list[str]:
        if host not in table:
            raise OSError(f"{host} does not resolve")
        return table[host]

    return resolve


PUBLIC = resolver({"hooks.example.org": ["93.184.215.14"], "sneaky.example.org": ["93.184.215.14", "192.168.1.5"]})


def test_a_public_https_url_is_accepted():
    assert check_webhook_url("https://hooks.example.org/sscp", PUBLIC) == "https://hooks.example.org/sscp"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://[::ffff:10.0.0.1]/x",
        "https://172.16.0.9/x",
        "https://100.64.0.1/x",  # carrier-grade NAT is not the public internet either
        "http://0.0.0.0/x",
        "https://sneaky.example.org/x",  # one of its addresses is private
        "http://api.localhost/x",
    ],
)
def test_urls_into_private_or_reserved_networks_are_refused(url):
    with pytest.raises(UnsafeWebhookUrl):
        check_webhook_url(url, PUBLIC)


def test_an_operator_setting_allows_loopback_and_private_addresses():
    assert check_webhook_url("http://127.0.0.1:9000/x", PUBLIC, allow_private=True)


def test_other_schemes_and_embedded_credentials_are_refused_even_when_private_is_allowed():
    for url in ("file:///etc/passwd", "gopher://hooks.example.org/", "https://a:b@hooks.example.org/"):
        with pytest.raises(UnsafeWebhookUrl):
            check_webhook_url(url, PUBLIC, allow_private=True)


def test_a_name_that_does_not_resolve_yet_is_accepted_and_checked_again_at_send_time():
    assert check_webhook_url("https://not-yet.example.org/x", PUBLIC)
