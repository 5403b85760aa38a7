"""Offline OCDS 1.1.5 validation used by every OCDS test, and the checks that the validator itself can be trusted.

The schemas and codelists come from ../shared/ocds beside the repository (as CI clones it); their references to
standard.open-contracting.org resolve to those local files, so nothing goes to the network.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parents[3]
OCDS_DIR = ROOT.parent / "shared" / "ocds"
SCHEMAS = (
    "release-schema.json",
    "release-package-schema.json",
    "record-package-schema.json",
    "versioned-release-validation-schema.json",
)
# Open codelists the schema does not enforce: (key, parent key or None) -> codelist file
OPEN_CODELISTS = {
    ("roles", None): "partyRole.csv",
    ("documentType", None): "documentType.csv",
    ("type", "milestones"): "milestoneType.csv",
    ("relationship", None): "relatedProcess.csv",
    ("awardCriteria", None): "awardCriteria.csv",
    ("procurementMethod", None): "method.csv",
    ("mainProcurementCategory", None): "procurementCategory.csv",
    ("scheme", "classification"): "itemClassificationScheme.csv",
    ("scheme", "relatedProcesses"): "relatedProcessScheme.csv",
}


def require_ocds_files() -> Path:
    if not (OCDS_DIR / "release-schema.json").exists():
        print(f"\n!!! SKIPPING: the OCDS 1.1.5 schemas are not at {OCDS_DIR} (clone shared/ beside the repo)\n")
        pytest.skip(f"OCDS SCHEMAS MISSING at {OCDS_DIR}")
    return OCDS_DIR


@cache
def _validators() -> dict[str, Draft4Validator]:
    schemas = {name: json.loads((OCDS_DIR / name).read_text("utf-8")) for name in SCHEMAS}
    registry = Registry().with_resources((s["id"], Resource.from_contents(s)) for s in schemas.values())
    checker = Draft4Validator.FORMAT_CHECKER
    return {
        kind: Draft4Validator(schemas[f"{kind}-schema.json"], registry=registry, format_checker=checker)
        for kind in ("release", "release-package", "record-package")
    }


@cache
def codelist(name: str) -> frozenset[str]:
    with (OCDS_DIR / "codelists" / name).open(encoding="utf-8") as handle:
        return frozenset(row["Code"] for row in csv.DictReader(handle))


def schema_errors(document: dict, kind: str) -> list[str]:
    """Every schema error of a 'release', 'release-package' or 'record-package', as readable lines."""
    require_ocds_files()
    found = sorted(_validators()[kind].iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


def codelist_errors(document, parent: str | None = None, path: str = "") -> list[str]:
    """Codes from open codelists that are not in the OCDS 1.1.5 codelists."""
    errors = []
    if isinstance(document, list):
        for index, item in enumerate(document):
            errors += codelist_errors(item, parent, f"{path}/{index}")
        return errors
    if not isinstance(document, dict):
        return errors
    for key, item in document.items():
        name = OPEN_CODELISTS.get((key, None)) or OPEN_CODELISTS.get((key, parent))
        if name and item is not None and not isinstance(item, dict):
            for code in item if isinstance(item, list) else [item]:
                if code not in codelist(name):
                    errors.append(f"{path}/{key}: {code!r} is not in {name}")
        errors += codelist_errors(item, key, f"{path}/{key}")
    return errors


def assert_valid(document: dict, kind: str) -> None:
    errors = schema_errors(document, kind) + codelist_errors(document)
    assert not errors, "\n".join(errors[:20])


def release_package(releases: list[dict]) -> dict:
    return {
        "uri": "https://example.md/package.json",
        "version": "1.1",
        "publishedDate": "2026-11-24T09:00:00Z",
        "publisher": {"name": "Test"},
        "releases": releases,
    }


MINIMAL_RELEASE = {
    "ocid": "ocds-sscp01-1",
    "id": "r-1",
    "date": "2026-11-24T09:00:00Z",
    "tag": ["tender"],
    "initiationType": "tender",
}


def test_a_minimal_release_package_passes_the_validator():
    assert_valid(release_package([MINIMAL_RELEASE]), "release-package")


def test_the_validator_catches_a_release_tag_and_an_award_status_outside_the_closed_codelists():
    broken = {**MINIMAL_RELEASE, "tag": ["tendered"], "awards": [{"id": "1", "status": "won"}]}
    errors = schema_errors(release_package([broken]), "release-package")
    assert any("tendered" in line for line in errors)
    assert any("won" in line for line in errors)


def test_the_validator_catches_codes_outside_the_open_codelists():
    require_ocds_files()
    release = {**MINIMAL_RELEASE, "parties": [{"id": "x", "roles": ["winner"]}]}
    assert codelist_errors(release) == ["/parties/0/roles: 'winner' is not in partyRole.csv"]


def test_the_release_schema_shipped_for_ocdsmerge_is_the_official_1_1_5_schema():
    require_ocds_files()
    shipped = ROOT / "services" / "contracting" / "domain" / "ocds_release_schema_1_1_5.json"
    assert json.loads(shipped.read_text("utf-8")) == json.loads((OCDS_DIR / "release-schema.json").read_text("utf-8"))


def test_every_status_the_platform_maps_to_is_an_ocds_code():
    from services.contracting.domain import ocds_codelists as codes

    require_ocds_files()
    assert set(codes.TENDER_STATUS.values()) <= codelist("tenderStatus.csv")
    assert set(codes.AWARD_STATUS.values()) <= codelist("awardStatus.csv")
    assert set(codes.CONTRACT_STATUS.values()) <= codelist("contractStatus.csv")
    assert set(codes.MILESTONE_STATUS.values()) <= codelist("milestoneStatus.csv")
    assert set(codes.PARTY_ROLES) <= codelist("partyRole.csv")
    assert set(codes.RELATIONSHIPS) <= codelist("relatedProcess.csv")
    assert set(codes.DOCUMENT_TYPES) <= codelist("documentType.csv")


def test_every_release_tag_the_platform_uses_is_in_the_closed_release_tag_codelist():
    from services.contracting.domain.ocds import TAGS

    require_ocds_files()
    used = {tag for tags in TAGS.values() for tag in tags}
    assert used <= codelist("releaseTag.csv")
    assert {"tender", "award", "contract", "implementation", "contractTermination"} <= used
