"""An evaluator's pages against a faked API: the task list, the declaration, the score sheet saved as they go and
submitted, what was submitted, and how refusals, a conflict and a call that does not name them read."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from services.portal.entrypoints.web import create_app

NOW = datetime.now(UTC)
ME = 31


def text_of(response) -> str:
    return response.get_data(as_text=True)


def tender(tender_id: int, deadline_days_ago: float = 1, status="active.evaluation", **changes) -> dict:
    record = {
        "id": tender_id,
        "ocid": f"ocds-test-{tender_id}",
        "title": f"Îngrijire la domiciliu {tender_id}",
        "status": status,
        "applied_status": status,
        "district_code": "MD-CU",
        "service_type": "home-care",
        "submission_deadline": (NOW - timedelta(days=deadline_days_ago)).isoformat(),
        "lots": [{"id": 100 + tender_id, "number": 1, "title": "Lot unic", "places": 10}],
        "criteria": [
            {"id": 1, "number": 1, "kind": "price", "name": "Preț", "weight": 40, "minimum": None},
            {"id": 2, "number": 2, "kind": "quality", "name": "Calitate", "weight": 60, "minimum": "50.00"},
        ],
    }
    return {**record, **changes}


def committee(tender_id: int, declaration="undeclared", blocked=None, members=None) -> dict:
    return {
        "tender_id": tender_id,
        "committee_size": 3,
        "sitting": 3,
        "scoring_blocked": blocked,
        "members": members
        or [
            {
                "evaluator": ME,
                "declaration": declaration,
                "declared_at": None if declaration == "undeclared" else NOW.isoformat(),
            },
            {"evaluator": 32, "declaration": "clear", "declared_at": NOW.isoformat()},
            {"evaluator": 33, "declaration": "undeclared", "declared_at": None},
        ],
        "bidders": [
            {"provider_id": 1, "legal_name": "AO Casa Speranței"},
            {"provider_id": 2, "legal_name": "AO Concordia"},
        ],
    }


def bid(bid_id: int, provider_id: int, tender_id: int = 5) -> dict:
    return {
        "id": bid_id,
        "tender_id": tender_id,
        "lot_id": 100 + tender_id,
        "provider_id": provider_id,
        "status": "active",
        "unit_price": "5000.00",
        "places": 10,
        "price": "50000.00",
        "quality_text": f"Propunerea {provider_id}: echipă calificată.",
        "quality_answers": [{"criterion_id": 2, "answer": f"Vizite zilnice ({provider_id})."}],
        "documents": [],
        "eligible": True,
    }


BIDS = {"tender_id": 5, "count": 2, "bids": [bid(51, 1), bid(52, 2)]}


def scores(*own, complete=False, missing=6) -> dict:
    return {
        "tender_id": 5,
        "complete": complete,
        "scores_missing": missing,
        "scores": [
            {
                "bid_id": b,
                "criterion_id": 2,
                "evaluator": ME,
                "score": s,
                "justification": j,
                "scored_at": NOW.isoformat(),
            }
            for b, s, j in own
        ],
    }


@pytest.fixture
def evaluator(fake_api):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "PORTAL_SECRET_KEY": "test-secret-" + "x" * 40})
    client = app.test_client()
    client.set_cookie("sscp_lang", "en")
    with client.session_transaction() as session:
        session["user"] = {
            "id": ME,
            "email": "evaluator1@chisinau.md",
            "full_name": "Ion Evaluator",
            "role": "evaluator",
            "district_code": "MD-CU",
            "provider_id": None,
        }
        session["token"] = "token-evaluator"
        session["token_expires"] = (NOW + timedelta(hours=1)).isoformat()
    fake_api.on(
        "GET",
        "contracting",
        "/tenders/5/documents",
        body=[
            {
                "id": 900,
                "kind": "bid",
                "owner_id": 51,
                "title": "Propunerea tehnică",
                "file_name": "propunere.pdf",
                "size": 2048,
                "status": "active",
                "confidential": False,
            },
            {
                "id": 901,
                "kind": "tender",
                "owner_id": None,
                "title": "Caietul de sarcini",
                "file_name": "caiet.pdf",
                "size": 1024,
                "status": "active",
            },
        ],
    )
    return client


def on_call(fake_api, declaration="undeclared", own=(), **changes):
    fake_api.on("GET", "contracting", "/tenders/5", body=tender(5, **changes))
    fake_api.on("GET", "contracting", "/tenders/5/committee", body=committee(5, declaration))
    if declaration == "clear":
        fake_api.on("GET", "contracting", "/tenders/5/bids", body=BIDS)
        fake_api.on("GET", "contracting", "/tenders/5/evaluation/scores", body=scores(*own))
    else:
        fake_api.on("GET", "contracting", "/tenders/5/bids", status=409, body={"message": "declare first"})
        fake_api.on("GET", "contracting", "/tenders/5/evaluation/scores", status=409, body={"message": "declare"})


def in_evaluation(calls: list[dict], decided: list[dict] = ()):
    """The district's calls by the status asked for: these in evaluation, ``decided`` in the standstill."""

    def answer(request):
        status = request["params"].get("status")
        listed = calls if status == "active.evaluation" else list(decided) if status == "active.standstill" else []
        return 200, listed, {"X-Pagination": json.dumps({"total": len(listed)})}

    return answer


# --- the task list ------------------------------------------------------------------------------------------------


def test_the_task_list_shows_the_calls_that_name_them_oldest_first_with_what_each_waits_for(evaluator, fake_api):
    listed = [
        tender(7, deadline_days_ago=1),
        tender(5, deadline_days_ago=20),
        tender(6, deadline_days_ago=3),
        tender(8),
    ]
    decided = [tender(4, deadline_days_ago=30, status="active.standstill")]
    fake_api.on_call("GET", "contracting", "/tenders", in_evaluation(listed, decided))
    fake_api.on("GET", "contracting", "/tenders/4/committee", body=committee(4, "clear"))
    fake_api.on("GET", "contracting", "/tenders/5/committee", body=committee(5, "clear"))
    fake_api.on("GET", "contracting", "/tenders/5/bids", body=BIDS)
    fake_api.on("GET", "contracting", "/tenders/5/evaluation/scores", body=scores((51, "80.00", "Bună propunere.")))
    fake_api.on("GET", "contracting", "/tenders/6/committee", body=committee(6, "conflict"))
    fake_api.on("GET", "contracting", "/tenders/7/committee", body=committee(7))
    fake_api.on("GET", "contracting", "/tenders/8/committee", status=403, body={"message": "not on committee"})

    page = text_of(evaluator.get("/evaluation/"))

    (listing,) = fake_api.requests_to("GET", "/tenders")[:1]
    assert listing["params"]["district_code"] == "MD-CU" and listing["params"]["status"] == "active.evaluation"
    assert page.index('id="task-5"') < page.index('id="task-7"')  # oldest first: 5 is due before 7
    assert "Îngrijire la domiciliu 8" not in page  # its committee does not name them
    to_do, done = page.split('id="done"')
    assert "/evaluation/calls/5/scores" in to_do and "1 of 2 scores given" in to_do and "overdue" in to_do
    assert "/evaluation/calls/7/declaration" in to_do
    assert "Conflict of interest declared" in done and "task-6" in done
    assert "Scores final" in done and "/evaluation/calls/4/submitted" in done  # decided: read-only
    assert not fake_api.requests_to("GET", "/tenders/4/evaluation/scores")


def test_a_call_whose_bids_are_still_being_opened_waits(evaluator, fake_api):
    waiting = tender(5, applied_status="active.tendering")
    fake_api.on_call("GET", "contracting", "/tenders", in_evaluation([waiting]))
    fake_api.on("GET", "contracting", "/tenders/5/committee", body=committee(5))
    page = text_of(evaluator.get("/evaluation/"))
    assert "The bids are being opened" in page and "/evaluation/calls/5/declaration" not in page


def test_with_nothing_to_do_the_list_says_so(evaluator, fake_api):
    fake_api.on_call("GET", "contracting", "/tenders", in_evaluation([]))
    assert 'id="nothing-to-do"' in text_of(evaluator.get("/evaluation/"))


def test_the_pages_are_for_evaluators_only(fake_api, client):
    assert client.get("/evaluation/").status_code == 302  # sign in first
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "PORTAL_SECRET_KEY": "test-secret-" + "x" * 40})
    other = app.test_client()
    with other.session_transaction() as session:
        session["user"] = {
            "id": 7,
            "email": "user@speranta.md",
            "full_name": None,
            "role": "cso",
            "district_code": None,
            "provider_id": 1,
        }
        session["token"] = "token-cso"
        session["token_expires"] = (NOW + timedelta(hours=1)).isoformat()
    assert other.get("/evaluation/").status_code == 404
    assert other.get("/evaluation/calls/5/scores").status_code == 404


# --- the declaration ----------------------------------------------------------------------------------------------


def test_the_declaration_lists_the_bidders_and_no_conflict_leads_to_the_bids(evaluator, fake_api):
    on_call(fake_api)
    page = text_of(evaluator.get("/evaluation/calls/5/declaration"))
    assert "AO Casa Speranței" in page and "AO Concordia" in page and 'id="send-declaration"' in page
    fake_api.on(
        "POST", "contracting", "/tenders/5/committee/declaration", body={"evaluator": ME, "declaration": "clear"}
    )
    answer = evaluator.post("/evaluation/calls/5/declaration", data={"has_conflict": "no", "statement": ""})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/evaluation/calls/5/scores")
    (sent,) = fake_api.requests_to("POST", "/committee/declaration")
    assert sent["json"] == {"has_conflict": False, "statement": None}


def test_a_conflict_needs_a_reason_and_then_takes_them_off_the_call(evaluator, fake_api):
    on_call(fake_api)
    refused = evaluator.post("/evaluation/calls/5/declaration", data={"has_conflict": "yes", "statement": " "})
    assert refused.status_code == 422
    assert "Describe the conflict of interest" in text_of(refused)
    assert not fake_api.requests_to("POST", "/committee/declaration")
    fake_api.on("POST", "contracting", "/tenders/5/committee/declaration", body={"declaration": "conflict"})
    answer = evaluator.post(
        "/evaluation/calls/5/declaration", data={"has_conflict": "yes", "statement": "Soția mea conduce AO Concordia."}
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/evaluation/")
    (sent,) = fake_api.requests_to("POST", "/committee/declaration")
    assert sent["json"] == {"has_conflict": True, "statement": "Soția mea conduce AO Concordia."}


def test_a_refused_declaration_says_what_stage_the_call_is_at(evaluator, fake_api):
    on_call(fake_api)
    fake_api.on(
        "POST",
        "contracting",
        "/tenders/5/committee/declaration",
        status=409,
        body={"message": "invalid transition", "current_status": "active.standstill"},
    )
    answer = evaluator.post("/evaluation/calls/5/declaration", data={"has_conflict": "no"})
    assert answer.status_code == 409
    assert "Standstill" in text_of(answer)


def test_declaring_twice_goes_to_the_sheet(evaluator, fake_api):
    on_call(fake_api)
    fake_api.on(
        "POST",
        "contracting",
        "/tenders/5/committee/declaration",
        status=409,
        body={"message": "you already declared: clear", "declaration": "clear"},
    )
    answer = evaluator.post("/evaluation/calls/5/declaration", data={"has_conflict": "no"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/scores")


def test_a_call_that_does_not_name_them_or_of_another_district_is_not_found(evaluator, fake_api):
    fake_api.on("GET", "contracting", "/tenders/5", body=tender(5))
    fake_api.on("GET", "contracting", "/tenders/5/committee", status=403, body={"message": "not on committee"})
    assert evaluator.get("/evaluation/calls/5/declaration").status_code == 404
    fake_api.on("GET", "contracting", "/tenders/9", status=404, body={"message": "tender 9 does not exist"})
    assert evaluator.get("/evaluation/calls/9/scores").status_code == 404
    assert evaluator.get("/evaluation/calls/9/submitted").status_code == 404


# --- the score sheet ----------------------------------------------------------------------------------------------


def test_the_sheet_shows_each_bid_its_answers_documents_and_the_criterion_side_by_side(evaluator, fake_api):
    on_call(fake_api, "clear", own=[(51, "80.00", "Plan de îngrijire solid.")])
    page = text_of(evaluator.get("/evaluation/calls/5/scores"))
    assert "Bid 1: AO Casa Speranței" in page and "Bid 2: AO Concordia" in page
    assert "Vizite zilnice (1)." in page and "Weighs 60 points out of 100." in page and "Minimum: 50.00" in page
    assert "/documents/900/download" in page and "/documents/901/download" not in page
    assert 'id="score_51_2"' in page and 'value="80"' in page and "Plan de îngrijire solid." in page
    assert "1 of 2 scores saved" in page
    assert "Preț" not in page.split("Bid 1")[1]  # price is not scored


def test_an_undeclared_evaluator_is_sent_to_declare_first(evaluator, fake_api):
    on_call(fake_api)
    answer = evaluator.get("/evaluation/calls/5/scores")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/declaration")


def test_after_a_conflict_the_page_says_they_cannot_score(evaluator, fake_api):
    on_call(fake_api, "conflict")
    page = text_of(evaluator.get("/evaluation/calls/5/scores"))
    assert 'id="conflict-declared"' in page and "cannot read or score its bids" in page
    assert 'id="conflict-declared"' in text_of(evaluator.get("/evaluation/calls/5/submitted"))
    assert not fake_api.requests_to("GET", "/bids")


def test_saving_part_of_the_sheet_sends_the_complete_pairs(evaluator, fake_api):
    on_call(fake_api, "clear")
    fake_api.on("POST", "contracting", "/tenders/5/evaluation/scores", body=scores((51, "82.50", "x" * 12)))
    answer = evaluator.post(
        "/evaluation/calls/5/scores",
        data={
            "action": "save",
            "score_51_2": "82,5",
            "justification_51_2": "Echipă bună, plan clar.",
            "score_52_2": "",
            "justification_52_2": "",
        },
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/evaluation/calls/5/scores")
    (sent,) = fake_api.requests_to("POST", "/evaluation/scores")
    assert sent["json"] == {
        "scores": [{"bid_id": 51, "criterion_id": 2, "score": "82.50", "justification": "Echipă bună, plan clar."}]
    }


def test_a_half_filled_pair_is_kept_on_the_page_with_what_is_missing(evaluator, fake_api):
    on_call(fake_api, "clear")
    fake_api.on("POST", "contracting", "/tenders/5/evaluation/scores", body=scores())
    answer = evaluator.post(
        "/evaluation/calls/5/scores",
        data={
            "action": "save",
            "score_51_2": "70",
            "justification_51_2": "Motivare suficientă.",
            "score_52_2": "101",
            "justification_52_2": "Scurt",
        },
    )
    page = text_of(answer)
    assert answer.status_code == 422
    assert "The score must be from 0 to 100." in page and "Write at least 10 characters." in page
    assert "1 score was saved" in page and 'value="101"' in page
    (sent,) = fake_api.requests_to("POST", "/evaluation/scores")
    assert [entry["bid_id"] for entry in sent["json"]["scores"]] == [51]


def test_submitting_wants_every_score(evaluator, fake_api):
    on_call(fake_api, "clear")
    answer = evaluator.post(
        "/evaluation/calls/5/scores",
        data={
            "action": "submit",
            "score_51_2": "",
            "justification_51_2": "",
            "score_52_2": "",
            "justification_52_2": "",
        },
    )
    assert answer.status_code == 422
    assert "Score this before you submit." in text_of(answer)
    assert not fake_api.requests_to("POST", "/evaluation/scores")


def test_a_complete_sheet_is_submitted_and_shown(evaluator, fake_api):
    on_call(fake_api, "clear")
    fake_api.on("POST", "contracting", "/tenders/5/evaluation/scores", body=scores())
    answer = evaluator.post(
        "/evaluation/calls/5/scores",
        data={
            "action": "submit",
            "score_51_2": "90",
            "justification_51_2": "Cea mai bună propunere.",
            "score_52_2": "70.25",
            "justification_52_2": "Propunere acceptabilă.",
        },
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/evaluation/calls/5/submitted")
    (sent,) = fake_api.requests_to("POST", "/evaluation/scores")
    assert [entry["score"] for entry in sent["json"]["scores"]] == ["90.00", "70.25"]
    fake_api.on(
        "GET",
        "contracting",
        "/tenders/5/evaluation/scores",
        body=scores((51, "90.00", "Cea mai bună propunere."), (52, "70.25", "Propunere acceptabilă."), missing=4),
    )
    page = text_of(evaluator.get("/evaluation/calls/5/submitted"))
    assert 'id="scores-submitted"' in page and "4 scores are still missing" in page
    assert "Cea mai bună propunere." in page and 'id="change-scores"' in page and "<textarea" not in page


def test_refused_scores_land_beside_their_fields(evaluator, fake_api):
    on_call(fake_api, "clear")
    fake_api.on(
        "POST",
        "contracting",
        "/tenders/5/evaluation/scores",
        status=422,
        body={"code": 422, "errors": {"scores": {"1": {"justification": ["Shorter than minimum length 10."]}}}},
    )
    answer = evaluator.post(
        "/evaluation/calls/5/scores",
        data={
            "action": "save",
            "score_51_2": "90",
            "justification_51_2": "Cea mai bună propunere.",
            "score_52_2": "70",
            "justification_52_2": "Propunere acceptabilă.",
        },
    )
    page = text_of(answer)
    assert answer.status_code == 422
    assert 'id="justification_52_2-error"' in page and "Shorter than minimum length 10." in page


def test_scoring_refused_while_the_committee_is_short_says_why(evaluator, fake_api):
    on_call(fake_api, "clear")
    fake_api.on(
        "GET",
        "contracting",
        "/tenders/5/committee",
        body=committee(5, "clear", blocked="the committee has 2 member(s)"),
    )
    page = text_of(evaluator.get("/evaluation/calls/5/scores"))
    assert 'id="scoring-blocked"' in page
    fake_api.on(
        "POST",
        "contracting",
        "/tenders/5/evaluation/scores",
        status=409,
        body={"message": "the committee has 2 member(s) without a conflict of interest and needs 3"},
    )
    answer = evaluator.post(
        "/evaluation/calls/5/scores",
        data={"action": "save", "score_51_2": "90", "justification_51_2": "Cea mai bună propunere."},
    )
    assert answer.status_code == 409
    assert "The department must name more evaluators." in text_of(answer)


def test_final_scores_are_read_only(evaluator, fake_api):
    on_call(fake_api, "clear")
    fake_api.on(
        "GET",
        "contracting",
        "/tenders/5/evaluation/scores",
        body=scores(
            (51, "90.00", "Cea mai bună propunere."), (52, "70.00", "Propunere acceptabilă."), complete=True, missing=0
        ),
    )
    answer = evaluator.get("/evaluation/calls/5/scores")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/submitted")
    page = text_of(evaluator.get("/evaluation/calls/5/submitted"))
    assert 'id="scores-final"' in page and 'id="change-scores"' not in page


@pytest.mark.parametrize("language", ["ro", "ru"])
def test_every_page_reads_in_romanian_and_russian(evaluator, fake_api, language):
    evaluator.set_cookie("sscp_lang", language)
    fake_api.on_call("GET", "contracting", "/tenders", in_evaluation([tender(5)]))
    on_call(fake_api)
    words = {
        "ro": ("Sarcinile mele de evaluare", "Declarați conflictele de interese"),
        "ru": ("Мои задачи по оценке", "Заявите о конфликте интересов"),  # noqa: RUF001
    }
    assert words[language][0] in text_of(evaluator.get("/evaluation/"))
    assert words[language][1] in text_of(evaluator.get("/evaluation/calls/5/declaration"))
    on_call(fake_api, "clear", own=[(51, "80.00", "Plan de îngrijire solid.")])
    sheet = text_of(evaluator.get("/evaluation/calls/5/scores"))
    assert {"ro": "Oferta 1: AO Casa Speranței", "ru": "Заявка 1: AO Casa Speranței"}[language] in sheet
    assert {"ro": "50,00", "ru": "50,00"}[language] in sheet
    assert {"ro": "Punctajele dvs.", "ru": "Ваши баллы"}[language] in text_of(
        evaluator.get("/evaluation/calls/5/submitted")
    )


def test_a_runaway_score_or_justification_is_shown_beside_its_field_not_refused_outright(evaluator, fake_api):
    on_call(fake_api, "clear")
    answer = evaluator.post(
        "/evaluation/calls/5/scores",
        data={"action": "save", "score_51_2": "9" * 40, "justification_51_2": "x" * 10001},
    )
    page = text_of(answer)
    assert answer.status_code == 422
    assert "The score must be from 0 to 100." in page and "Write at most 10,000 characters." in page


def test_saving_a_whole_sheet_says_it_counts_as_submitted(evaluator, fake_api):
    on_call(fake_api, "clear")
    fake_api.on("POST", "contracting", "/tenders/5/evaluation/scores", body=scores())
    answer = evaluator.post(
        "/evaluation/calls/5/scores",
        data={
            "action": "save",
            "score_51_2": "90",
            "justification_51_2": "Cea mai bună propunere.",
            "score_52_2": "70",
            "justification_52_2": "Propunere acceptabilă.",
        },
        follow_redirects=True,
    )
    assert "they count as submitted" in text_of(answer)
