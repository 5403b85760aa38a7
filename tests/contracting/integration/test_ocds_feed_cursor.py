"""The release pages say where the feed stands (X-Feed-Cursor), also on the last page, which has no links.next:
a reader following the feed (the portal's observatory) asks only for what came after."""

from __future__ import annotations

from tests.contracting.integration.test_ocds_round_api import ask_and_answer, people, round_driver  # noqa: F401


def test_each_release_page_names_the_position_to_resume_from_and_an_empty_page_keeps_it(round_driver):  # noqa: F811
    round_driver.publish()
    ask_and_answer(round_driver)
    everything = round_driver.client.get("/api/v1/ocds/releases?limit=500")
    total = len(everything.json["releases"])
    assert total >= 2 and "links" not in everything.json
    assert everything.headers["X-Feed-Cursor"] == str(total)  # positions count from 1 in commit order

    first = round_driver.client.get("/api/v1/ocds/releases?limit=1")
    assert first.headers["X-Feed-Cursor"] == "1" and "next" in first.json["links"]
    rest = round_driver.client.get("/api/v1/ocds/releases?cursor=1&limit=500")
    assert rest.headers["X-Feed-Cursor"] == str(total)
    assert [r["id"] for r in rest.json["releases"]] == [r["id"] for r in everything.json["releases"][1:]]

    nothing_new = round_driver.client.get(f"/api/v1/ocds/releases?cursor={total}&limit=500")
    assert nothing_new.json["releases"] == [] and nothing_new.headers["X-Feed-Cursor"] == str(total)
