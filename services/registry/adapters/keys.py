"""The registry's signing keys: Ed25519 PEM files in JWT_KEYS_DIR, newest signs, all are published.

Rotation: `sscp keys rotate` writes a new key; the old ones stay in the JWKS until removed (``KeyRing.remove``)
after their tokens have expired (access tokens live minutes), so no valid token is refused during a rotation.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self):
        return self.private_key.public_key()

    def public_jwk(self) -> dict:
        jwk = json.loads(OKPAlgorithm.to_jwk(self.public_key))
        return {**jwk, "kid": self.kid, "alg": "EdDSA", "use": "sig"}


class KeyRing:
    def __init__(self, keys_dir: Path) -> None:
        self.keys_dir = keys_dir

    def all_keys(self) -> list[SigningKey]:
        """Every key on disk, oldest first; creates the first one on a fresh install."""
        self.keys_dir.mkdir(parents=True, exist_ok=True)
        paths = sorted(self.keys_dir.glob("*.pem"))
        if not paths:
            return [self.rotate()]
        return [self._load(path) for path in paths]

    def signing_key(self) -> SigningKey:
        return self.all_keys()[-1]

    def jwks(self) -> dict:
        return {"keys": [key.public_jwk() for key in self.all_keys()]}

    def rotate(self) -> SigningKey:
        self.keys_dir.mkdir(parents=True, exist_ok=True)
        # Key ids sort in creation order (the newest signs): seconds, then microseconds within the second.
        now_ns = time.time_ns()
        kid = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime(now_ns // 10**9))}-{now_ns // 1000 % 10**6:06d}"
        private_key = Ed25519PrivateKey.generate()
        pem = private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path = self.keys_dir / f"{kid}.pem"
        path.write_bytes(pem)
        path.chmod(0o600)
        return SigningKey(kid, private_key)

    def remove(self, kid: str) -> None:
        """Stop publishing a retired key (after its last token expired); tokens it signed are refused from now."""
        paths = {path.stem: path for path in sorted(self.keys_dir.glob("*.pem"))}
        if kid not in paths:
            raise KeyError(f"no signing key {kid!r} in {self.keys_dir}")
        if kid == max(paths):
            raise ValueError(f"{kid} is the current signing key: rotate first, remove it after its tokens expired")
        paths[kid].unlink()

    @staticmethod
    def _load(path: Path) -> SigningKey:
        private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        return SigningKey(path.stem, private_key)
