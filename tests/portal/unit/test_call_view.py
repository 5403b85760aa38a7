"""A published call's page shows what its OCDS release and the API's views say, each piece where a person looks."""

from __future__ import annotations

from decimal import Decimal

from services.portal.domain.call_view import call_view, document_id, suppliers_to_look_up
from services.portal.domain.provider_view import contracts_held, provider_view

PUBLISHED = "2026-03-02T08:00:00Z"
ENQUIRY_END = "2026-03-09T15:00:00Z"
DEADLINE = "2026-03-16T15:00:00Z"


def document(number: int, title: str, kind: str = "tenderNotice") -> dict:
    return {
        "id": f"doc-{number}",
        "documentType": kind,
        "title": title,
        "description": f"SHA-256: {number:064x}",
        "format": "application/pdf",
        "datePublished": PUBLISHED,
        "url": f"http://contracting.example/api/v1/documents/{number}/download",
    }


def release(**tender_extra) -> dict:
    """A call as published: two lots, price and quality weighed 40/60, terms of reference."""
    tender = {
        "id": "7",
        "title": "Îngrijire la domiciliu, Botanica",
        "status": "active",
        "description": "20 locuri.",
        "enquiryPeriod": {"startDate": PUBLISHED, "endDate": ENQUIRY_END},
        "tenderPeriod": {"startDate": PUBLISHED, "endDate": DEADLINE},
        "value": {"amount": 120000, "currency": "MDL"},
        "awardCriteriaDetails": "Preț 40%, Calitate 60%",
        "items": [
            {"id": "lot-11", "description": "Lot 1: Botanica nord (12 months)", "quantity": 12},
            {"id": "lot-12", "description": "Lot 2: Botanica sud (6 months)", "quantity": 8},
        ],
        "documents": [document(1, "Caietul de sarcini"), document(2, "Modelul de contract", "contractDraft")],
        **tender_extra,
    }
    compiled = {
        "ocid": "ocds-sscp01-7",
        "buyer": {"id": "MD-CU-DAS", "name": "Direcția Asistență Socială MD-CU"},
        "parties": [],
        "tender": tender,
    }
    return {
        "tender_id": 7,
        "ocid": "ocds-sscp01-7",
        "title": tender["title"],
        "status": tender["status"],
        "district_code": "MD-CU",
        "service_type": "home-care",
        "first_published": PUBLISHED,
        "compiled_release": compiled,
    }


def the_call_view(status: str = "active.tendering", **extra) -> dict:
    """GET /tenders/<id> as anyone reads it."""
    return {
        "id": 7,
        "status": status,
        "district_code": "MD-CU",
        "service_type": "home-care",
        "title": "Îngrijire la domiciliu, Botanica",
        "title_ru": "Уход на дому, Ботаника",
        "title_en": None,
        "description": "20 locuri.",
        "enquiry_end": "2026-03-09T15:00:00.123456+00:00",
        "submission_deadline": "2026-03-16T15:00:00.123456+00:00",
        "published_at": PUBLISHED,
        "lots": [
            {
                "id": 12,
                "number": 2,
                "title": "Botanica sud",
                "places": 8,
                "budget": "48000.50",
                "duration_months": 6,
                "max_awards": 1,
            },
            {
                "id": 11,
                "number": 1,
                "title": "Botanica nord",
                "places": 12,
                "budget": "72000.00",
                "duration_months": 12,
                "max_awards": 2,
            },
        ],
        "criteria": [
            {"id": 21, "number": 1, "kind": "price", "name": "Preț", "weight": 40, "minimum": None},
            {"id": 22, "number": 2, "kind": "quality", "name": "Calitate", "weight": 60, "minimum": "60.00"},
        ],
        **extra,
    }


def decided_release() -> dict:
    """After the award decision and the signature: lot 1 went to two providers, one of whom signed."""
    record = release(
        status="complete",
        numberOfTenderers=3,
        awardPeriod={"startDate": "2026-03-20T10:00:00Z", "endDate": "2026-03-26T10:00:00Z"},
    )
    compiled = record["compiled_release"]
    record["status"] = "complete"
    compiled["parties"] = [
        {
            "id": "MD-IDNO-1003600011111",
            "name": "AO Casa Speranței",
            "identifier": {"scheme": "MD-IDNO", "id": "1003600011111"},
        },
        {
            "id": "MD-IDNO-1003600022222",
            "name": "AO Concordia",
            "identifier": {"scheme": "MD-IDNO", "id": "1003600022222"},
        },
    ]
    compiled["awards"] = [
        {
            "id": "1",
            "status": "active",
            "date": "2026-03-20T10:00:00Z",
            "value": {"amount": 42000},
            "suppliers": [{"id": "MD-IDNO-1003600011111", "name": "AO Casa Speranței"}],
            "items": [{"id": "lot-11", "quantity": 6}],
            "documents": [document(14, "Raportul comisiei", "evaluationReports")],
        },
        {
            "id": "2",
            "status": "cancelled",
            "date": "2026-03-20T10:00:00Z",
            "value": {"amount": 40000},
            "suppliers": [{"id": "MD-IDNO-1003600022222", "name": "AO Concordia"}],
            "items": [{"id": "lot-11", "quantity": 6}],
        },
    ]
    compiled["contracts"] = [
        {
            "id": "1",
            "awardID": "1",
            "status": "active",
            "dateSigned": "2026-03-27T09:00:00Z",
            "value": {"amount": 42000},
            "items": [{"id": "lot-11", "quantity": 6}],
            "period": {"startDate": "2026-04-01T00:00:00Z", "endDate": "2027-03-31T00:00:00Z"},
            "amendments": [{"id": "v2", "date": "2027-03-01T00:00:00Z", "rationale": "Reînnoit."}],
            "documents": [document(19, "Contractul semnat", "contractSigned")],
        },
    ]
    return record


RANKING = {
    "decided_at": "2026-03-20T10:00:00+00:00",
    "criteria": [
        {"id": 21, "number": 1, "kind": "price", "name": "Preț", "weight": 40, "minimum": None},
        {"id": 22, "number": 2, "kind": "quality", "name": "Calitate", "weight": 60, "minimum": "60.00"},
    ],
    "lots": [
        {
            "lot_id": 11,
            "number": 1,
            "title": "Botanica nord",
            "bids": [
                {
                    "provider_id": 9,
                    "legal_name": "AO Fără Punctaj",
                    "rank": None,
                    "result": "ineligible",
                    "reason": "not accredited",
                    "price": "50000.00",
                    "places": 6,
                    "total_score": None,
                    "criterion_scores": {},
                },
                {
                    "provider_id": 2,
                    "legal_name": "AO Concordia",
                    "rank": 2,
                    "result": "ranked",
                    "reason": None,
                    "price": "40000.00",
                    "places": 6,
                    "total_score": "91.00",
                    "criterion_scores": {"21": "100.00", "22": "85.00"},
                },
                {
                    "provider_id": 1,
                    "legal_name": "AO Casa Speranței",
                    "rank": 1,
                    "result": "ranked",
                    "reason": None,
                    "price": "42000.00",
                    "places": 6,
                    "total_score": "93.30",
                    "criterion_scores": {"21": "95.24", "22": "92.00"},
                },
            ],
        }
    ],
}


def test_an_open_call_shows_its_lots_in_order_with_budgets_and_its_title_in_the_persons_language():
    view = call_view(release(), "ru", tender=the_call_view())
    assert view.title == "Уход на дому, Ботаника"
    assert [(lot.number, lot.title, lot.places, lot.budget) for lot in view.lots] == [
        (1, "Botanica nord", 12, Decimal("72000.00")),
        (2, "Botanica sud", 8, Decimal("48000.50")),
    ]
    assert view.budget == Decimal("120000.50")
    assert view.lots[0].duration_months == 12 and view.lots[0].max_awards == 2
    assert view.status == "active.tendering" and view.takes_bids and not view.takes_questions


def test_a_title_not_given_in_the_persons_language_falls_back_to_the_romanian():
    assert call_view(release(), "en", tender=the_call_view()).title == "Îngrijire la domiciliu, Botanica"


def test_criteria_show_their_weights_and_the_quality_minimum():
    view = call_view(release(), "ro", tender=the_call_view())
    assert [(c.name, c.kind, c.weight, c.minimum) for c in view.criteria] == [
        ("Preț", "price", 40, None),
        ("Calitate", "quality", 60, Decimal("60.00")),
    ]
    assert view.has_minimums


def test_without_the_calls_own_view_lots_and_weights_are_read_from_the_ocds_release():
    view = call_view(release(), "ro")
    assert [(lot.number, lot.title, lot.places, lot.duration_months, lot.budget) for lot in view.lots] == [
        (1, "Botanica nord", 12, 12, None),
        (2, "Botanica sud", 8, 6, None),
    ]
    assert [(c.name, c.weight) for c in view.criteria] == [("Preț", 40), ("Calitate", 60)]
    assert view.budget == Decimal("120000")
    assert view.status == "active" and not view.takes_bids
    assert view.periods.submission_deadline == DEADLINE


def test_the_periods_say_until_when_questions_and_bids_are_taken():
    periods = call_view(release(), "ro", tender=the_call_view()).periods
    assert periods.published_at == PUBLISHED
    assert periods.enquiry_end.startswith("2026-03-09T15:00:00")
    assert periods.submission_deadline.startswith("2026-03-16T15:00:00")
    assert periods.decided_at is None and periods.standstill_end is None and periods.signed_at is None


def test_documents_link_to_their_download_and_show_their_fingerprint_type_and_size():
    listing = [{"id": 1, "size": 681, "sha256": "ab" * 32}, {"id": 2, "size": 2048}]
    documents = call_view(release(), "ro", documents=listing).documents
    assert [(d.document_id, d.title, d.document_type, d.format_name, d.size_bytes) for d in documents] == [
        (1, "Caietul de sarcini", "tenderNotice", "PDF", 681),
        (2, "Modelul de contract", "contractDraft", "PDF", 2048),
    ]
    assert documents[0].sha256 == "ab" * 32  # the listing's own hash
    assert documents[1].sha256 == f"{2:064x}"  # else the one OCDS states in the description


def test_a_call_with_no_documents_has_an_empty_list():
    record = release()
    del record["compiled_release"]["tender"]["documents"]
    assert call_view(record, "ro").documents == ()


def test_a_documents_id_comes_from_its_download_url_or_its_ocds_id():
    assert document_id({"url": "https://x/api/v1/documents/42/download"}) == 42
    assert document_id({"id": "doc-7"}) == 7
    assert document_id({"id": "cancellation-abc"}) is None


def test_questions_show_with_their_answers_and_unanswered_ones_say_so():
    enquiries = [
        {
            "id": "1",
            "description": "Se acceptă jumătate de normă?",
            "date": "2026-03-03T09:00:00Z",
            "answer": "Da.",
            "dateAnswered": "2026-03-04T09:00:00Z",
        },
        {"id": "2", "description": "Câte rapoarte?", "date": "2026-03-05T09:00:00Z"},
    ]
    questions = call_view(release(enquiries=enquiries), "ro").questions
    assert [(q.question, q.answer) for q in questions] == [
        ("Se acceptă jumătate de normă?", "Da."),
        ("Câte rapoarte?", None),
    ]
    assert questions[0].answered_at == "2026-03-04T09:00:00Z"


def test_an_amendment_says_what_changed_why_and_where_the_deadline_moved():
    amendments = [
        {
            "rationale": "Bugetul a fost majorat.",
            "changes": {"title_ru": "Уход", "lots": [{"id": 12, "budget": "52000"}]},
            "created_at": "2026-03-06T10:00:00+00:00",
            "previous_submission_deadline": "2026-03-16T15:00:00+00:00",
            "submission_deadline": "2026-03-18T15:00:00+00:00",
        }
    ]
    record = release(
        amendments=[
            {
                "id": "x",
                "date": "2026-03-06T10:00:00Z",
                "rationale": "Bugetul a fost majorat.",
                "description": "Changed: lots, submission deadline",
            }
        ]
    )
    amendment = call_view(record, "ro", tender=the_call_view(), amendments=amendments).amendments[0]
    assert amendment.changed == ("title", "lots", "submission_deadline")
    assert [(c.lot_number, c.budget, c.places) for c in amendment.lot_changes] == [(2, Decimal("52000"), None)]
    assert (amendment.previous_deadline, amendment.new_deadline) == (
        "2026-03-16T15:00:00+00:00",
        "2026-03-18T15:00:00+00:00",
    )
    assert amendment.rationale == "Bugetul a fost majorat."


def test_without_the_amendments_view_the_ocds_amendment_still_says_what_changed():
    record = release(
        amendments=[
            {
                "id": "x",
                "date": "2026-03-06T10:00:00Z",
                "rationale": "Motiv.",
                "description": "Changed: lots, submission deadline",
            }
        ]
    )
    amendment = call_view(record, "ro").amendments[0]
    assert amendment.changed == ("lots", "submission_deadline")
    assert amendment.rationale == "Motiv." and amendment.new_deadline is None


def test_a_cancelled_call_shows_the_departments_reason():
    cancellation = {
        "id": "cancellation-1",
        "documentType": "cancellationDetails",
        "title": "Call cancelled",
        "description": "Bugetul a fost retras.",
        "datePublished": "2026-03-05T10:00:00Z",
    }
    record = release(status="cancelled", documents=[document(1, "Caietul de sarcini"), cancellation])
    record["status"] = "cancelled"
    view = call_view(record, "ro")
    assert view.status == "cancelled"
    assert view.cancellation_reason == "Bugetul a fost retras."
    assert [d.title for d in view.documents] == ["Caietul de sarcini"]  # the notice has no file to download
    assert not view.takes_bids and view.awards == () and view.ranking == ()


def test_the_calls_own_view_gives_the_cancellation_reason_first():
    record = release(status="cancelled")
    view = call_view(record, "ro", tender=the_call_view("cancelled", cancellation_reason="Retras."))
    assert view.cancellation_reason == "Retras."


def test_an_unsuccessful_call_shows_every_bid_with_why_it_was_not_ranked():
    record = release(status="unsuccessful")
    ranking = {**RANKING, "lots": [{**RANKING["lots"][0], "bids": RANKING["lots"][0]["bids"][:1]}]}
    view = call_view(
        record, "ro", tender=the_call_view("unsuccessful", decided_at="2026-03-20T10:00:00+00:00"), ranking=ranking
    )
    (row,) = view.ranking[0].rows
    assert (row.name, row.rank, row.result, row.reason, row.winner) == (
        "AO Fără Punctaj",
        None,
        "ineligible",
        "not accredited",
        False,
    )
    assert row.scores == (None, None) and row.total is None
    assert view.awards == () and view.contracts == ()


def test_after_the_award_the_ranking_lists_bids_best_first_with_scores_in_the_criteria_order():
    view = call_view(decided_release(), "ro", tender=the_call_view("complete"), ranking=RANKING)
    (lot,) = view.ranking
    assert (lot.lot_number, lot.title) == (1, "Botanica nord")
    assert [(row.rank, row.name) for row in lot.rows] == [
        (1, "AO Casa Speranței"),
        (2, "AO Concordia"),
        (None, "AO Fără Punctaj"),
    ]
    assert lot.rows[0].scores == (Decimal("95.24"), Decimal("92.00"))
    assert lot.rows[0].total == Decimal("93.30") and lot.rows[0].price == Decimal("42000.00")


def test_winners_are_the_suppliers_of_standing_awards_not_of_cancelled_ones():
    view = call_view(decided_release(), "ro", tender=the_call_view("complete"), ranking=RANKING)
    assert [(row.name, row.winner) for row in view.ranking[0].rows] == [
        ("AO Casa Speranței", True),
        ("AO Concordia", False),
        ("AO Fără Punctaj", False),
    ]


def test_awards_and_contracts_name_the_supplier_lot_value_and_period_and_link_to_the_provider():
    view = call_view(decided_release(), "ro", tender=the_call_view("complete"), ranking=RANKING)
    first, fallen = view.awards
    assert (first.supplier.name, first.supplier.idno, first.supplier.provider_id) == (
        "AO Casa Speranței",
        "1003600011111",
        1,
    )
    assert (first.lot_number, first.value, first.places, first.status) == (1, Decimal("42000"), 6, "active")
    assert fallen.status == "cancelled" and not fallen.standing
    (contract,) = view.contracts
    assert contract.supplier == first.supplier
    assert (contract.value, contract.lot_number, contract.status) == (Decimal("42000"), 1, "active")
    assert (contract.starts, contract.ends, contract.signed_at) == (
        "2026-04-01T00:00:00Z",
        "2027-03-31T00:00:00Z",
        "2026-03-27T09:00:00Z",
    )
    assert contract.amendments == (("2027-03-01T00:00:00Z", "Reînnoit."),)
    assert view.periods.signed_at == "2026-03-27T09:00:00Z"
    assert view.periods.decided_at == "2026-03-20T10:00:00+00:00"
    assert view.periods.standstill_end == "2026-03-26T10:00:00Z"
    assert view.bidders_count == 3


def test_after_the_award_the_award_and_contract_documents_are_listed_with_the_calls_own():
    view = call_view(decided_release(), "ro")
    assert [d.document_id for d in view.documents] == [1, 2, 14, 19]


def test_suppliers_the_ranking_does_not_name_are_looked_up_by_idno():
    record = decided_release()
    assert suppliers_to_look_up(record, RANKING) == []
    assert suppliers_to_look_up(record, None) == ["1003600011111", "1003600022222"]
    view = call_view(record, "ro", provider_ids={"1003600022222": 5})
    assert [a.supplier.provider_id for a in view.awards] == [None, 5]


def test_a_cso_may_complain_only_when_its_bid_is_in_the_ranking():
    view = call_view(decided_release(), "ro", tender=the_call_view("active.standstill"), ranking=RANKING)
    assert view.takes_complaints
    assert view.ranked(2) and not view.ranked(77)


def test_a_provider_page_lists_its_accreditations_and_only_its_own_contracts_newest_first():
    provider = {
        "id": 1,
        "legal_name": "AO Casa Speranței",
        "idno": "1003600011111",
        "districts_served": ["MD-CU", "MD-OR"],
        "accreditations": [
            {"service_type": "respite-care", "valid_from": "2020-01-01", "valid_to": "2024-12-31", "status": "expired"},
            {"service_type": "home-care", "valid_from": "2025-10-31", "valid_to": "2030-12-04", "status": "active"},
        ],
    }
    rows = [
        {
            "tender_id": 1,
            "district_code": "MD-CU",
            "supplier": {"id": "MD-IDNO-1003600011111"},
            "contract": {
                "dateSigned": "2026-01-01T00:00:00Z",
                "value": {"amount": 42000},
                "status": "active",
                "items": [{"quantity": 10}],
                "period": {"startDate": "2026-01-02T00:00:00Z"},
            },
        },
        {
            "tender_id": 3,
            "district_code": "MD-OR",
            "supplier": {"id": "MD-IDNO-1003600011111"},
            "contract": {"dateSigned": "2026-02-01T00:00:00Z", "value": {"amount": 9000}, "status": "terminated"},
        },
        {
            "tender_id": 1,
            "district_code": "MD-CU",
            "supplier": {"id": "MD-IDNO-1003600022222"},
            "contract": {"dateSigned": "2026-01-01T00:00:00Z", "value": {"amount": 40000}, "status": "active"},
        },
    ]
    held = contracts_held(rows, provider["idno"])
    view = provider_view(provider, held, {1: "Îngrijire la domiciliu"})
    assert (view.name, view.idno, view.districts) == ("AO Casa Speranței", "1003600011111", ("MD-CU", "MD-OR"))
    assert [(a.service_type, a.valid_until, a.status, a.districts) for a in view.accreditations] == [
        ("home-care", "2030-12-04", "active", ("MD-CU", "MD-OR")),
        ("respite-care", "2024-12-31", "expired", ("MD-CU", "MD-OR")),
    ]
    assert [(c.tender_id, c.call_title, c.value, c.status) for c in view.contracts] == [
        (3, None, Decimal("9000"), "terminated"),
        (1, "Îngrijire la domiciliu", Decimal("42000"), "active"),
    ]
    assert view.contracts[1].places == 10


def test_a_provider_without_an_idno_holds_no_contract_on_its_page():
    assert contracts_held([{"supplier": {"id": "MD-IDNO-"}}], None) == []
