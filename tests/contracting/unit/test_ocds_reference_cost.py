"""A published call's lots carry the reference cost per beneficiary that applies (issue 20): OCDS
``tender.lots[].referenceCost``, the platform's extension field, described in
services/contracting/domain/ocds_reference_cost_release_schema.json."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources

from jsonschema import Draft4Validator

from services.common.reference_costs import ReferenceCostFacts, applicable, call_year
from services.contracting.domain import ocds
from services.contracting.service_layer.publication import compile_releases
from tests.contracting.unit.test_ocds_releases_from_events import COMMON, context
from tests.contracting.unit.test_ocds_schema_validation import OCDS_DIR, assert_valid, release_package

CAHUL = "Decizia Consiliului municipal Chișinău nr. 5/12 din 14.11.2026"
REFERENCE = {
    "service_type": "home-care",
    "district_code": "MD-CU",
    "year": 2026,
    "amount": "9500.50",
    "currency": "MDL",
    "source": CAHUL,
    "version": 2,
}


def published(reference: dict | None) -> dict:
    return ocds.release_for("tender.published", {**COMMON, "reference_cost": reference}, context("r"))


def test_each_published_lot_carries_the_reference_cost_with_its_unit_year_district_and_source():
    (lot,) = published(REFERENCE)["tender"]["lots"]
    assert lot["id"] == "lot-3" and lot["value"] == {"amount": 400000, "currency": "MDL"}
    assert lot["referenceCost"] == {
        "amount": {"amount": 9500.5, "currency": "MDL"},
        "unit": "place per year",
        "year": 2026,
        "districtCode": "MD-CU",
        "source": CAHUL,
    }


def test_an_item_names_its_lot_so_places_and_reference_cost_can_be_joined():
    tender = published(REFERENCE)["tender"]
    assert tender["items"][0]["relatedLot"] == tender["lots"][0]["id"]


def test_a_lot_has_no_reference_cost_when_none_applies():
    (lot,) = published(None)["tender"]["lots"]
    assert "referenceCost" not in lot


def test_the_release_validates_against_ocds_and_against_the_extension_that_describes_the_field():
    release = published({**REFERENCE, "district_code": "*"})
    assert_valid(release_package([release]), "release-package")
    schema = json.loads((OCDS_DIR / "release-schema.json").read_text("utf-8"))
    patch = json.loads(
        resources.files("services.contracting.domain").joinpath("ocds_reference_cost_release_schema.json").read_text()
    )
    # The lots extension's Tender.lots, reduced to what this test needs; our patch adds Lot.referenceCost.
    schema["definitions"]["Tender"]["properties"]["lots"] = {"type": "array", "items": {"$ref": "#/definitions/Lot"}}
    schema["definitions"]["Lot"] = {"type": "object", **patch["definitions"]["Lot"]}
    schema["definitions"]["ReferenceCost"] = patch["definitions"]["ReferenceCost"]
    errors = [error.message for error in Draft4Validator(schema).iter_errors(release)]
    assert not errors, errors
    broken = json.loads(json.dumps(release))
    broken["tender"]["lots"][0]["referenceCost"]["year"] = "2026"
    assert list(Draft4Validator(schema).iter_errors(broken))


def test_an_amendment_after_publication_keeps_the_reference_cost_in_the_compiled_release():
    first = published(REFERENCE)
    amendment = ocds.release_for(
        "tender.amended", {**COMMON, "changes": {"title": "x"}, "rationale": "typo"}, context("r2", minutes=5)
    )
    compiled = compile_releases([first, amendment])
    assert compiled["tender"]["lots"][0]["referenceCost"]["amount"] == {"amount": 9500.5, "currency": "MDL"}


def test_the_district_own_reference_cost_wins_over_the_national_one_of_the_same_year():
    national = ReferenceCostFacts("home-care", "*", 2027, Decimal("8000"), "HG nr. 1")
    own = ReferenceCostFacts("home-care", "MD-CU", 2027, Decimal("9500"), "Decizia CMC")
    other_year = ReferenceCostFacts("home-care", "MD-OR", 2026, Decimal("7000"), "Decizia CR Orhei")
    costs = [national, own, other_year]
    assert applicable(costs, "home-care", "MD-CU", 2027) == own
    assert applicable(costs, "home-care", "MD-OR", 2027) == national
    assert applicable(costs, "home-care", "MD-OR", 2028) is None
    assert applicable(costs, "day-centre", "MD-CU", 2027) is None


def test_a_call_is_measured_against_the_year_of_its_submission_deadline_in_chisinau():
    assert call_year(datetime(2026, 12, 31, 22, 30, tzinfo=UTC)) == 2027
    assert call_year(datetime(2026, 12, 31, 21, 30, tzinfo=UTC)) == 2026
