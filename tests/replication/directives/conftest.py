"""A province with the shape seed 004 speaks to: departments, a legacy district with its
communes, communes directly under the province, Home Affairs and the committee's leaders —
and a directive drafted through the services, as Home Affairs would."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from caicach.core.models import Role, Unit, UnitKind, User
from caicach.replication.directives.services import (
    AssignmentDraft,
    ListingDraft,
    assignment_add,
    directive_create,
    directive_practices_set,
)
from caicach.replication.models import Directive, DirectiveSection, Practice, PracticeKind, TargetGroup
from tests.conftest import Org, People, on_day
from tests.core.factories import make_unit, person
from tests.replication.factories import make_practice

DRAFTED_ON = datetime.date(2024, 3, 4)
ISSUED_ON = datetime.date(2024, 3, 11)


@dataclass
class Tree:
    district_communes: list[Unit]
    other_district: Unit
    other_district_commune: Unit
    chairman: User
    district_head: User
    commune_head: User


@pytest.fixture
def tree(org: Org, people: People) -> Tree:
    communes = [
        make_unit(
            f"CTH-X{n}",
            name=f"Ủy ban nhân dân xã Châu Thành {n}",
            kind=UnitKind.COMMUNE_COMMITTEE,
            parent=org.district,
            document_symbol="UBND",
        )
        for n in (1, 2)
    ]
    other = make_unit(
        "TBI",
        name="Ủy ban nhân dân huyện Tân Biên",
        kind=UnitKind.DISTRICT_COMMITTEE,
        parent=org.province,
        document_symbol="UBND",
    )
    other_commune = make_unit(
        "TBI-X1",
        name="Ủy ban nhân dân xã Tân Lập",
        kind=UnitKind.COMMUNE_COMMITTEE,
        parent=other,
        document_symbol="UBND",
    )
    return Tree(
        district_communes=communes,
        other_district=other,
        other_district_commune=other_commune,
        chairman=person(
            "chutich", org.province, Role.CHAIRMAN, full_name="Nguyễn Văn Chủ Tịch", position="Chủ tịch"
        ),
        district_head=person("chutichhuyen", org.district, Role.UNIT_HEAD, full_name="Trần Huyện"),
        commune_head=person("chutichxa", communes[0], Role.UNIT_HEAD, full_name="Lê Xã"),
    )


@dataclass
class Drafted:
    directive: Directive
    models: list[Practice]
    solutions: list[Practice]


def draft(org: Org, actor: User, *, with_assignments: bool = True) -> Drafted:
    """Seed 004 in small: three models, two PAPI solutions and one PCI solution; model 2 to
    the departments, models 1–3 and solutions 1.1–1.2 to the district committees and their
    communes, solution 2.1 studied by the Science department with the Office."""
    models = [
        make_practice(
            org,
            name=name,
            implementation_steps="Bước 1: lập kế hoạch.\nBước 2: tổ chức thực hiện.",
            conditions="Có cán bộ đầu mối.",
            contact="Sở Nội vụ, 0276 3822 000",
        )
        for name in ("Ngày thứ bảy lắng nghe dân nói", "Ký số Bản đồ khổ lớn", "Ngày thứ năm không chờ")
    ]
    solutions = [
        make_practice(org, name=name, kind=PracticeKind.SOLUTION)
        for name in ("Biên tập tờ gấp tuyên truyền", "Tập huấn chỉ số PAPI", "Lập nhóm Zalo với người dân")
    ]
    with on_day(DRAFTED_ON):
        directive = directive_create(
            actor=actor,
            issuing_unit=org.province,
            title="Triển khai nhân rộng, áp dụng các mô hình sáng kiến, cách làm hay trong công tác CCHC",
            preamble="Để tiếp tục phát huy những kết quả đã đạt được, Chủ tịch UBND tỉnh yêu cầu như sau:",
        )
        listings = [ListingDraft(practice=p) for p in models]
        listings += [
            ListingDraft(practice=p, section=DirectiveSection.SOLUTIONS, group_title="Đối với chỉ số PAPI")
            for p in solutions[:2]
        ]
        listings.append(
            ListingDraft(
                practice=solutions[2], section=DirectiveSection.SOLUTIONS, group_title="Đối với chỉ số PCI"
            )
        )
        directive_practices_set(
            actor=actor, directive=directive, version=directive.version, listings=listings
        )
        if with_assignments:
            assignment_add(
                actor=actor,
                directive=directive,
                version=directive.version,
                draft=AssignmentDraft(practices=[models[1]], target_group=TargetGroup.DEPARTMENTS),
            )
            assignment_add(
                actor=actor,
                directive=directive,
                version=directive.version,
                draft=AssignmentDraft(
                    practices=[*models, *solutions[:2]],
                    target_group=TargetGroup.DISTRICT_COMMITTEES,
                    include_subordinate_communes=True,
                ),
            )
            assignment_add(
                actor=actor,
                directive=directive,
                version=directive.version,
                draft=AssignmentDraft(
                    practices=[solutions[2]],
                    target_group=TargetGroup.UNIT,
                    target_unit=org.science,
                    role="study",
                    coordinating_units=[org.office],
                    due_on=datetime.date(2024, 6, 30),
                ),
            )
    directive.refresh_from_db()
    return Drafted(directive=directive, models=models, solutions=solutions)
