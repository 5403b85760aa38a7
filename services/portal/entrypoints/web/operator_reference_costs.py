"""An operator's page of reference costs per beneficiary: the registry's list, filtered by service, district and
year, and the form that sets one (a district's own or the national value) with the decision that adopted it."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from services.common.reference_costs import FIRST_YEAR, LAST_YEAR, NATIONAL
from services.portal.adapters.api_client import ApiRefusal
from services.portal.adapters.reference_cache import label
from services.portal.entrypoints.web.filters import districts, service_types
from services.portal.entrypoints.web.forms import place_refusal
from services.portal.entrypoints.web.operator_blueprint import blp, today_in_chisinau
from services.portal.entrypoints.web.requests import api, choose_language, public_api, signed_in_as


class ReferenceCostForm(FlaskForm):
    service_type = SelectField(_("Service"), choices=[], validators=[DataRequired()])
    district_code = SelectField(_("District"), choices=[], validators=[DataRequired()])
    year = IntegerField(
        _("Year"),
        validators=[InputRequired(), NumberRange(min=FIRST_YEAR, max=LAST_YEAR)],
        default=lambda: today_in_chisinau().year,
    )
    amount = DecimalField(
        _("Cost of one place for a year (MDL)"),
        places=2,
        validators=[InputRequired(), NumberRange(min=0.01, message=_("Enter an amount more than 0."))],
    )
    source = TextAreaField(_("Source: the decision that set it"), validators=[DataRequired(), Length(min=3, max=1000)])


def _fill_choices(form: ReferenceCostForm) -> None:
    language = choose_language()
    form.service_type.choices = [SelectChoice(row["code"], label(row, language)) for row in service_types()]
    national = SelectChoice(NATIONAL, gettext("National (every district without its own)"))
    form.district_code.choices = [national, *(SelectChoice(row["code"], label(row, language)) for row in districts())]


def _search() -> dict:
    year = request.args.get("year", "")
    return {
        "service_type": request.args.get("service_type") or "",
        "district_code": request.args.get("district_code") or "",
        "year": int(year) if year.isdigit() and FIRST_YEAR <= int(year) <= LAST_YEAR else "",
    }


def _search_args(search: dict) -> dict:
    return {name: value for name, value in search.items() if value}


def _prefill(form: ReferenceCostForm, rows: list[dict]) -> bool:
    """``?edit=service/district/year`` opens the form on that row; True when it found it."""
    wanted = request.args.get("edit", "")
    for row in rows:
        if wanted == f"{row['service_type']}/{row['district_code']}/{row['year']}":
            form.service_type.data, form.district_code.data, form.year.data = (
                row["service_type"],
                row["district_code"],
                row["year"],
            )
            form.amount.data, form.source.data = Decimal(str(row["amount"])), row["source"]
            return True
    return False


@blp.route("/reference-costs", methods=["GET", "POST"])
@signed_in_as("operator")
def reference_costs():
    form = ReferenceCostForm()
    _fill_choices(form)
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        path = f"/reference-costs/{form.service_type.data}/{form.district_code.data}/{form.year.data}"
        body = {"amount": f"{form.amount.data:.2f}", "source": form.source.data.strip()}
        try:
            saved = api().put("registry", path, body)
        except ApiRefusal as refusal:
            if refusal.status not in (400, 422):
                raise
            problems, status = place_refusal(form, refusal), 422
        else:
            flash(gettext("Reference cost saved (version %(version)d).", version=saved["version"]), "success")
            return redirect(url_for("operator.reference_costs", **_search_args(_search())))
    elif form.is_submitted():
        status = 422
    search = _search()
    rows = public_api().get("registry", "/reference-costs", **search)
    editing = _prefill(form, rows) if request.method == "GET" else False
    return render_template(
        "operator/reference_costs.html",
        rows=rows,
        form=form,
        problems=problems,
        search=search,
        search_args=_search_args(search),
        editing=editing,
    ), status
