"""Text hygiene: Vietnamese often arrives decomposed (Word on a Mac, copied PDFs); we store
NFC only, and fold accents for search."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_WORD = re.compile(r"[0-9a-z]+")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def normalise_input(value: Any) -> Any:
    """NFC for strings (recursively for lists and dicts); anything else unchanged."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [normalise_input(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise_input(v) for k, v in value.items()}
    return value


def search_words(value: str) -> str:
    """What the search columns store and the search looks for: the folded words, letters
    and digits only ("canbo@example.com, TN-SNV" -> "canbo example com tn snv"), so every
    database splits them alike and no text can turn into query syntax."""
    return " ".join(_WORD.findall(fold(value)))


def fold(value: str) -> str:
    """Lower case without diacritics: "Nâng cao HIỆU QUẢ" -> "nang cao hieu qua".
    đ/Đ are letters of their own in Unicode, not d with a mark, so they are mapped by hand."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
