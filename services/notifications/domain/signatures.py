"""The webhook signature scheme receivers verify: hex HMAC-SHA256 over "<timestamp>.<body>" with the secret.

The timestamp is in the signed text, so a receiver that refuses stale timestamps (say, older than five
minutes) cannot be fed a replayed request.
"""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-SSCP-Timestamp"
SIGNATURE_HEADER = "X-SSCP-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: int, body: bytes, signature: str, now: int, tolerance: int = 300) -> bool:
    """What a receiver does: the signature matches and the timestamp is fresh."""
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
