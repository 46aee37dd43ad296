"""How a Decree 30/2020 document number is written: "05/KH-UBND".

Kept apart from ``numbering`` (which takes numbers and imports the models) so the models
themselves, the register and the renderer all format numbers with the same two functions."""

from __future__ import annotations


def padded_number(number: int) -> str:
    """'05', '12', '105': a leading zero below 10 (Decree 30/2020, Annex I)."""
    return f"{number:02d}"


def reference(number: int, symbol: str) -> str:
    """'05/KH-UBND': the number, then the symbol (type abbreviation and issuing body)."""
    return f"{padded_number(number)}/{symbol}"
