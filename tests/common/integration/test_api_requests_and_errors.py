"""How every service treats a request it cannot follow: unknown query parameters, a method the path does not
take, a body left out; and the one shape every error body has."""

from __future__ import annotations

import pytest

# (service, path, role, claims) of list operations a caller of that role may read.
LISTS = [
    pytest.param("notifications", "/api/v1/deliveries", "operator", {}, id="notifications deliveries"),
    pytest.param("registry", "/api/v1/providers", "operator", {}, id="registry providers"),
    pytest.param("contracting", "/api/v1/tenders", "operator", {}, id="contracting tenders"),
]


@pytest.mark.parametrize(("service", "path", "role", "claims"), LISTS)
def test_an_unknown_query_parameter_is_refused_with_422_naming_it(
    service_apps, token_mint, service, path, role, claims
):
    client = service_apps[service].test_client()
    response = client.get(f"{path}?ocid=ocds-b3wdp1-7", headers=token_mint.headers(role, "1", **claims))
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert "ocid" in response.json["message"]
    assert list(response.json["errors"]) == ["ocid"]
    assert response.json["location"] == "query"


@pytest.mark.parametrize(("service", "path", "role", "claims"), LISTS)
def test_pagination_parameters_still_work_and_per_page_is_pointed_to_page_size(
    service_apps, token_mint, service, path, role, claims
):
    client = service_apps[service].test_client()
    headers = token_mint.headers(role, "1", **claims)
    assert client.get(f"{path}?page=1&page_size=5", headers=headers).status_code == 200
    refused = client.get(f"{path}?per_page=5", headers=headers)
    assert refused.status_code == 422
    assert "page_size" in refused.json["message"] and "per_page" in refused.json["errors"]


def test_deliveries_asked_by_ocid_are_pointed_to_correlation_id(service_apps, token_mint):
    client = service_apps["notifications"].test_client()
    response = client.get("/api/v1/deliveries?ocid=ocds-b3wdp1-7", headers=token_mint.headers("operator"))
    assert response.status_code == 422 and "ocid is called correlation_id here" in response.json["message"]


def test_a_query_parameter_on_an_operation_that_takes_none_is_refused(service_apps):
    response = service_apps["registry"].test_client().get("/api/v1/districts?lang=en")
    assert response.status_code == 422 and "lang" in response.json["errors"]


def test_a_405_says_in_allow_which_methods_the_path_takes(service_apps, token_mint):
    client = service_apps["notifications"].test_client()
    response = client.delete("/api/v1/preferences", headers=token_mint.headers("operator"))
    assert response.status_code == 405
    assert {"GET", "PUT"} <= {method.strip() for method in response.headers["Allow"].split(",")}
    assert response.json["code"] == 405 and response.mimetype == "application/json"


@pytest.mark.parametrize("body", [None, {}], ids=["no body", "empty object"])
def test_preferences_changed_with_no_body_are_refused_saying_the_body_is_required(service_apps, token_mint, body):
    client = service_apps["notifications"].test_client()
    headers = token_mint.headers("cso", "4", provider_id=1)
    response = client.put("/api/v1/preferences", json=body, headers=headers)
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert "required" in response.json["message"] or "required" in str(response.json["errors"])


def test_schema_errors_are_keyed_by_field_with_the_location_apart(service_apps, token_mint):
    client = service_apps["notifications"].test_client()
    headers = token_mint.headers("cso", "4", provider_id=1)
    response = client.put("/api/v1/preferences", json={"language": "de", "digest": "maybe"}, headers=headers)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"language", "digest"}
    assert response.json["location"] == "json"
    assert "language" in response.json["message"] and "digest" in response.json["message"]


def test_a_bad_query_value_is_keyed_by_the_parameter(service_apps, token_mint):
    client = service_apps["notifications"].test_client()
    response = client.get("/api/v1/deliveries?page=0", headers=token_mint.headers("operator"))
    assert response.status_code == 422
    assert "page" in response.json["errors"] and response.json["location"] == "query"


def test_a_body_that_is_not_json_is_refused_without_a_location_level_in_errors(service_apps, token_mint):
    client = service_apps["notifications"].test_client()
    headers = {**token_mint.headers("cso", "4", provider_id=1), "Content-Type": "application/json"}
    response = client.put("/api/v1/preferences", data="{not json", headers=headers)
    assert response.status_code == 400
    assert "json" not in response.json["errors"] and response.json["location"] == "json"


def test_the_error_schema_documents_the_one_shape(documents):
    for document in documents.values():
        error = document["components"]["schemas"]["Error"]["properties"]
        assert "location" in error and "by field" in error["errors"]["description"]
        assert "example" in error["errors"]


def test_reads_that_refuse_an_undeclared_evaluator_document_their_409(documents):
    paths = documents["contracting"]["paths"]
    for path in ("/api/v1/tenders/{tender_id}/bids", "/api/v1/tenders/{tender_id}/evaluation/scores"):
        assert "409" in paths[path]["get"]["responses"], path
