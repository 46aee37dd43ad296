"""One record per create form, however often it is posted.

A create form carries a one-time token, issued (never stored) when the page is built. The
POST that uses it records the token in ``FormToken`` inside the transaction that creates the
record, with the new record's address; the unique token makes a second POST of the same
form — a double click, a page sent again, two workers racing — wait for the first and then
find its record: the user is taken there instead of getting a duplicate. A failed create
rolls the token back with everything else, so the corrected form can be sent again.

Views::

    try:
        with once(request, form) as submission:
            program = program_create(...)
            submission.created(program)
    except AlreadySubmitted as repeat:
        return repeat.response(request)
    except ValidationError as error:
        ...

``tests/core/test_once.py`` holds every view that calls a create service to this."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from caicach.core import clock
from caicach.core.models import FormToken
from caicach.core.versioning import VERSION_FIELD_NAMES
from caicach.core.web import acting_user

FIELD = "form_token"

REPEATED_MESSAGE = _(
    "Biểu mẫu này đã được gửi trước đó; đây là kết quả của lần gửi ấy, không tạo thêm bản mới."
)
USED_MESSAGE = _("Biểu mẫu này đã được gửi trước đó. Vui lòng mở lại trang nếu cần tạo thêm.")
EXPIRED_MESSAGE = _("Biểu mẫu không còn hợp lệ. Vui lòng tải lại trang rồi gửi lại.")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class FormTokenField(forms.CharField):
    """The hidden one-time token; a POST without it (an old page, a hand-made request) is
    refused rather than let through unguarded."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        message = EXPIRED_MESSAGE
        super().__init__(
            required=True,
            min_length=16,
            max_length=64,
            initial=new_token,  # called per page: every form shown gets its own token
            error_messages={"required": message, "min_length": message, "max_length": message},
            **kwargs,
        )


def creating(form: forms.BaseForm) -> None:
    """Make ``form`` a create form: it gets a one-time token, and has no copy of a record to
    be stale against (its version field, if any, goes)."""
    for name in VERSION_FIELD_NAMES:
        form.fields.pop(name, None)
    form.fields[FIELD] = FormTokenField()


class CreateFormMixin:
    """For forms that only ever create: the token comes with every instance."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        creating(self)  # type: ignore[arg-type]


class _Addressable(Protocol):
    def get_absolute_url(self) -> str: ...


class AlreadySubmitted(Exception):
    """The form's token was used before; ``url`` is what that POST created ("" when the
    token is not the user's own)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url

    def response(self, request: HttpRequest) -> HttpResponse:
        if self.url:
            messages.info(request, REPEATED_MESSAGE)
            return redirect(self.url)
        messages.error(request, USED_MESSAGE)
        return redirect(request.get_full_path())


class Submission:
    def __init__(self, row: FormToken | None) -> None:
        self._row = row

    def created(self, obj: _Addressable | str) -> None:
        """Where a repeated POST of this form is taken: the new record (or a URL)."""
        if self._row is not None:
            self._row.result_url = obj if isinstance(obj, str) else obj.get_absolute_url()


def replayed(request: HttpRequest) -> AlreadySubmitted | None:
    """For a page that turns from creating into editing once its record exists (a month's
    report, a campaign's council): a POST repeating an earlier create is recognised before
    the page builds its edit form, and is taken to what that POST made."""
    token = request.POST.get(FIELD, "")
    if request.method != "POST" or not token:
        return None
    used = FormToken.objects.filter(token=token, user=acting_user(request)).first()
    return AlreadySubmitted(used.result_url) if used is not None and used.result_url else None


@contextmanager
def once(request: HttpRequest, form: forms.BaseForm, *, editing: bool = False) -> Iterator[Submission]:
    """Run the create inside one transaction with the claim of ``form``'s token; raise
    AlreadySubmitted when an earlier POST of the same form got there first.

    ``editing``: the same page also edits an existing record (a month's report, saved
    again); that POST is guarded by the record's version instead — the same version cannot
    be written twice — so its form must carry one."""
    if editing:
        if not any(name in form.cleaned_data for name in VERSION_FIELD_NAMES):
            raise RuntimeError("once(editing=True): the form must carry the record's version")
        with transaction.atomic():
            yield Submission(None)
        return
    user = acting_user(request)
    token = form.cleaned_data[FIELD]
    with transaction.atomic():
        try:
            # The savepoint keeps the outer transaction usable after the unique violation.
            with transaction.atomic():
                row = FormToken.objects.create(token=token, user=user)
        except IntegrityError:
            # On PostgreSQL the INSERT waited for the first POST's transaction, so its row
            # (and the address it recorded) is committed and visible now.
            used = FormToken.objects.filter(token=token).first()
            mine = used is not None and used.user_id == user.pk
            raise AlreadySubmitted(used.result_url if mine and used else "") from None
        submission = Submission(row)
        yield submission
        if not row.result_url:
            raise RuntimeError("once(): the view must call submission.created(...) with what it made")
        row.save(update_fields=["result_url"])


@transaction.atomic
def purge_used() -> int:
    """Delete the tokens used more than FORM_TOKEN_RETENTION_DAYS ago (the daily run). A
    page kept open longer than that and sent again is no longer recognised as a repeat:
    its token is then unknown and the POST creates again, the accepted price of not keeping
    every form ever sent. Returns how many were deleted."""
    oldest = clock.now() - datetime.timedelta(days=settings.FORM_TOKEN_RETENTION_DAYS)
    return FormToken.objects.filter(used_at__lt=oldest).delete()[0]
