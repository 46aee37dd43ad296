"""The practice catalogue of the province and of a legacy district: accepted practices,
units' proposals (pending and declined), and the people around them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from caicach.core.models import Role, Unit, UnitKind, User
from caicach.replication.models import Practice, PracticeStatus
from tests.conftest import Org, People
from tests.core.factories import make_unit, person
from tests.replication.factories import make_practice


@dataclass
class Catalogue:
    accepted: Practice  # the province's
    proposed: Practice  # by the Department of Science, waiting
    declined: Practice  # by the Department of Science
    district_accepted: Practice
    district_proposed: Practice  # by a commune of the district
    district_officer: User  # Home Affairs of the district
    district_commune: Unit
    commune_staff: User  # staff of the district's commune

    def all(self) -> list[Practice]:
        return [self.accepted, self.proposed, self.declined, self.district_accepted, self.district_proposed]


@pytest.fixture
def catalogue(org: Org, people: People) -> Catalogue:
    commune = make_unit(
        "CTH-XA", name="Ủy ban nhân dân xã An Bình", kind=UnitKind.COMMUNE_COMMITTEE, parent=org.district
    )
    commune_staff = person("canboxa", commune, Role.UNIT_STAFF, full_name="Lý Văn Xã")
    return Catalogue(
        accepted=make_practice(org, name="Ngày thứ bảy lắng nghe dân nói"),
        proposed=make_practice(
            org,
            name="Tổ công nghệ số cộng đồng",
            status=PracticeStatus.PROPOSED,
            proposing_unit=org.science,
            proposed_by=people.unit_staff,
            proposal_note="Đã áp dụng tại Sở từ năm 2023.",
        ),
        declined=make_practice(
            org,
            name="Cà phê doanh nhân",
            status=PracticeStatus.DECLINED,
            proposing_unit=org.science,
            proposed_by=people.unit_staff,
            proposal_note="Thấy ở tỉnh bạn.",
            evaluation_note="Chưa phù hợp.",
        ),
        district_accepted=make_practice(org, committee=org.district, name="Một cửa liên thông cấp xã"),
        district_proposed=make_practice(
            org,
            committee=org.district,
            name="Zalo tiếp nhận phản ánh",
            status=PracticeStatus.PROPOSED,
            proposing_unit=commune,
            proposed_by=commune_staff,
            proposal_note="Xã đã làm 1 năm.",
        ),
        district_officer=person(
            "cvnoivuhuyen", org.district_home_affairs, Role.REFORM_OFFICER, full_name="Mai Nội Vụ"
        ),
        district_commune=commune,
        commune_staff=commune_staff,
    )
