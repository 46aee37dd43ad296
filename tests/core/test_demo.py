"""The demo loads on an empty database, every demo account can log in, and the records
built from the seed documents are complete."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from caicach.core.calendar import queries as calendar
from caicach.core.demo import ACCOUNTS, DEMO_PASSWORD
from caicach.core.models import AuditEvent, Membership, Role, Unit, User
from caicach.initiatives.models import Campaign, Initiative, InitiativeStatus, RecognitionLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> str:
    # The demo issues documents (the work program's monthly summaries) into MEDIA_ROOT.
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_every_demo_account_logs_in_with_the_printed_password(demo: str, client: Client) -> None:
    assert DEMO_PASSWORD in demo
    for account in ACCOUNTS:
        assert account.username in demo
        assert client.login(username=account.username, password=DEMO_PASSWORD), account.username
        client.logout()


def test_every_role_has_a_demo_account(demo: str) -> None:
    held = set(Membership.objects.values_list("role", flat=True))
    assert held == set(Role.values)


def test_the_demo_holds_both_the_two_tier_and_the_legacy_three_tier_structure(demo: str) -> None:
    district = Unit.objects.get(code="CT")
    assert district.valid_to is not None and district.children.count() > 5
    old_commune = Unit.objects.get(code="CT-HAODUOC")
    assert old_commune.parent == district
    assert old_commune.successor is not None and old_commune.successor.parent is not None
    assert old_commune.successor.parent.code == "TN"  # after 1/7/2025 communes sit under the province


def test_the_seed_002_campaign_is_issued_with_a_number(demo: str) -> None:
    campaign = Campaign.objects.get(issuing_unit__code="CT")
    assert campaign.registered_document is not None
    assert campaign.registered_document.reference == "01/KH-UBND"
    assert campaign.eligible_units.count() >= 10
    assert AuditEvent.objects.filter(action__startswith="campaign.").exists()


def test_the_seed_initiatives_are_carried_through_the_campaigns(demo: str) -> None:
    """Seed 001/000 to a certificate with its three authors 30/30/40 (rows 1, 2, 3, not the
    seed's 1, 2, 2); seed 003 submitted to Châu Thành; one dossier returned; units without
    any dossier remain."""
    office = Initiative.objects.get(unit__code="TN-VP")
    assert office.status == InitiativeStatus.RECOGNISED
    rows = list(
        office.authorships.order_by("position").values_list("position", "full_name", "share", "is_lead")
    )
    assert rows == [
        (1, "Lê Tuấn Phú", Decimal("30.00"), False),
        (2, "Nguyễn Phương Thảo", Decimal("30.00"), False),
        (3, "Đông Thị Huệ", Decimal("40.00"), True),
    ]
    assert office.recognition.level == RecognitionLevel.PROVINCIAL
    assert office.recognition.certificate.verification_code
    assert office.effectiveness_reports.exists()
    chau_thanh = Campaign.objects.get(issuing_unit__code="CT")
    statuses = set(chau_thanh.initiatives.values_list("kind", "status"))
    assert statuses == {("experience", InitiativeStatus.SUBMITTED), ("solution", InitiativeStatus.RETURNED)}
    without = chau_thanh.eligible_units.exclude(initiatives__campaign=chau_thanh)
    assert without.count() >= 5


def test_the_official_calendar_is_loaded(demo: str) -> None:
    assert not calendar.is_working_day(datetime.date(2026, 1, 2))  # swapped day off
    assert calendar.is_working_day(datetime.date(2026, 1, 10))  # make-up Saturday


def test_loading_twice_keeps_the_existing_demo(demo: str) -> None:
    users = User.objects.count()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert User.objects.count() == users
    assert "giữ nguyên" in out.getvalue()
