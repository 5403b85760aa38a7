"""Which webhook URLs may be registered: http(s) only, and never into our own network unless an operator allows it.

A webhook URL pointing at loopback, private, link-local or otherwise reserved addresses would let any CSO make
the platform call its internal services (SSRF). Host names are resolved and each address checked; a name that
does not resolve is accepted here and checked again before every send.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

Resolver = Callable[[str], Iterable[str]]
MAX_URL_LENGTH = 500


class UnsafeWebhookUrl(ValueError):
    pass


def check_webhook_url(url: str, resolve: Resolver, allow_private: bool = False) -> str:
    """The URL if it may be called; else UnsafeWebhookUrl saying why."""
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeWebhookUrl(f"a webhook URL may be at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeWebhookUrl(f"not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise UnsafeWebhookUrl("only http and https URLs are accepted")
    if not parts.hostname:
        raise UnsafeWebhookUrl("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeWebhookUrl("credentials in the URL are not accepted; authenticate with the signature")
    if port == 0:
        raise UnsafeWebhookUrl("port 0 is not a port")
    if not allow_private:
        check_public_host(parts.hostname, resolve)
    return url


def check_public_host(host: str, resolve: Resolver) -> None:
    if host.lower().rstrip(".") in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        raise UnsafeWebhookUrl(f"{host} is loopback; webhooks must be reachable on the public internet")
    for address in _addresses(host, resolve):
        if not _is_public(address):
            raise UnsafeWebhookUrl(f"{host} points to {address}, a private or reserved address")


def _addresses(host: str, resolve: Resolver) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    try:
        return list(resolve(host))
    except OSError:
        return []  # unresolvable now; checked again before each send


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)
