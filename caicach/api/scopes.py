"""What a token may do: read or write, per app. A write scope includes reading that app."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

READ = "read"
WRITE = "write"

# The apps the API serves, with the label the token page shows.
APPS: dict[str, str | Promise] = {
    "core": _("Đơn vị"),
    "initiatives": _("Sáng kiến"),
    "workprogram": _("Chương trình công tác"),
    "replication": _("Nhân rộng mô hình"),
    "deliberation": _("Ý kiến thành viên và phiên họp"),
    "oversight": _("Nhiệm vụ được giao"),
}

ALL_SCOPES = tuple(f"{app}:{level}" for app in APPS for level in (READ, WRITE))


def allows(scopes: list[str], app: str, *, write: bool) -> bool:
    if f"{app}:{WRITE}" in scopes:
        return True
    return not write and f"{app}:{READ}" in scopes
