"""The English catalogue covers every interface string (run `make messages` and translate
what it adds), and the compiled catalogue is not older than its source."""

from __future__ import annotations

import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "caicach" / "locale" / "en" / "LC_MESSAGES"


def _entries(po: str) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", po) if "msgid" in block]


def test_every_english_entry_is_translated_and_checked() -> None:
    untranslated, fuzzy = [], []
    for block in _entries((LOCALE / "django.po").read_text(encoding="utf-8"))[1:]:  # [0] is the header
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        if "#, fuzzy" in block or re.search(r"^#,.*\bfuzzy\b", block, re.M):
            fuzzy.append(block)
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M)
        if not strings or any(not "".join(re.findall(r'"(.*)"', s)) for s in strings):
            untranslated.append(block.splitlines()[-2:])
    assert not fuzzy, fuzzy[:3]
    assert not untranslated, untranslated[:5]


def test_the_compiled_catalogue_is_up_to_date() -> None:
    """Every English msgstr of the source catalogue is in the compiled one (git keeps no
    modification times, so the content is compared)."""
    compiled = (LOCALE / "django.mo").read_bytes()
    missing = []
    for block in _entries((LOCALE / "django.po").read_text(encoding="utf-8"))[1:]:
        if block.lstrip().startswith("#~"):
            continue
        for raw in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M):
            text = "".join(re.findall(r'"(.*)"', raw))
            if "\\" not in text and text.encode() not in compiled:
                missing.append(text)
    assert not missing, f"run `make messages` (compilemessages): {missing[:3]}"
