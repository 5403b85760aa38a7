"""Users: operators manage every account (service accounts too); an authority its own district's evaluators."""

from __future__ import annotations

from flask.views import MethodView

from services.common.app import service_context
from services.common.auth import ROLES, current_principal, require_roles
from services.common.blueprint import Blueprint
from services.common.errors import NotFound
from services.common.pagination import answer_page
from services.registry.entrypoints.api.schemas import UserCreateSchema, UserQuerySchema, UserSchema
from services.registry.service_layer import handlers, queries, users

blp = Blueprint("users", __name__, description="Users and service accounts")


@blp.route("/users")
class Users(MethodView):
    @require_roles("operator", "authority")
    @blp.arguments(UserQuerySchema, location="query")
    @blp.response(200, UserSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """List accounts by role or district (an authority sees its own district's evaluators)"""
        with service_context().session_factory() as session:
            page = queries.list_users(
                session, filters, current_principal(), pagination_parameters.first_item, pagination_parameters.page_size
            )
            return answer_page(page, pagination_parameters)

    @require_roles("operator", "authority")
    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    def post(self, command):
        """Create an account bound to a district or a provider, or a service account (authorities: evaluators)"""
        return handlers.create_user(service_context().call(), command)


@blp.route("/users/me")
class Me(MethodView):
    @require_roles(*ROLES)
    @blp.response(200, UserSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="The token is not a registry account's (e.g. a service)")
    def get(self):
        """The account the token belongs to"""
        principal = current_principal()
        if not principal.subject.isdigit():
            raise NotFound("this token does not belong to a registry account")
        with service_context().session_factory() as session:
            return queries.get_user(session, int(principal.subject), principal)


@blp.route("/users/<int:user_id>")
class UserById(MethodView):
    @require_roles("operator", "authority")
    @blp.response(200, UserSchema)
    def get(self, user_id):
        """One account (an authority: only its own district's evaluators)"""
        with service_context().session_factory() as session:
            return queries.get_user(session, user_id, current_principal())


def _activation(action: str, summary: str) -> type[MethodView]:
    class Activation(MethodView):
        @require_roles("operator", "authority")
        @blp.response(200, UserSchema)
        def post(self, user_id):
            return users.set_user_active(service_context().call(), user_id, action)

    Activation.post.__doc__ = summary
    Activation.__name__ = f"{action.title()}User"
    return Activation


blp.route("/users/<int:user_id>/deactivate")(_activation("deactivate", "Deactivate an account: no more log-ins"))
blp.route("/users/<int:user_id>/reactivate")(_activation("reactivate", "Reactivate a deactivated account"))
