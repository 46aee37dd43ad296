"""Issuing is a deliberate act: the confirmation page's number is a peek that takes nothing,
and a confirmed issue takes exactly that number or nothing at all."""

from __future__ import annotations

import datetime

import pytest

from caicach.core import numbering
from caicach.core.models import DocumentType, NumberSequence, RegisteredDocument
from tests.conftest import Org
from tests.core.factories import take_number

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 10)


def test_the_expected_reference_is_a_peek_that_takes_nothing(org: Org) -> None:
    assert numbering.expected_reference(org.province, DocumentType.PLAN, 2024) == "01/KH-UBND"
    assert numbering.expected_reference(org.province, DocumentType.PLAN, 2024) == "01/KH-UBND"
    assert not NumberSequence.objects.exists() and not RegisteredDocument.objects.exists()
    take_number(org.province, DAY)
    assert numbering.expected_reference(org.province, DocumentType.PLAN, 2024) == "02/KH-UBND"
    assert numbering.expected_reference(org.province, DocumentType.PLAN, 2025) == "01/KH-UBND"
    assert numbering.expected_reference(org.province, DocumentType.DECISION, 2024) == "01/QĐ-UBND"


def test_a_batch_names_its_first_and_last_numbers(org: Org) -> None:
    take_number(org.province, DAY, DocumentType.CERTIFICATE)
    reference = numbering.expected_reference(org.province, DocumentType.CERTIFICATE, 2024, count=3)
    assert reference == "02/GCN-UBND – 04/GCN-UBND"


def test_an_official_letter_peeks_with_its_drafting_unit(org: Org) -> None:
    reference = numbering.expected_reference(
        org.province, DocumentType.OFFICIAL_LETTER, 2024, drafting_unit=org.home_affairs
    )
    assert reference == "01/UBND-SNV"


def test_a_confirmed_issue_takes_the_number_it_was_shown(org: Org) -> None:
    expected = numbering.Expected(org.province.pk, DocumentType.PLAN, 2024, number=1)
    with numbering.expecting(expected):
        document = take_number(org.province, DAY)
    assert document.reference == "01/KH-UBND"


def test_a_number_taken_meanwhile_stops_the_issue_before_anything_is_written(org: Org) -> None:
    expected = numbering.Expected(org.province.pk, DocumentType.PLAN, 2024, number=1)
    take_number(org.province, DAY)  # someone else, in between
    with pytest.raises(numbering.NumberChanged), numbering.expecting(expected):
        take_number(org.province, DAY)
    assert RegisteredDocument.objects.count() == 1
    assert NumberSequence.objects.get().last_number == 1


def test_the_expectation_binds_only_its_own_register_and_only_the_first_number(org: Org) -> None:
    expected = numbering.Expected(org.province.pk, DocumentType.CERTIFICATE, 2024, number=1)
    with numbering.expecting(expected):
        take_number(org.province, DAY, DocumentType.PLAN)  # another register: not checked
        take_number(org.province, DAY, DocumentType.CERTIFICATE)  # 01, as shown
        take_number(org.province, DAY, DocumentType.CERTIFICATE)  # 02: the batch goes on
    assert RegisteredDocument.objects.filter(document_type=DocumentType.CERTIFICATE).count() == 2
