"""File names for downloads: Vietnamese for the user, ASCII on disk and for old clients."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.utils.text import get_valid_filename


def ascii_filename(name: str) -> str:
    """An ASCII stand-in for a Vietnamese file name ("Danh sách đơn vị.xlsx" ->
    "Danh_sach_don_vi.xlsx"), for disk and for clients that ignore RFC 5987. Case is kept,
    unlike caicach.core.text.fold, which is for search."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = stripped.encode("ascii", "ignore").decode("ascii")
    return get_valid_filename(ascii_only) if ascii_only.strip(" ._") else "ket-qua"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266 with an ASCII fallback and the real (Vietnamese) name per RFC 5987:
    attachment; filename="Danh_sach_don_vi.xlsx"; filename*=utf-8''Danh%20s%C3%A1ch..."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_filename(filename)}\"; filename*=utf-8''{quote(filename, safe='')}"
