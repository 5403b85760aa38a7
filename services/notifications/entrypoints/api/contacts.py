"""Authority contacts, kept by operators: where each district's social assistance department is e-mailed."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import ValidationError

from services.common.app import service_context
from services.common.auth import require_roles
from services.common.blueprint import Blueprint
from services.common.errors import Invalid
from services.notifications.entrypoints.api.schemas import DISTRICT_CODE, ContactSchema, ContactUpdateSchema
from services.notifications.service_layer import contacts
from services.notifications.service_layer.commands import SetContact

blp = Blueprint("authority-contacts", __name__, description="District authorities' notification e-mail")


def _district(code: str) -> str:
    try:
        return DISTRICT_CODE(code)
    except ValidationError as exc:
        raise Invalid("district_code", "a district code looks like MD-CU (ISO 3166-2:MD)") from exc


@blp.route("/authority-contacts")
class Contacts(MethodView):
    @require_roles("operator")
    @blp.response(200, ContactSchema(many=True))
    def get(self):
        """Every district's notification e-mail"""
        return contacts.list_contacts(service_context().uow())


@blp.route("/authority-contacts/<district_code>")
class ContactByDistrict(MethodView):
    @require_roles("operator")
    @blp.response(200, ContactSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY", description="Not a district code (MD-CU, …)")
    def get(self, district_code):
        """One district's notification e-mail"""
        return contacts.get_contact(service_context().uow(), _district(district_code))

    @require_roles("operator")
    @blp.arguments(ContactUpdateSchema)
    @blp.response(200, ContactSchema)
    def put(self, data, district_code):
        """Set where the district's authority is e-mailed (until then, its notices reach the operators' inbox)"""
        return contacts.set_contact(service_context().call(), _district(district_code), SetContact(**data))

    @require_roles("operator")
    @blp.response(204)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY", description="Not a district code (MD-CU, …)")
    def delete(self, district_code):
        """Forget the district's e-mail"""
        contacts.delete_contact(service_context().call(), _district(district_code))
