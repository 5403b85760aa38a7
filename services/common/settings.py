"""Settings read from the environment (12-factor): the embedded defaults and the production overrides.

The only difference between the embedded mode and production is environment variables: DATABASE_URLs,
BUS_URL and PREFECT_API_URL. Nothing else changes between them.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

SERVICE_PORTS = {"portal": 5000, "registry": 5001, "contracting": 5002, "notifications": 5003}

# The settings that tie a process to one running platform: its databases, bus, peers, keys, secrets and server
# shape. A child started for another platform (a test's, a benchmark's) must not inherit them from the caller's
# shell; tests/conftest.py and bench/common.py both strip this one list.
PLATFORM_VARIABLES = (
    "BUS_URL",
    "REGISTRY_DATABASE_URL",
    "CONTRACTING_DATABASE_URL",
    "NOTIFICATIONS_DATABASE_URL",
    "REGISTRY_URL",
    "CONTRACTING_URL",
    "NOTIFICATIONS_URL",
    "JWKS_URL",
    "JWT_KEYS_DIR",
    "PREFECT_API_URL",
    "FLOWS_SERVICE_PASSWORD",
    "OPERATOR_PASSWORD",
    "PROMETHEUS_MULTIPROC_DIR",
    "GUNICORN_BIND",
    "GUNICORN_WORKERS",
)


def var_dir() -> Path:
    """Where the embedded mode keeps its SQLite files, keys and mail (created on first use)."""
    path = Path(os.environ.get("VAR_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def embedded_secret(name: str, directory: Path | None = None) -> str:
    """``<VAR_DIR>/secrets/<name>``, made on first use, readable by the owner only; every process of the host
    reads the same one, even when several start together (the first one's link wins, the others read it)."""
    path = (directory or var_dir()) / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        draft.touch(mode=0o600)
        draft.write_text(secrets.token_urlsafe(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def bus_url() -> str:
    return os.environ.get("BUS_URL") or f"sqla+sqlite:///{var_dir() / 'bus.sqlite'}"


def database_url(service: str) -> str:
    return os.environ.get(f"{service.upper()}_DATABASE_URL") or f"sqlite:///{var_dir() / f'{service}.sqlite'}"


def service_port(service: str) -> int:
    return int(os.environ.get(f"{service.upper()}_PORT", SERVICE_PORTS[service]))


def service_url(service: str) -> str:
    return os.environ.get(f"{service.upper()}_URL") or f"http://127.0.0.1:{service_port(service)}"


def prefect_api_url() -> str:
    return os.environ.get("PREFECT_API_URL", "http://127.0.0.1:4200/api")


@dataclass(frozen=True)
class ServiceSettings:
    """What every service process needs to know about its surroundings."""

    name: str
    database_url: str
    bus_url: str
    jwks_url: str
    token_issuer: str = "sscp-registry"
    token_audience: str = "sscp"

    @classmethod
    def from_env(cls, name: str, **overrides) -> ServiceSettings:
        values = {
            "name": name,
            "database_url": database_url(name),
            "bus_url": bus_url(),
            "jwks_url": os.environ.get("JWKS_URL") or f"{service_url('registry')}/.well-known/jwks.json",
        }
        values.update(overrides)
        return cls(**values)
