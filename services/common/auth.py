"""Token checks on a request: the caller of the current request, and the roles an endpoint requires.

Flask's side only; the tokens themselves (Principal, TokenVerifier, the key sources) are services/common/tokens.py,
which the processes without a web server use without importing Flask.
"""

from __future__ import annotations

import functools

from flask import current_app, g, request
from flask_smorest import abort

from services.common.tokens import (
    ALGORITHMS,
    ROLES,
    InvalidToken,
    JwksKeySource,
    Principal,
    StaticKeySource,
    TokenVerifier,
)

__all__ = [
    "ALGORITHMS",
    "ROLES",
    "InvalidToken",
    "JwksKeySource",
    "Principal",
    "StaticKeySource",
    "TokenVerifier",
    "current_principal",
    "require_roles",
]


def current_principal() -> Principal | None:
    """The caller, if the request carried a valid token; aborts 401 on a bad one."""
    if "principal" in g:
        return g.principal
    header = request.headers.get("Authorization", "")
    principal = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            abort(401, message="Authorization header must be 'Bearer <token>'")
        try:
            principal = current_app.extensions["token_verifier"].verify(token)
        except InvalidToken as exc:
            abort(401, message=f"invalid token: {exc}; log in again at the registry")
    g.principal = principal
    return principal


def require_roles(*roles: str):
    """Refuse the call with 401 without a valid token and 403 when the caller's role is not one of roles."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            principal = current_principal()
            if principal is None:
                abort(401, message="this endpoint needs a token: POST /api/v1/auth/token at the registry")
            if principal.role not in roles:
                abort(403, message=f"role {principal.role!r} may not do this; allowed: {', '.join(roles)}")
            return view(*args, **kwargs)

        # Read by the OpenAPI document (services.common.web) to list the roles and the 401/403 answers.
        wrapped.required_roles = roles
        return wrapped

    return decorator
