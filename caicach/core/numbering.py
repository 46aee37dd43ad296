"""The register of issued documents (sổ đăng ký văn bản đi) and its numbers.

Decree 30/2020, Art. 15: numbers run per issuing body, document type and year, start at 01
on 1 January and are never given twice. A number is taken under a row lock on the unit's
``NumberSequence`` so two clerks pressing "Ban hành" at the same moment get 05 and 06, never
05 twice; the unique constraint on ``RegisteredDocument`` is the last line of defence.
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from caicach.core import chronology
from caicach.core.audit import services as audit
from caicach.core.document_numbers import reference
from caicach.core.models import DocumentType, NumberSequence, RegisteredDocument, Unit, User
from caicach.core.text import nfc


def document_symbol(unit: Unit, document_type: str, *, drafting_unit: Unit | None = None) -> str:
    """'KH-UBND': the type abbreviation, then the issuing unit's own symbol.

    Decree 30/2020, Annex III: an official letter (công văn) has no type abbreviation; its
    symbol is the issuing body's, then the drafting unit's: 'UBND-SNV'."""
    if document_type == DocumentType.OFFICIAL_LETTER:
        drafting = drafting_unit.document_symbol if drafting_unit is not None else ""
        return f"{unit.document_symbol}-{drafting}" if drafting else unit.document_symbol
    return f"{document_type}-{unit.document_symbol}"


def _check_drafting_unit(document_type: str, drafting_unit: Unit | None) -> None:
    if document_type == DocumentType.OFFICIAL_LETTER and (
        drafting_unit is None or not drafting_unit.document_symbol
    ):
        raise ValidationError(_("Công văn cần đơn vị soạn thảo có ký hiệu trên văn bản (ví dụ “UBND-SNV”)."))


def _check(unit: Unit, document_type: str, year: int, title: str, issued_on: datetime.date) -> None:
    if document_type not in DocumentType.values:
        raise ValidationError(_("Loại văn bản không hợp lệ."))
    if not unit.document_symbol:
        raise ValidationError(
            _("Đơn vị “%(unit)s” chưa có ký hiệu trên văn bản; vui lòng bổ sung trước khi cấp số.")
            % {"unit": unit.name}
        )
    if issued_on.year != year:
        raise ValidationError(_("Năm cấp số phải trùng với năm của ngày ban hành."))
    # Whatever service issues it, a number is never taken for a date such as 31/12/9999
    # (it would open that year's register).
    problem = chronology.ISSUED.problem(issued_on, what=_("Ngày ban hành"))
    if problem:
        raise ValidationError(problem)
    if not title.strip():
        raise ValidationError(_("Vui lòng nhập trích yếu của văn bản."))


@dataclass(frozen=True)
class Expected:
    """The number a confirmation page promised: the next of ``unit``'s ``document_type``
    register for ``year``."""

    unit_id: int
    document_type: str
    year: int
    number: int


class NumberChanged(Exception):
    """Someone else took the number the user confirmed: nothing was issued. Deliberately not a
    ``ValidationError``, so it leaves the service (its transaction rolled back) and the
    confirmation page asks again with the new number."""


# Set by ``expecting()`` around a confirmed issue; checked under the sequence lock.
_expected: contextvars.ContextVar[Expected | None] = contextvars.ContextVar("expected_number", default=None)


def expected_number(unit: Unit, document_type: str, year: int) -> int:
    """The number the next ``register_number`` of this register will take, read without
    locking or creating anything: a peek for the confirmation page, never a reservation."""
    last = (
        NumberSequence.objects.filter(unit=unit, document_type=document_type, year=year)
        .values_list("last_number", flat=True)
        .first()
    )
    return (last or 0) + 1


def expected_reference(
    unit: Unit, document_type: str, year: int, *, drafting_unit: Unit | None = None, count: int = 1
) -> str:
    """'05/QĐ-UBND' (or '05/GCN-UBND – 09/GCN-UBND' for ``count`` documents in a row): the
    reference the next issue will carry. Consumes nothing."""
    number = expected_number(unit, document_type, year)
    symbol = document_symbol(unit, document_type, drafting_unit=drafting_unit)
    first = reference(number, symbol)
    return first if count <= 1 else f"{first} – {reference(number + count - 1, symbol)}"


@contextmanager
def expecting(expected: Expected) -> Iterator[None]:
    """Within this block, the first number taken from ``expected``'s register must be
    ``expected.number``, or ``NumberChanged`` is raised before anything is written."""
    token = _expected.set(expected)
    try:
        yield
    finally:
        _expected.reset(token)


def _check_expected(sequence: NumberSequence) -> None:
    expected = _expected.get()
    if expected is None or (expected.unit_id, expected.document_type, expected.year) != (
        sequence.unit_id,
        sequence.document_type,
        sequence.year,
    ):
        return
    # Checked once: the next numbers of a batch follow from the first.
    _expected.set(None)
    if sequence.last_number + 1 != expected.number:
        raise NumberChanged


def _locked_sequence(unit: Unit, document_type: str, year: int) -> NumberSequence:
    """The sequence row, locked until the transaction ends. The first number of a year
    creates the row; two first requests racing both try to insert, the loser's insert waits
    for the winner, fails on the unique constraint and get_or_create re-reads the row —
    locked, with the winner's number already in it."""
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        unit=unit, document_type=document_type, year=year
    )
    return sequence


def _save_document(
    *,
    unit: Unit,
    document_type: str,
    year: int,
    number: int,
    title: str,
    issued_on: datetime.date,
    actor: User | None,
    obj: models.Model | None,
    action: str,
    drafting_unit: Unit | None,
) -> RegisteredDocument:
    """Write the register row for a number already secured under the sequence lock, linked
    to the object it numbers, and audit it."""
    document = RegisteredDocument(
        unit=unit,
        document_type=document_type,
        year=year,
        number=number,
        symbol=document_symbol(unit, document_type, drafting_unit=drafting_unit),
        title=title[:500],
        issued_on=issued_on,
        created_by=actor if actor is not None and actor.pk else None,
    )
    if obj is not None:
        document.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        document.object_id = str(obj.pk)
    document.save()
    audit.record(
        actor=actor,
        action=action,
        obj=document,
        changes={"number": [None, document.reference], "title": [None, document.title]},
    )
    return document


@transaction.atomic
def register_number(
    *,
    unit: Unit,
    document_type: str,
    year: int,
    title: str,
    issued_on: datetime.date,
    actor: User | None,
    obj: models.Model | None = None,
    drafting_unit: Unit | None = None,
) -> RegisteredDocument:
    """Take the next number of ``unit``'s ``document_type`` register for ``year``.
    ``drafting_unit``: the unit that drafted an official letter (its symbol ends the letter's)."""
    title = nfc(title).strip()
    _check(unit, document_type, year, title, issued_on)
    _check_drafting_unit(document_type, drafting_unit)
    sequence = _locked_sequence(unit, document_type, year)
    _check_expected(sequence)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return _save_document(
        unit=unit, document_type=document_type, year=year, number=sequence.last_number, title=title,
        issued_on=issued_on, actor=actor, obj=obj, action="document.number", drafting_unit=drafting_unit,
    )  # fmt: skip


@transaction.atomic
def register_external_number(
    *,
    unit: Unit,
    document_type: str,
    year: int,
    number: int,
    title: str,
    issued_on: datetime.date,
    actor: User | None,
    obj: models.Model | None = None,
    drafting_unit: Unit | None = None,
) -> RegisteredDocument:
    """Enter a number given by hand to a document issued outside the system (signed on paper
    before the register existed, say). The number must be free; the sequence moves past it so
    the system never hands it out again."""
    title = nfc(title).strip()
    _check(unit, document_type, year, title, issued_on)
    _check_drafting_unit(document_type, drafting_unit)
    if number < 1:
        raise ValidationError(_("Số văn bản phải là số nguyên dương."))
    sequence = _locked_sequence(unit, document_type, year)
    taken = RegisteredDocument.objects.filter(
        unit=unit, document_type=document_type, year=year, number=number
    )
    if taken.exists():
        raise ValidationError(
            _("Số %(reference)s năm %(year)s đã được cấp; vui lòng kiểm tra lại sổ đăng ký.")
            % {
                "reference": reference(
                    number, document_symbol(unit, document_type, drafting_unit=drafting_unit)
                ),
                "year": year,
            }
        )
    if number > sequence.last_number:
        sequence.last_number = number
        sequence.save(update_fields=["last_number"])
    return _save_document(
        unit=unit, document_type=document_type, year=year, number=number, title=title,
        issued_on=issued_on, actor=actor, obj=obj, action="document.number_external",
        drafting_unit=drafting_unit,
    )  # fmt: skip


@transaction.atomic
def issue(
    *,
    obj: models.Model,
    document_field: str,
    unit: Unit,
    document_type: str,
    title: str,
    issued_on: datetime.date,
    actor: User | None,
    action: str,
    stamp: Mapping[str, Any] | None = None,
    drafting_unit: Unit | None = None,
    message: str = "",
) -> RegisteredDocument:
    """Issue ``obj``'s document, the one way every numbered document is issued: take the next
    number of the register, link it on ``obj.<document_field>``, set the ``stamp`` fields
    (status, issue date…), move ``obj.version`` on when it has one, save only those fields,
    and record one audit event ``action`` with what changed. Call it inside the service's
    transaction, with ``obj`` locked and its access and state already checked: issuing is
    irreversible.

    A record that comes into being with its number — a recognition decision, a certificate,
    a Tờ trình filed by the unit head in person — is not "issued" later: its create service
    takes ``register_number`` and creates the record with the number in the same transaction.

    Pages ask the user to confirm the number first (``caicach.core.issuing``): the page
    shows ``expected_reference()`` and the confirmed call runs inside ``expecting()``."""
    stamp = dict(stamp or {})
    before = audit.snapshot(obj, [document_field, *stamp])
    document = register_number(
        unit=unit, document_type=document_type, year=issued_on.year, title=title, issued_on=issued_on,
        actor=actor, obj=obj, drafting_unit=drafting_unit,
    )  # fmt: skip
    setattr(obj, document_field, document)
    for name, value in stamp.items():
        setattr(obj, name, value)
    fields = [document_field, *stamp]
    if hasattr(obj, "version"):
        obj.version += 1
        fields.append("version")
    if any(field.name == "updated_at" for field in obj._meta.concrete_fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)
    changes = audit.diff(before, obj)
    changes[document_field] = [None, document.reference]
    audit.record(actor=actor, action=action, obj=obj, changes=changes, message=message)
    return document
