"""Each service type's minimum quality standards checklist: named in three languages, sourced, stably coded."""

from __future__ import annotations

import re

from services.common.quality_standards import CHECKLISTS, GENERIC, GENERIC_CHECKLIST, checklist_for, standard_name
from services.common.reference_data import SERVICE_TYPES


def test_every_service_type_of_the_nomenclature_has_its_own_checklist_of_four_to_eight_standards():
    for label in SERVICE_TYPES:
        checklist = checklist_for(label.code)
        assert checklist.service_type == label.code
        assert 4 <= len(checklist.standards) <= 8, label.code


def test_every_standard_has_a_unique_stable_code_and_a_name_in_romanian_russian_and_english():
    codes = [s.code for c in (*CHECKLISTS, GENERIC_CHECKLIST) for s in c.standards]
    assert len(codes) == len(set(codes))
    for checklist in (*CHECKLISTS, GENERIC_CHECKLIST):
        prefixes = {s.code.split("-")[0] for s in checklist.standards}
        assert len(prefixes) == 1, checklist.service_type  # one prefix per checklist
        assert [int(s.code.split("-")[1]) for s in checklist.standards] == list(range(1, len(checklist.standards) + 1))
        for standard in checklist.standards:
            assert re.fullmatch(r"[A-Z]{2,4}-[0-9]{2}", standard.code)
            assert all(len(getattr(standard, language)) > 15 for language in ("ro", "ru", "en"))
            assert re.search("[а-яё]", standard.ru) and not re.search("[а-яё]", standard.ro)  # noqa: RUF001


def test_each_checklist_names_the_regulation_it_comes_from():
    for checklist in CHECKLISTS:
        assert "Standard" in checklist.source or "cantin" in checklist.source, checklist.service_type
    assert checklist_for("home-care").source.startswith("Hotărârea Guvernului nr. 1034 din 31.12.2014")


def test_a_service_type_added_later_or_none_gets_the_generic_checklist():
    assert checklist_for("peer-support") is GENERIC_CHECKLIST and checklist_for(None).service_type == GENERIC
    assert GENERIC_CHECKLIST.codes == ("GEN-01", "GEN-02", "GEN-03", "GEN-04", "GEN-05")


def test_a_standard_is_named_in_the_language_asked_and_an_unknown_code_as_it_came():
    assert standard_name("HC-03", "en") == "Home visits take place as often and for as long as the plan sets"
    assert standard_name("HC-03", "xx") == standard_name("HC-03", "ro")
    assert standard_name("ZZ-01", "ru") == "ZZ-01"
