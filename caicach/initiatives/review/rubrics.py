"""The two real-style rubrics the demo ships (DOMAIN.md, "Rubrics differ by province"): a
100-point scale of novelty 30 / effectiveness 40 / replicability 30 with bands, and the
Thái Nguyên style of novelty 20 / effect 30 / applicability 30 (its 20 points of community
vote are not scored by the council, so the council scores out of 80)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from caicach.core.models import User
from caicach.initiatives.models import Rubric
from caicach.initiatives.review.services import rubric_create


def _band(low: int, high: int, text: str) -> dict[str, Any]:
    return {"min_points": Decimal(low), "max_points": Decimal(high), "description": text}


RUBRIC_100: dict[str, Any] = {
    "data": {
        "name": "Thang điểm 100: tính mới 30, hiệu quả 40, khả năng nhân rộng 30",
        "description": (
            "Sáng kiến đạt từ 50 điểm trở lên và được ít nhất 2/3 số thành viên Hội đồng dự họp tán thành "
            "thì được đề nghị công nhận."
        ),
        "pass_mark": Decimal(50),
        "vote_numerator": 2,
        "vote_denominator": 3,
        "disagreement_threshold": Decimal(20),
    },
    "criteria": [
        {
            "name": "Tính mới",
            "max_points": Decimal(30),
            "description": "So với các giải pháp đã được áp dụng trước đó tại cơ quan, đơn vị, địa phương.",
            "bands": [
                _band(
                    21,
                    30,
                    "Có tính mới trong phạm vi tỉnh, chưa được áp dụng ở cơ quan, đơn vị nào trong tỉnh",
                ),
                _band(11, 20, "Có tính mới trong phạm vi huyện hoặc ngành"),
                _band(1, 10, "Có tính mới trong phạm vi cơ quan, đơn vị"),
            ],
        },
        {
            "name": "Hiệu quả",
            "max_points": Decimal(40),
            "description": (
                "Lợi ích kinh tế, xã hội mang lại: rút ngắn thời gian, giảm chi phí, giấy tờ cho người "
                "dân, tổ chức; nâng cao chỉ số cải cách hành chính."
            ),
            "bands": [
                _band(31, 40, "Hiệu quả rất cao, được chứng minh bằng số liệu cụ thể"),
                _band(21, 30, "Hiệu quả cao"),
                _band(11, 20, "Có hiệu quả"),
                _band(1, 10, "Hiệu quả thấp, chưa rõ"),
            ],
        },
        {
            "name": "Khả năng nhân rộng",
            "max_points": Decimal(30),
            "description": "Khả năng áp dụng tại các cơ quan, đơn vị, địa phương khác.",
            "bands": [
                _band(21, 30, "Có khả năng nhân rộng trong toàn tỉnh"),
                _band(11, 20, "Có khả năng nhân rộng trong huyện hoặc ngành"),
                _band(1, 10, "Chỉ áp dụng được tại cơ quan, đơn vị"),
            ],
        },
    ],
}

RUBRIC_80: dict[str, Any] = {
    "data": {
        "name": "Thang điểm 80 (kiểu Thái Nguyên): tính mới 20, hiệu quả 30, khả năng áp dụng 30",
        "description": (
            "Hội đồng chấm 80 điểm; 20 điểm bình chọn của cộng đồng không do Hội đồng chấm. Sáng kiến đạt từ "
            "50/80 điểm và được ít nhất 2/3 số thành viên dự họp tán thành thì được đề nghị công nhận."
        ),
        "pass_mark": Decimal(50),
        "vote_numerator": 2,
        "vote_denominator": 3,
        "disagreement_threshold": Decimal(15),
    },
    "criteria": [
        {
            "name": "Tính mới, tính sáng tạo",
            "max_points": Decimal(20),
            "description": "",
            "bands": [
                _band(15, 20, "Giải pháp hoàn toàn mới"),
                _band(8, 14, "Cải tiến đáng kể giải pháp đã có"),
                _band(0, 7, "Cải tiến nhỏ"),
            ],
        },
        {
            "name": "Hiệu quả",
            "max_points": Decimal(30),
            "description": "Hiệu quả kinh tế, xã hội đã đạt được khi áp dụng.",
            "bands": [],
        },
        {
            "name": "Khả năng áp dụng",
            "max_points": Decimal(30),
            "description": "Phạm vi và điều kiện áp dụng, nhân rộng.",
            "bands": [],
        },
    ],
}

DEMO_RUBRICS = (RUBRIC_100, RUBRIC_80)


def ensure_demo_rubrics(actor: User) -> tuple[Rubric, Rubric]:
    """The two demo rubrics, created through the service the first time (found by name
    afterwards, so loading the demo twice makes no duplicates)."""
    found: list[Rubric] = []
    for spec in DEMO_RUBRICS:
        rubric = Rubric.objects.filter(name=spec["data"]["name"]).first()
        if rubric is None:
            rubric = rubric_create(actor=actor, data=spec["data"], criteria=spec["criteria"])
        found.append(rubric)
    return found[0], found[1]
