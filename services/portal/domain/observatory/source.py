"""Where compiled releases come from: a file someone downloaded, or contracting's public OCDS API.

A file may hold a record package, a list of record packages, a list of records, a release package of compiled
releases, or a list of compiled releases. From the API, the ocids are read off the release packages (following
``links.next``) and each process's record is fetched from ``/ocds/records?ocid=…``; ``get_json`` is the HTTP
GET the caller supplies (so this module stays free of any client library and tests need no server).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

PAGE_SIZE = 500  # the API's largest page


def compiled_releases(document) -> list[dict]:
    """The compiled releases in a downloaded OCDS document (see the module's docstring for the shapes)."""
    if isinstance(document, list):
        return [release for part in document for release in compiled_releases(part)]
    if not isinstance(document, dict):
        raise ValueError("expected OCDS JSON: a record package, records or compiled releases")
    if "records" in document:
        return compiled_releases(document["records"])
    if "compiledRelease" in document:
        return [document["compiledRelease"]]
    if "releases" in document and "ocid" not in document:
        releases = document["releases"]
        if any("compiled" not in (release.get("tag") or []) for release in releases):
            raise ValueError("a release package of individual releases: compile them (ocdskit compile) first")
        return list(releases)
    if "ocid" in document:
        return [document]
    raise ValueError("no records or compiled releases found in the document")


def ocids_published(get_json: Callable[[str], dict], api_url: str) -> list[str]:
    """Every ocid in the release packages, in order of first publication."""
    seen: dict[str, None] = {}
    url: str | None = f"{api_url}/ocds/releases?limit={PAGE_SIZE}"
    while url:
        package = get_json(url)
        seen.update(dict.fromkeys(release["ocid"] for release in package.get("releases", [])))
        url = (package.get("links") or {}).get("next")
    return list(seen)


def compiled_from_api(get_json: Callable[[str], dict], api_url: str) -> list[dict]:
    """Each published process's compiled release, as ``/ocds/records`` serves it."""
    return [
        release
        for ocid in ocids_published(get_json, api_url)
        for release in compiled_releases(get_json(f"{api_url}/ocds/records?ocid={quote(ocid, safe='')}"))
    ]
