"""Forms of the dossier pages: the application and the sections of the chosen layout, the
authors table as a formset (add a row with a plain submit button, no JavaScript needed) and
the attachment upload. They check each field; the services check the dossier as a whole."""

from __future__ import annotations

import decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from caicach.core import chronology, once
from caicach.core.forms import Form, VietnameseDateField, VietnameseDecimalInput
from caicach.core.models import ReformField, ReformIndex, Unit, User
from caicach.core.versioning import VersionField
from caicach.initiatives.dossiers.queries import APPLICATION_GROUP, section_groups
from caicach.initiatives.dossiers.services import validate_authors
from caicach.initiatives.models import Campaign, Initiative, InitiativeKind

NO_ACCOUNT = _("— Không có tài khoản —")
AUTHOR_ROW_FIELDS = (
    "full_name",
    "date_of_birth",
    "workplace",
    "job_title",
    "qualification",
    "share",
    "contribution",
    "is_lead",
    "user",
)


class KindForm(Form):
    """The first choice on the create page: which official layout the dossier follows."""

    kind = forms.ChoiceField(
        label=_("Loại sáng kiến"),
        choices=InitiativeKind.choices,
        initial=InitiativeKind.SOLUTION,
        widget=forms.RadioSelect,
    )


def _model_formfield(name: str) -> forms.Field:
    model_field = Initiative._meta.get_field(name)
    if name == "first_applied_on":
        return VietnameseDateField(
            label=_("Ngày áp dụng lần đầu hoặc áp dụng thử"),
            required=False,
            span=chronology.PAST,
            help_text=model_field.help_text,  # type: ignore[union-attr]
        )
    formfield = model_field.formfield()  # type: ignore[union-attr]
    assert formfield is not None
    if isinstance(formfield.widget, forms.Textarea):
        formfield.widget.attrs.update({"rows": 5})
    return formfield


class InitiativeForm(Form):
    """Every field of the application (Circular 18/2013, annex I) and the sections of the
    dossier's layout. ``version`` travels with the form so an edit from a stale page is
    refused by ``initiative_update``; ``unit`` is offered only on the create page, and
    ``campaign`` there too when the page was not opened from a campaign."""

    version = VersionField()
    reform_fields = forms.ModelMultipleChoiceField(
        label=_("Lĩnh vực CCHC"),
        queryset=ReformField.objects.order_by("position", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_indices = forms.ModelMultipleChoiceField(
        label=_("Chỉ số cải thiện"),
        queryset=ReformIndex.objects.order_by("position", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        units: QuerySet[Unit] | None = None,
        campaigns: QuerySet[Campaign] | None = None,
        creating: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if creating:
            once.creating(self)  # a new dossier: no copy to compare, a one-time token
        if campaigns is not None:
            # Required: a dossier reaches a council only through its campaign.
            self.fields["campaign"] = forms.ModelChoiceField(
                label=_("Đợt phát động"),
                queryset=campaigns,
                empty_label=_("— Chọn đợt phát động —"),
                help_text=_("Các đợt đang nhận hồ sơ mà đơn vị của bạn được tham gia."),
                error_messages={"required": _("Vui lòng chọn đợt phát động để gửi hồ sơ.")},
            )
        if units is not None:
            self.fields["unit"] = forms.ModelChoiceField(
                label=_("Đơn vị đề xuất"), queryset=units, empty_label=None
            )
        self.section_names = [name for group in section_groups(kind) for name in group.fields]
        for name in (*APPLICATION_GROUP.fields, *self.section_names):
            self.fields[name] = _model_formfield(name)
        self.fields["title"].widget = forms.Textarea(attrs={"rows": 2})
        self.fields["title"].required = True

    def field_groups(self) -> list[tuple[str, list[BoundField]]]:
        """(heading, fields) in the order of the official layout, for the template."""
        groups: list[tuple[str, list[BoundField]]] = []
        head = [n for n in ("campaign", "unit") if n in self.fields]
        groups.append(
            (
                str(APPLICATION_GROUP.title),
                [self[n] for n in (*head, *APPLICATION_GROUP.fields, "reform_fields", "target_indices")],
            )
        )
        for group in section_groups(self.kind):
            groups.append((str(group.title), [self[n] for n in group.fields]))
        return groups

    def service_data(self) -> dict[str, Any]:
        """The cleaned values the services take as ``data``."""
        return {name: self.cleaned_data[name] for name in (*APPLICATION_GROUP.fields, *self.section_names)}


class AccountChoiceField(forms.ChoiceField):
    """An optional account for an author row, chosen among accounts loaded once for the
    whole table (a ModelChoiceField would query them again for every row)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.accounts: dict[str, User] = {}

    def set_accounts(self, accounts: dict[str, User], choices: list[tuple[Any, str]]) -> None:
        self.accounts = accounts
        self.choices = choices

    def clean(self, value: Any) -> User | None:
        if value in self.empty_values:
            return None
        account = self.accounts.get(str(value))
        if account is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return account


class AuthorForm(Form):
    """One row of the authors table. The share is taken as text ("33,33" or "33.33") and
    judged with the whole table by ``validate_authors``."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    date_of_birth = VietnameseDateField(label=_("Ngày sinh"), required=False, span=chronology.BIRTH)
    workplace = forms.CharField(label=_("Nơi công tác (hoặc nơi thường trú)"), max_length=255, required=False)
    job_title = forms.CharField(label=_("Chức danh"), max_length=150, required=False)
    qualification = forms.CharField(label=_("Trình độ chuyên môn"), max_length=150, required=False)
    share = forms.CharField(
        label=_("Tỷ lệ đóng góp (%)"),
        max_length=12,
        required=False,
        widget=VietnameseDecimalInput(attrs={"size": 6}),
    )
    contribution = forms.CharField(
        label=_("Nội dung đóng góp"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_lead = forms.BooleanField(label=_("Tác giả chính"), required=False)
    user = AccountChoiceField(label=_("Tài khoản (nếu có)"), required=False)

    def __init__(
        self,
        *args: Any,
        accounts: dict[str, User] | None = None,
        account_choices: list[tuple[Any, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, AccountChoiceField)
        field.set_accounts(accounts or {}, account_choices or [("", str(NO_ACCOUNT))])

    def is_blank(self) -> bool:
        # A row whose only entry was refused (a birth date "31/02/1990") is not blank: the
        # table is still judged with it, so its share counts towards the total.
        if self.errors:
            return False
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in AUTHOR_ROW_FIELDS)


class BaseAuthorFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The authors table. Blank and deleted rows are dropped; the rest is judged as a whole
    by ``validate_authors`` and each problem is shown on its row (or above the table)."""

    def kept_forms(self) -> list[AuthorForm]:
        kept: list[AuthorForm] = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            assert isinstance(form, AuthorForm)
            if form.is_blank():
                continue
            kept.append(form)
        return kept

    def share_total(self) -> str:
        """The sum of the shares as typed in the rows still in the table ("90", "99,5"), for
        the running total under the table; the page's script keeps it current as one types,
        and without the script it is the total of the table as last sent."""
        total = decimal.Decimal(0)
        for form in self.forms:
            if form["DELETE"].value():
                continue
            raw = str(form["share"].value() or "").strip().replace(",", ".")
            try:
                share = decimal.Decimal(raw) if raw else decimal.Decimal(0)
            except decimal.InvalidOperation:
                continue
            if share.is_finite():
                total += share
        return format(total.normalize(), "f").replace(".", ",")

    def rows(self) -> list[dict[str, Any]]:
        return [
            {name: form.cleaned_data.get(name) for name in AUTHOR_ROW_FIELDS} for form in self.kept_forms()
        ]

    def clean(self) -> None:
        # The table is judged even when a row has a refused field, so a bad birth date and
        # shares not summing to 100 are reported in the same response; a refused field
        # counts as empty, and the table's message about that same field is not repeated.
        kept = self.kept_forms()
        try:
            validate_authors(self.rows())
        except ValidationError as exc:
            table_errors: list[ValidationError] = []
            for error in exc.error_list:
                row = (error.params or {}).get("row")
                if isinstance(row, int) and 1 <= row <= len(kept):
                    form = kept[row - 1]
                    if error.code in form.errors or (error.code == "name" and "full_name" in form.errors):
                        continue
                    form.add_error(None, error)
                else:
                    table_errors.append(error)
            if len(table_errors) < len(exc.error_list):
                table_errors.append(
                    ValidationError(_("Bảng tác giả có dòng chưa hợp lệ, xem các dòng được đánh dấu."))
                )
            raise ValidationError(table_errors) from exc


AUTHORS_PREFIX = "authors"
_AuthorFormSet = forms.formset_factory(
    AuthorForm, formset=BaseAuthorFormSet, extra=0, can_delete=True, max_num=50, absolute_max=60
)


def author_formset(
    data: Any = None, *, users: QuerySet[User], initial: list[dict[str, Any]] | None = None
) -> BaseAuthorFormSet:
    accounts = {str(u.pk): u for u in users}
    choices: list[tuple[Any, str]] = [("", str(NO_ACCOUNT))]
    choices += [(pk, f"{u.full_name or u.username} ({u.username})") for pk, u in accounts.items()]
    formset = _AuthorFormSet(
        data,
        prefix=AUTHORS_PREFIX,
        initial=initial,
        form_kwargs={"accounts": accounts, "account_choices": choices},
    )
    assert isinstance(formset, BaseAuthorFormSet)
    return formset


def author_initial(initiative: Initiative) -> list[dict[str, Any]]:
    """The table's rows as the formset's initial data (from the prefetched authorships)."""
    return [
        {
            "full_name": a.full_name,
            "date_of_birth": a.date_of_birth,
            "workplace": a.workplace,
            "job_title": a.job_title,
            "qualification": a.qualification,
            "share": format(a.share.normalize(), "f").replace(".", ","),
            "contribution": a.contribution,
            "is_lead": a.is_lead,
            "user": a.user_id,
        }
        for a in initiative.authorships.all()
    ]


def with_added_row(data: Any, prefix: str = AUTHORS_PREFIX) -> Any:
    """The posted data with one more (blank) row in the authors table: the "Thêm dòng"
    button re-renders the form with every value kept, nothing saved."""
    copy = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(copy.get(key, 0))
    except (TypeError, ValueError):
        total = 0
    copy[key] = str(min(total + 1, 50))
    return copy


class AttachmentForm(Form):
    file = forms.FileField(label=_("Tệp"), help_text=_("PDF, Word (DOCX), Excel (XLSX), ảnh PNG hoặc JPEG."))
    description = forms.CharField(label=_("Mô tả"), max_length=255, required=False)
