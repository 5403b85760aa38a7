"""The round as a person sees it: every call of the round is listed by the portal's search and its page opens."""

from __future__ import annotations

import html

import httpx

from demo.platform import Progress, StepFailed
from services.common.settings import service_url


def check_portal(scenarios: list, progress: Progress) -> None:
    portal = service_url("portal")
    with httpx.Client(timeout=20) as http:
        for scenario in scenarios:
            listing = html.unescape(http.get(f"{portal}/", params={"q": scenario.title, "lang": "en"}).text)
            if scenario.title not in listing:
                raise StepFailed(f"the portal's search does not list {scenario.title!r} ({portal}/)")
            page = http.get(f"{portal}/calls/{scenario.tender['id']}", params={"lang": "en"})
            if page.status_code != 200 or scenario.title not in html.unescape(page.text):
                raise StepFailed(f"the portal's page of {scenario.name} answered {page.status_code}")
    progress.done(f"portal: the round's {len(scenarios)} calls are listed and each call's page opens ({portal})")
