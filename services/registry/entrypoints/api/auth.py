"""Log in: e-mail and password in, a short-lived signed access token out."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from services.common.bootstrap import service_context
from services.common.web import ErrorSchema
from services.registry.entrypoints.api.schemas import LoginSchema, TokenSchema
from services.registry.service_layer import handlers

blp = Blueprint("auth", __name__, description="Access tokens")


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
