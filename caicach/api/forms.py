"""The form making a personal API token (and, for an administrator, a service account's)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caicach.api.scopes import APPS, READ, WRITE
from caicach.core import chronology, clock
from caicach.core.forms import Form, VietnameseDateField
from caicach.core.models import User
from caicach.core.once import CreateFormMixin


def scope_choices() -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    for app, label in APPS.items():
        choices.append((f"{app}:{READ}", str(_("%(app)s — đọc")) % {"app": label}))
        choices.append((f"{app}:{WRITE}", str(_("%(app)s — đọc và ghi")) % {"app": label}))
    return choices


class TokenForm(CreateFormMixin, Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        help_text=_("Ví dụ: Hệ thống QLVB&ĐH của Văn phòng."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Phạm vi"), widget=forms.CheckboxSelectMultiple, choices=scope_choices
    )
    expires_on = VietnameseDateField(
        label=_("Hết hạn sau ngày"), span=chronology.PLANNED, help_text=_("Mã hết hiệu lực cuối ngày này.")
    )

    def __init__(self, *args: Any, for_others: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_others:
            # An administrator makes a token for a service account (or any account), named by
            # its user name: a list of every account would not fit a country's directory.
            self.fields["user"] = forms.CharField(
                label=_("Cho tài khoản (tên đăng nhập)"),
                max_length=150,
                required=False,
                help_text=_("Để trống: mã của chính bạn."),
            )
        if not self.is_bound:
            self.initial.setdefault("expires_on", clock.today() + datetime.timedelta(days=90))

    def expires_at(self) -> datetime.datetime:
        day: datetime.date = self.cleaned_data["expires_on"]
        # The end of that day in Vietnam (the site's time zone).
        return timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
        )

    def clean_user(self) -> User | None:
        username = (self.cleaned_data.get("user") or "").strip()
        if not username:
            return None
        found = User.objects.filter(username=username, is_active=True).first()
        if found is None:
            raise forms.ValidationError(_("Không có tài khoản đang hoạt động với tên đăng nhập này."))
        return found

    def owner(self, actor: User) -> User:
        chosen = self.cleaned_data.get("user")
        # The signed-in user comes wrapped (request.user); the rules want the model itself.
        return chosen if isinstance(chosen, User) else User.objects.get(pk=actor.pk)
