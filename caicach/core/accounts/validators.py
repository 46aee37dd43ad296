"""Password rules of our own, beside Django's (length, similarity to the user's data, the
common-password list, all digits): no password built from the product's name, the name of
the province or commune the person works for, or their username — the first words anyone
guessing at a People's Committee's accounts would try ("caicach2026", "TayNinh@123")."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from caicach.core.models import Unit, UnitAncestry, User
from caicach.core.text import fold

PRODUCT_WORDS = ("cai cach", "caicach")
# Words of a unit's name that say what kind of unit it is, not where: "UBND tỉnh Tây Ninh"
# is guessed as "tayninh", not as "ubndtinh".
_KIND_WORDS = re.compile(
    r"^(?:uy ban nhan dan|ubnd|van phong|tinh|thanh pho|thi xa|thi tran|huyen|quan|xa|phuong|dac khu"
    r"|so|phong)\s+"
)
# Digits and signs people put in place of letters.
_LEET = str.maketrans(
    {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i"}
)
_NOT_LETTER = re.compile(r"[^a-z]+")
# Shorter names ("An", "Ba") would refuse half the dictionary.
MIN_NAME_LETTERS = 4


def _letters(text: str) -> str:
    return _NOT_LETTER.sub("", text)


def password_forms(password: str) -> set[str]:
    """The password folded (case, accents, đ) with look-alike digits read as letters and
    everything else dropped; "1" is read both as i and as l."""
    folded = fold(password).translate(_LEET)
    return {_letters(folded.replace("1", "i")), _letters(folded.replace("1", "l"))}


def _place_words(unit: Unit) -> set[str]:
    words = {fold(unit.place_name)} if unit.place_name else set()
    name = fold(unit.name)
    while (stripped := _KIND_WORDS.sub("", name)) != name:
        name = stripped
    words.add(name)
    return words


def forbidden_names(user: Any = None) -> list[str]:
    """The product's name, the top-level units' names (the province), the user's own unit
    and the units above it, and the username; as folded letters."""
    units = Q(parent__isnull=True)
    if isinstance(user, User) and user.unit_id:
        units |= Q(pk__in=UnitAncestry.objects.filter(descendant_id=user.unit_id).values("ancestor_id"))
    words = set(PRODUCT_WORDS)
    for unit in Unit.objects.filter(units).only("name", "place_name"):
        words |= _place_words(unit)
    # Django passes the user being created or changed; a form may pass something else.
    username: str = str(getattr(user, "username", None) or "")
    words.add(fold(username))
    return sorted({letters for word in words if len(letters := _letters(word)) >= MIN_NAME_LETTERS})


class LocalNamePasswordValidator:
    """Refuses a password that contains any of ``forbidden_names`` once folded."""

    def validate(self, password: str, user: Any = None) -> None:
        forms = password_forms(password)
        for name in forbidden_names(user):
            if any(name in form for form in forms):
                raise ValidationError(
                    _(
                        "Mật khẩu không được chứa tên phần mềm, tên địa phương, tên đơn vị hoặc tên "
                        "đăng nhập, kể cả khi viết hoa, bỏ dấu hay thay chữ bằng số."
                    ),
                    code="password_contains_local_name",
                )

    def get_help_text(self) -> str:
        return _(
            "Mật khẩu không được chứa tên phần mềm (“cải cách”), tên tỉnh, xã, đơn vị "
            "hoặc tên đăng nhập của bạn."
        )
