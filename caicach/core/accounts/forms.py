"""Forms for logging in, passwords, profiles and the user administration."""

from __future__ import annotations

from typing import Any

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology
from caicach.core.forms import Form, NormalisedFormMixin, VietnameseDateField
from caicach.core.models import Role, Unit
from caicach.core.once import FIELD, CreateFormMixin
from caicach.core.units.forms import UnitChoiceField
from caicach.core.versioning import FingerprintField


class ChallengeInput(CaptchaTextInput):  # type: ignore[misc]
    """The image and its answer box, from our template: Vietnamese alternative text, and
    nothing inline that the Content-Security-Policy would block."""

    template_name = "core/accounts/challenge_widget.html"


class ChallengeField(CaptchaField):  # type: ignore[misc]
    """The login's image challenge. Cleans to whether it was answered right instead of
    refusing the form: the login service decides, after the waits, what a wrong answer
    means (and logs it). Each image answers once, right or wrong (django-simple-captcha
    deletes it), so a wrong answer cannot be retried against the same image."""

    def __init__(self) -> None:
        super().__init__(
            label=_("Nhập các ký tự trong hình"),
            help_text=_("Không phân biệt chữ hoa, chữ thường."),
            widget=ChallengeInput(),
        )

    def clean(self, value: Any) -> bool:
        try:
            super().clean(value)
        except ValidationError:
            return False
        return True


class LoginForm(Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def add_challenge(self) -> None:
        """Ask for the image challenge (``throttle.challenge_required``); also after
        validation, when the failure just recorded brought it on for the next attempt."""
        self.fields["challenge"] = ChallengeField()


class PasswordChangeForm(NormalisedFormMixin, auth_forms.PasswordChangeForm):
    """Django's form (old password + the password rules, in Vietnamese) with NFC input, so a
    password typed on a Mac matches the same one typed on Windows. Never ``save()``d: the
    view calls the service."""


class SetPasswordForm(NormalisedFormMixin, auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    """An administrator's reset of someone's password."""


def _unit_field(required: bool) -> UnitChoiceField:
    return UnitChoiceField(
        label=_("Đơn vị công tác"),
        queryset=Unit.objects.order_by("code"),
        required=required,
        empty_label=_("— Chọn đơn vị —"),
    )


class ProfileForm(Form):
    """What a person may change about themselves; ``fingerprint`` catches concurrent edits."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    date_of_birth = VietnameseDateField(
        label=_("Ngày sinh"), required=False, help_text=_("Dạng ngày/tháng/năm"), span=chronology.BIRTH
    )
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    qualification = forms.CharField(label=_("Trình độ chuyên môn"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    fingerprint = FingerprintField()

    def data_for_service(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "fingerprint"}


class UserUpdateForm(ProfileForm):
    unit = _unit_field(required=False)

    field_order = ("full_name", "unit", "date_of_birth", "position", "qualification", "phone", "email")


class UserCreateForm(CreateFormMixin, Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Chữ, số và các ký tự @ . + - _ ; không dấu cách."),
        widget=forms.TextInput(attrs={"autocapitalize": "none"}),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    date_of_birth = VietnameseDateField(
        label=_("Ngày sinh"), required=False, help_text=_("Dạng ngày/tháng/năm"), span=chronology.BIRTH
    )
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    qualification = forms.CharField(label=_("Trình độ chuyên môn"), max_length=150, required=False)
    unit = _unit_field(required=False)
    role = forms.ChoiceField(
        label=_("Vai trò tại đơn vị"),
        choices=[("", _("— Chưa giao vai trò —")), *Role.choices],
        required=False,
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    password1 = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role") and not cleaned.get("unit"):
            self.add_error("role", _("Chọn đơn vị công tác để giao vai trò."))
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Hai lần nhập mật khẩu không khớp nhau."))
        return cleaned

    def data_for_service(self) -> dict[str, Any]:
        skip = {"role", "password1", "password2", FIELD}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class MembershipAddForm(Form):
    unit = UnitChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.order_by("code"), empty_label=_("— Chọn đơn vị —")
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=[("", _("— Chọn vai trò —")), *Role.choices])


class UserFilterForm(Form):
    q = forms.CharField(
        label=_("Tìm theo tên"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Họ tên, tên đăng nhập, thư điện tử")}
        ),
    )
    unit = UnitChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.order_by("code"),
        required=False,
        empty_label=_("Tất cả đơn vị"),
    )
    role = forms.ChoiceField(
        label=_("Vai trò"), choices=[("", _("Tất cả vai trò")), *Role.choices], required=False
    )


class AddressUnlockForm(Form):
    ip_address = forms.GenericIPAddressField(label=_("Địa chỉ IP"))
