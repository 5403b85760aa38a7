"""Reference costs per beneficiary in the portal (issue 20): the operator's page that lists and sets them, the
department's check of each lot's budget against places x reference cost, and the public call page's reference."""

from __future__ import annotations

import pytest

from tests.portal.integration.test_operator_pages import client_as, text_of

SOURCE = "Decizia Consiliului municipal Chișinău nr. 5/12 din 14.11.2026"
HOME_CARE_CU = {
    "service_type": "home-care",
    "district_code": "MD-CU",
    "year": 2027,
    "amount": "9500.00",
    "currency": "MDL",
    "source": SOURCE,
    "version": 2,
    "updated_at": "2026-11-20T10:00:00+00:00",
}
HOME_CARE_NATIONAL = {**HOME_CARE_CU, "district_code": "*", "amount": "8000.00", "source": "HG nr. 800", "version": 1}


@pytest.fixture
def operator(fake_api):
    fake_api.on("GET", "registry", r"/reference-costs", body=[HOME_CARE_NATIONAL, HOME_CARE_CU])
    return client_as("operator")


def test_the_operator_lists_reference_costs_with_their_source_and_the_national_value_named(operator, fake_api):
    page = text_of(operator.get("/operator/reference-costs"))
    assert SOURCE in page and "HG nr. 800" in page
    assert "National" in page and "MDL\xa09,500.00" in page
    assert 'href="/operator/reference-costs"' in text_of(operator.get("/operator/"))  # in the operator's menu


def test_the_filters_are_passed_to_the_registry(operator, fake_api):
    operator.get("/operator/reference-costs?service_type=home-care&district_code=*&year=2027")
    (asked,) = fake_api.requests_to("GET", "/reference-costs")
    assert asked["params"] == {"service_type": "home-care", "district_code": "*", "year": 2027}


def test_change_opens_the_form_on_that_row(operator):
    page = text_of(operator.get("/operator/reference-costs?edit=home-care/MD-CU/2027"))
    assert "Change a reference cost" in page
    assert 'value="9500.00"' in page and f">{SOURCE}</textarea>" in page.replace("\r\n", "")


def test_setting_a_national_reference_cost_puts_it_to_the_registry(operator, fake_api):
    fake_api.on("PUT", "registry", r"/reference-costs/.+", body={**HOME_CARE_NATIONAL, "version": 2})
    form = {"service_type": "home-care", "district_code": "*", "year": "2027", "amount": "8100.5", "source": "HG 9"}
    response = operator.post("/operator/reference-costs", data=form)
    assert response.status_code == 302
    (sent,) = fake_api.requests_to("PUT", "/reference-costs")
    assert sent["path"] == "/reference-costs/home-care/*/2027"
    assert sent["json"] == {"amount": "8100.50", "source": "HG 9"}


def test_an_amount_of_nothing_is_refused_before_the_registry_is_asked(operator, fake_api):
    form = {"service_type": "home-care", "district_code": "MD-CU", "year": "2027", "amount": "0", "source": "HG 9"}
    response = operator.post("/operator/reference-costs", data=form)
    assert response.status_code == 422 and "Enter an amount more than 0." in text_of(response)
    assert not fake_api.requests_to("PUT", "/reference-costs")


def test_the_registry_s_refusal_lands_beside_its_field(operator, fake_api):
    refusal = {"code": 422, "message": "unknown district", "errors": {"district_code": ["unknown district 'MD-XX'"]}}
    fake_api.on("PUT", "registry", r"/reference-costs/.+", status=422, body=refusal)
    form = {"service_type": "home-care", "district_code": "MD-CU", "year": "2027", "amount": "10", "source": "HG 9"}
    response = operator.post("/operator/reference-costs", data=form)
    assert response.status_code == 422 and "unknown district" in text_of(response)


@pytest.mark.parametrize("role", ["cso", "authority", "evaluator"])
def test_other_roles_find_no_reference_cost_page(fake_api, role):
    assert client_as(role).get("/operator/reference-costs").status_code == 404
