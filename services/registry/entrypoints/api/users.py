"""Users of the platform (operators manage them)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.auth import require_roles
from services.common.bootstrap import service_context
from services.registry.entrypoints.api.schemas import UserCreateSchema, UserSchema
from services.registry.service_layer import handlers

blp = Blueprint("users", __name__, description="Users and service accounts")


@blp.route("/users")
class Users(MethodView):
    @require_roles("operator")
    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Create a user bound to a district or a provider (operators)"""
        return handlers.create_user(service_context().uow(), data)
