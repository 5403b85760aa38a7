"""Every string a person can see is translated into Romanian and Russian, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
PORTAL = ROOT / "services" / "portal"
TRANSLATED = ("ro", "ru")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
METHOD_MAP = [("**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "lazy_ngettext": (1, 2)}


def _source_messages() -> dict[str, tuple]:
    found = {}
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        PORTAL, METHOD_MAP, OPTIONS, keywords=KEYWORDS
    ):
        ids = message if isinstance(message, tuple) else (message,)
        if ids[0]:
            found[ids[0]] = ids
    return found


def _catalogue(language: str):
    with (PORTAL / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


SOURCE = _source_messages()


def test_the_portal_has_strings_to_translate():
    assert len(SOURCE) > 50


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_visible_string_is_translated(language):
    catalogue = _catalogue(language)
    missing = []
    for msgid, ids in SOURCE.items():
        entry = catalogue.get(msgid)
        strings = entry.string if entry else None
        forms = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(forms) or (len(ids) == 2 and not isinstance(strings, tuple)):
            missing.append(msgid)
    assert not missing, f"{len(missing)} strings untranslated in {language} (run `make translations-update`):\n" + (
        "\n".join(missing[:40])
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_of_their_source(language):
    wrong = []
    for entry in _catalogue(language):
        if not entry.id or not entry.string:
            continue
        source = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        expected = set().union(*(PLACEHOLDER.findall(text) for text in source))
        translations = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in translations:
            if set(PLACEHOLDER.findall(text)) - expected or (
                len(source) == 1 and set(PLACEHOLDER.findall(text)) != expected
            ):
                wrong.append(f"{source[0]!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)
