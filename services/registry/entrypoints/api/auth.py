"""Log in: e-mail and password in, a short-lived signed access token out; refresh: a valid token in, a new one out."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import abort

from services.common.app import service_context
from services.common.auth import ROLES, current_principal, require_roles
from services.common.blueprint import Blueprint
from services.common.web import ErrorSchema
from services.registry.entrypoints.api.schemas import LoginSchema, TokenSchema
from services.registry.service_layer import handlers, sessions

blp = Blueprint("auth", __name__, description="Access tokens")
# The log-in throttle limits every route of ``blp`` (throttle.py). A refresh has a blueprint of its own, so refused
# refreshes (the portal sends everyone's from one address) are not counted as failed log-ins, nor throttled as such.
refresh_blp = Blueprint("token-refresh", __name__, description="Access tokens: renewing a signed-in session")


@blp.route("/auth/token")
class Token(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    @blp.alt_response(
        429,
        schema=ErrorSchema,
        description="Too many attempts for this e-mail or from this address (see LOGIN_RATE_LIMIT_* settings)",
        headers={"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
    )
    def post(self, credentials):
        """Exchange e-mail and password for an access token"""
        context = service_context()
        user = handlers.authenticate(context.uow(), credentials["email"], credentials["password"])
        if user is None:
            abort(401, message="wrong e-mail or password")
        ttl = context.own_settings.token_ttl_seconds  # the one access_token signs with
        return {"access_token": context.access_token(user), "token_type": "Bearer", "expires_in": ttl}


@refresh_blp.route("/auth/refresh", tags=["auth"])
class TokenRefresh(MethodView):
    @require_roles(*ROLES)
    @refresh_blp.response(200, TokenSchema)
    def post(self):
        """Renew a valid access token: same session, the account's current role and binding, a later expiry

        Send the unexpired token as the bearer, no body. The new token carries the account's role, district or
        provider as they are now, and the session's sign-in time (``auth_time``) unchanged: once
        SESSION_MAX_SECONDS (12 hours by default) have passed since it, no token is renewed and none outlives it.
        401 when the token is missing, forged or expired, the account is deactivated or gone, or the session is
        over: sign in again at POST /auth/token.
        """
        context = service_context()
        verified_token = request.headers["Authorization"].partition(" ")[2]  # require_roles accepted this one
        signed_in_at = context.session_start(verified_token)
        renewal = sessions.renew_session(context.uow(), current_principal().subject, signed_in_at, context.own_settings)
        token = context.access_token(renewal.user, renewal.signed_in_at, renewal.ttl_seconds)
        return {"access_token": token, "token_type": "Bearer", "expires_in": renewal.ttl_seconds}
