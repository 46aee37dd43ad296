"""The unit page lists its people by name and position only: their birth dates, qualifications,
phones and emails are not for every colleague who opens the organisation chart."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from caicach.core.models import User
from tests.conftest import Org, People


def test_the_unit_page_lists_people_without_their_personal_data(
    client: Client, org: Org, people: People
) -> None:
    User.objects.filter(pk=people.unit_staff.pk).update(
        date_of_birth=datetime.date(1990, 4, 18),
        qualification="Thạc sĩ Quản lý công",
        phone="0912 345 678",
        email="can.bo@khcn.example",
        position="Chuyên viên phòng Kế hoạch",
    )
    client.force_login(people.outsider)
    html = client.get(reverse("unit_detail", args=[org.science.pk])).content.decode()
    assert people.unit_staff.full_name in html and "Chuyên viên phòng Kế hoạch" in html
    for detail in ("18/04/1990", "1990", "Thạc sĩ Quản lý công", "0912 345 678", "can.bo@khcn.example"):
        assert detail not in html, detail
