"""The demo's members' opinions tell their story: drafts answered and tallied with comments
taken in and a disagreement explained, a late answer, a secret draft entered by the Office,
and one draft still open at the end of 2024 with members who have not answered."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from caicach.core.demo import DEMO_PASSWORD
from caicach.deliberation.models import Consultation, ConsultationStatus, Opinion, OpinionResponse

pytestmark = pytest.mark.django_db


def test_the_demo_consultations_tell_their_story(client: Client) -> None:
    call_command("load_demo", stdout=io.StringIO())
    consultations = Consultation.objects.filter(sent_on__year=2024)
    assert consultations.count() == 12
    assert consultations.filter(status=ConsultationStatus.CLOSED).count() == 11
    still_open = consultations.get(status=ConsultationStatus.SENT)
    assert still_open.opinions.filter(answer="").count() == 3
    opinions = Opinion.objects.filter(consultation__in=consultations)
    assert opinions.filter(is_late=True).count() == 2
    assert opinions.filter(answer="", consultation__status=ConsultationStatus.CLOSED).count() == 2
    assert opinions.exclude(answer="").filter(is_late=False).count() > 40  # most on time
    assert opinions.filter(answer="disagree").count() == 1
    assert OpinionResponse.objects.filter(kind="explained", opinion__answer="disagree").exists()
    secret = consultations.get(is_secret=True)
    assert not secret.files.exists()
    assert set(secret.opinions.values_list("entered_by__username", flat=True)) == {"vanphong"}
    assert consultations.exclude(program_item=None).exists()
    # Every demo account that sits on the committee finds its opinions; the Office its tally.
    assert client.login(username="thanhvien", password=DEMO_PASSWORD)
    first = consultations.filter(status=ConsultationStatus.CLOSED).order_by("sent_on").first()
    assert first is not None
    page = client.get(first.get_absolute_url())
    assert page.status_code == 200 and "Ý kiến của bạn" in page.content.decode()
