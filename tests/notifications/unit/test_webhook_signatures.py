"""The signature a webhook receiver checks: HMAC-SHA256 over "<timestamp>.<body>", refused when stale."""

from __future__ import annotations

import hashlib
import hmac

from services.notifications.domain.signatures import sign, verify


def test_the_signature_is_hex_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(b"s3cret", b'1764000000.{"a":1}', hashlib.sha256).hexdigest()
    assert sign("s3cret", 1764000000, b'{"a":1}') == expected


def test_a_tampered_body_or_a_replayed_old_request_fails_verification():
    signature = sign("s3cret", 1764000000, b'{"a":1}')
    assert verify("s3cret", 1764000000, b'{"a":1}', signature, now=1764000100)
    assert not verify("s3cret", 1764000000, b'{"a":2}', signature, now=1764000100)
    assert not verify("s3cret", 1764000000, b'{"a":1}', signature, now=1764000000 + 3600)
