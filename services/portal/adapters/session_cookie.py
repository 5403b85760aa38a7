"""The person's session as an encrypted cookie: Flask's cookie session, but sealed with Fernet (AES + HMAC).

The session holds the registry's access token, so signing (Flask's default) is not enough: anyone who copies
the cookie out of a browser's storage or a proxy log must not be able to read a bearer token out of it.
Tampering and expiry fail like a bad signature does, and the person simply starts signed out.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature


class FernetSerializer:
    def __init__(self, secret_key: str | bytes) -> None:
        secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
        # A key of its own for the cookie, derived from the app's secret (so rotating one rotates both).
        derived = hashlib.sha256(b"sscp-portal-session\x00" + secret).digest()
        self.fernet = Fernet(base64.urlsafe_b64encode(derived))

    def dumps(self, value: dict) -> str:
        return self.fernet.encrypt(json.dumps(value, separators=(",", ":")).encode()).decode()

    def loads(self, value: str | bytes, max_age: int | None = None) -> dict:
        try:
            plain = self.fernet.decrypt(value if isinstance(value, bytes) else value.encode(), ttl=max_age)
        except (InvalidToken, ValueError) as exc:
            raise BadSignature("the session cookie could not be opened") from exc
        return json.loads(plain)


class EncryptedCookieSessionInterface(SecureCookieSessionInterface):
    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        return FernetSerializer(app.secret_key)
