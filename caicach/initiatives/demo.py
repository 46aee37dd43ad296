"""Demo data: the Châu Thành 2024 campaign with the text of its real plan (seed 002), the
province's own 2024 campaign, and the dossiers of seeds 000/001 and 003 carried through them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils import timezone

from caicach.core import clock
from caicach.core.models import ReformField, ReformIndex, Unit, User
from caicach.initiatives.campaigns.services import campaign_create, campaign_publish
from caicach.initiatives.demo_seeds import (
    EXPERIENCE_INITIATIVE,
    EXPERIENCE_TITLE,
    OFFICE_AUTHORS,
    OFFICE_EFFECTIVENESS,
    OFFICE_INITIATIVE,
)
from caicach.initiatives.dossiers.services import initiative_create
from caicach.initiatives.models import (
    Campaign,
    CouncilRole,
    Initiative,
    InitiativeKind,
    RecognitionLevel,
    ReviewAssignment,
    Rubric,
)
from caicach.initiatives.recognition.services import (
    certificate_issue,
    effectiveness_report_create,
    effectiveness_report_submit,
    recognition_decision_issue,
)
from caicach.initiatives.review.rubrics import ensure_demo_rubrics
from caicach.initiatives.review.services import (
    council_member_add,
    council_save,
    minutes_issue,
    recognition_record,
    review_assign,
    review_submit,
    round_close,
)
from caicach.initiatives.workflow.services import (
    initiative_accept,
    initiative_confirm,
    initiative_return,
    initiative_submit,
)

SEED_TITLE = (
    "Phát động sáng kiến, giải pháp trong công tác cải cách hành chính năm 2024 trên địa bàn huyện Châu Thành"
)

SEED_CAMPAIGN: dict[str, object] = {
    "title": SEED_TITLE,
    "legal_basis": (
        "Thực hiện Quyết định số 299/QĐ-UBND ngày 02/02/2024 của Ủy ban nhân dân huyện Châu Thành về Ban "
        "hành "
        "Kế hoạch cải cách hành chính trên địa bàn huyện Châu Thành năm 2024;"
    ),
    "introduction": (
        "Ủy ban nhân dân huyện Châu Thành xây dựng Kế hoạch phát động sáng kiến, giải pháp trong thực hiện "
        "công "
        "tác Cải cách hành chính trên địa bàn huyện cụ thể như sau:"
    ),
    "purpose": "\n".join(
        (
            "Nhằm phát huy tính năng động, sáng tạo của cán bộ, công chức, viên chức, người lao động đang "
            "làm việc, "
            "công tác tại các cơ quan, đơn vị, địa phương trên địa bàn huyện Châu Thành, để tạo ra nhiều "
            "giải pháp "
            "sáng kiến mang lại hiệu quả thiết thực trong công tác cải cách hành chính trên địa bàn huyện.",
            "Lựa chọn được các giải pháp sáng tạo, hiệu quả thiết thực nhằm nhân rộng trong huyện góp phần "
            "thực hiện "
            "việc đơn giản hóa thủ tục hành chính tạo thuận lợi cho người dân, tổ chức.",
            "Kịp thời động viên, khích lệ, tuyên dương các tập thể, cá nhân có sáng kiến thiết thực phục "
            "vụ công tác "
            "cải cách hành chính.",
        )
    ),
    "requirements": "\n".join(
        (
            "Các sáng kiến, giải pháp có tính mới, tính sáng tạo và hiệu quả cao, có thể áp dụng nhân rộng "
            "trên địa "
            "bàn huyện vào hoạt động của các cơ quan, đơn vị, địa phương.",
            "Các phòng, ban thuộc huyện và UBND các xã, thị trấn triển khai phát động giải pháp, sáng kiến "
            "trong công "
            "tác cải cách hành chính xem đây là một trong những tiêu chí để xem xét đánh giá mức độ hoàn "
            "thành xuất "
            "sắc nhiệm vụ của cán bộ, công chức, viên chức của cơ quan, đơn vị, địa phương.",
        )
    ),
    "initiative_requirements": (
        "Sáng kiến, giải pháp CCHC phải có tính mới, tính sáng tạo, hữu ích, có đóng góp thiết thực, hiệu "
        "quả, tạo "
        "đột phá trong công tác CCHC; có thể nhân rộng triển khai áp dụng trong thực tiễn quản lý, điều "
        "hành, thực "
        "thi công vụ để phục vụ người dân, tổ chức, doanh nghiệp. Tập trung vào các giải pháp giúp triển "
        "khai thực "
        "hiện đạt hiệu quả cao trong các lĩnh vực CCHC như: việc xây dựng và tổ chức thực hiện văn bản quy "
        "phạm "
        "pháp luật; cải cách thủ tục hành chính, cải cách tổ chức bộ máy hành chính nhà nước; cải cách chế "
        "độ công "
        "vụ, cải cách tài chính công; xây dựng và phát triển chính quyền điện tử, chính quyền số."
    ),
    "participants": (
        "Các phòng, ban, ngành huyện, UBND các xã, thị trấn; cán bộ, công chức, viên chức đang công tác "
        "tại các "
        "phòng, ban, ngành huyện, UBND các xã, thị trấn."
    ),
    "presentation_requirements": (
        "Sáng kiến, giải pháp được trình bày trên khổ giấy A4, được đóng quyển dưới dạng đề cương, đề án, "
        "dự án "
        "trình bày trang trọng, đảm bảo tính mỹ thuật và các quy định về kết cấu theo Quy định về quản lý "
        "hoạt động "
        "sáng kiến trên địa bàn huyện (theo Hướng dẫn số 2099/HD-SNV ngày 25/10/2023 của Hội đồng sáng "
        "kiến cấp cơ "
        "sở - Sở Nội vụ)"
    ),
    "solution_scope": (
        "Sáng kiến, giải pháp giúp cải thiện và nâng cao các chỉ số: Chỉ số CCHC (PAR-INDEX), Chỉ số hài "
        "lòng của "
        "người dân, tổ chức đối với sự phục vụ của các cơ quan hành chính nhà nước (SIPAS); Chỉ số hiệu "
        "quả quản "
        "trị và hành chính công (PAPI); Chỉ số sẵn sàng cho phát triển và ứng dụng công nghệ thông tin và "
        "truyền "
        "thông (ICT); Chỉ số năng lực cạnh tranh cấp tỉnh (PCI). Các sáng kiến, giải pháp gắn kết các ứng "
        "dụng công "
        "nghệ thông tin trong quản lý, điều hành, cung cấp dịch vụ công; nâng cao chất lượng tham mưu "
        "trong thực "
        "hiện nhiệm vụ, công vụ, xây dựng môi trường làm việc chuyên nghiệp, hiệu quả, phục vụ tốt hơn đối "
        "với "
        "người dân, tổ chức và doanh nghiệp."
    ),
    "min_initiatives_per_unit": 1,
    "window_start": datetime.date(2024, 5, 15),
    "window_end": datetime.date(2024, 6, 25),
    "contact": "phongnv-cth@tayninh.gov.vn",
    "submission_form": "bằng văn bản giấy có đóng thành tập và file mềm",
    "implementation": [
        {
            "heading": "Phòng Nội vụ huyện:",
            "duties": (
                "Theo dõi triển khai thực hiện Kế hoạch này của các cơ quan, đơn vị, địa phương và tổng "
                "hợp các "
                "sáng kiến, giải pháp tham mưu UBND huyện, Hội đồng thi đua khen thưởng huyện xem xét công "
                "nhận "
                "sáng kiến, giải pháp trong công tác Cải cách hành chính trên địa bàn huyện."
            ),
        },
        {
            "heading": "Các phòng, ban, ngành huyện và UBND các xã, thị trấn",
            "duties": (
                "Triển khai Kế hoạch này đến cán bộ, công chức, viên chức và người lao động thuộc cơ quan, "
                "đơn vị, "
                "địa phương mình."
            ),
        },
        {
            "heading": "Mặt trận Tổ quốc, các đoàn thể chính trị - xã hội huyện",
            "duties": (
                "Đề nghị Mặt trận Tổ quốc, các đoàn thể chính trị - xã hội huyện phối hợp Phòng Nội vụ "
                "triển khai "
                "phát động sáng kiến, giải pháp thực hiện Cải cách hành chính theo Kế hoạch này đến toàn "
                "thể đoàn "
                "viên, hội viên."
            ),
        },
    ],
    "closing": (
        "Trên đây là Kế hoạch Phát động sáng kiến, giải pháp trong công tác cải cách hành chính trên địa "
        "bàn huyện "
        "Châu Thành./."
    ),
    "recipients": "\n".join(
        (
            "Sở Nội vụ;",
            "VP UBND tỉnh;",
            "TT. HU; HĐND huyện;",
            "CT, các PCT huyện;",
            "TT.Hội đồng TĐ-KT huyện (PNV);",
            "Các cơ quan , ban, ngành huyện;",
            "UBMTTQVN và các đoàn thể huyện;",
            "UBND các xã, thị trấn;",
            "Lưu: VT, PNV.",
        )
    ),
    "signer_authority": "KT. CHỦ TỊCH",
    "signer_title": "PHÓ CHỦ TỊCH",
    "place": "Châu Thành",
}


def load_seed_campaign(
    *,
    actor: User,
    issuing_unit: Unit,
    receiving_unit: Unit,
    eligible_units: Iterable[Unit],
    signer_name: str = "",
    signer_title: str = "PHÓ CHỦ TỊCH",
    signer_authority: str = "KT. CHỦ TỊCH",
    reform_fields: Iterable[ReformField] = (),
    target_indices: Iterable[ReformIndex] = (),
    issued_on: datetime.date | None = None,
) -> Campaign:
    """The Châu Thành 2024 campaign as a draft, or issued (numbered) when ``issued_on`` is
    given. Goes through the services, so the demo leaves the same audit trail a user would."""
    data = {
        **SEED_CAMPAIGN,
        "issuing_unit": issuing_unit,
        "receiving_unit": receiving_unit,
        "eligible_units": list(eligible_units),
        "reform_fields": list(reform_fields),
        "target_indices": list(target_indices),
        "signer_name": signer_name,
        "signer_title": signer_title,
        "signer_authority": signer_authority,
    }
    campaign = campaign_create(actor=actor, data=data)
    if issued_on is not None:
        campaign = campaign_publish(campaign=campaign, actor=actor, issued_on=issued_on)
    return campaign


# --- The dossiers of the demo -------------------------------------------------------------------

PROVINCE_CAMPAIGN_TITLE = (
    "Phát động sáng kiến, giải pháp trong công tác cải cách hành chính năm 2024 của tỉnh Tây Ninh"
)


def _for_province(text: str) -> str:
    return (
        text.replace("huyện Châu Thành", "tỉnh Tây Ninh")
        .replace("trong huyện", "trong tỉnh")
        .replace("địa bàn huyện", "địa bàn tỉnh")
        .replace(
            "Các phòng, ban thuộc huyện và UBND các xã, thị trấn",
            "Các sở, ban, ngành tỉnh và UBND các xã, phường",
        )
    )


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load_province_campaign(
    *, actor: User, units: dict[str, Unit], eligible: Iterable[Unit], rubric: Rubric
) -> Campaign:
    """The province's own 2024 campaign, written on the pattern of seed 002."""
    data: dict[str, object] = {
        **{k: _for_province(v) if isinstance(v, str) else v for k, v in SEED_CAMPAIGN.items()},
        "title": PROVINCE_CAMPAIGN_TITLE,
        "legal_basis": (
            "Căn cứ Nghị định số 13/2012/NĐ-CP ngày 02/3/2012 của Chính phủ ban hành Điều lệ Sáng kiến;\n"
            "Căn cứ Thông tư số 18/2013/TT-BKHCN ngày 01/8/2013 của Bộ Khoa học và Công nghệ hướng dẫn thi "
            "hành một số quy định của Điều lệ Sáng kiến;"
        ),
        "introduction": "",
        "implementation": [
            {
                "heading": "Sở Nội vụ",
                "duties": "Tiếp nhận hồ sơ, tham mưu thành lập Hội đồng sáng kiến và tổng hợp kết quả.",
            },
            {
                "heading": "Các sở, ban, ngành tỉnh",
                "duties": "Phát động, hướng dẫn cán bộ, công chức đăng ký và gửi sáng kiến.",
            },
        ],
        "recipients": "\n".join(
            (
                "Bộ Nội vụ;",
                "TT. Tỉnh ủy; TT. HĐND tỉnh;",
                "CT, các PCT UBND tỉnh;",
                "Các sở, ban, ngành tỉnh;",
                "Lưu: VT, SNV.",
            )
        ),
        "place": "Tây Ninh",
        "window_start": datetime.date(2024, 5, 6),
        "window_end": datetime.date(2024, 6, 28),
        "issuing_unit": units["TN"],
        "receiving_unit": units["TN-SNV"],
        "eligible_units": list(eligible),
        "reform_fields": list(ReformField.objects.all()),
        "target_indices": list(ReformIndex.objects.all()),
        "signer_name": "Ngô Thanh Bình",
        "rubric": rubric,
    }
    with clock.travel_to(_at(datetime.date(2024, 5, 2))):
        campaign = campaign_create(actor=actor, data=data)
        return campaign_publish(campaign=campaign, actor=actor, issued_on=datetime.date(2024, 5, 2))


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _authors(rows: Iterable[dict[str, str]], lead_user: User) -> list[dict[str, object]]:
    return [
        {
            **row,
            "date_of_birth": datetime.date.fromisoformat(row["date_of_birth"]),
            "share": Decimal(row["share"]),
            "is_lead": row["full_name"] == lead_user.full_name,
            "user": lead_user if row["full_name"] == lead_user.full_name else None,
        }
        for row in rows
    ]


def _submit_and_confirm(initiative: Initiative, author: User, head: User, day: datetime.date) -> Initiative:
    with clock.travel_to(_at(day)):
        initiative = initiative_submit(initiative=initiative, actor=author, version=initiative.version)
    with clock.travel_to(_at(day, 15)):
        return initiative_confirm(
            initiative=initiative, actor=head, note="Đơn vị xác nhận nội dung là đúng sự thật."
        )


def load_demo_initiatives(*, units: dict[str, Unit], chau_thanh: Campaign) -> None:
    """The dossiers of the demo, replayed on the dates they happened (``clock.travel_to``):

    - the provincial Office's initiative (seeds 001 and 000, three authors 30/30/40, the seed's
      duplicate row "2" renumbered) through the province's 2024 campaign: submitted, confirmed,
      accepted with a receipt, scored by a three-member council, voted, recognised at provincial
      level, decided, certified, and its effectiveness report filed;
    - in the Châu Thành campaign: the experience initiative of seed 003 submitted and confirmed,
      awaiting acceptance, and another dossier returned for completion; the other units have
      none yet."""
    province_officer = _user("cchc.snv")
    district_officer = _user("cchc.chauthanh")
    practical, points_based = ensure_demo_rubrics(province_officer)
    eligible = [units[code] for code in ("TN-VP", "TN-SKHCN", "TN-STP", "TN-STC", "TN-SYT", "TN-SGDDT")]
    province = load_province_campaign(
        actor=province_officer, units=units, eligible=eligible, rubric=practical
    )
    # The Châu Thành plan was issued before its rubric was chosen; no dossier has been scored.
    Campaign.objects.filter(pk=chau_thanh.pk).update(rubric=points_based)

    _office_initiative(units, province, practical, province_officer)
    _chau_thanh_dossiers(units, chau_thanh, district_officer)


def _office_initiative(
    units: dict[str, Unit], province: Campaign, practical: Rubric, province_officer: User
) -> None:
    """The provincial Office's initiative, from its dossier to the certificate and the
    effectiveness report."""
    author, head = _user("tacgia.vp"), _user("truong.vp")
    with clock.travel_to(_at(datetime.date(2024, 6, 10))):
        office = initiative_create(
            actor=author,
            unit=units["TN-VP"],
            campaign=province,
            kind=InitiativeKind.SOLUTION,
            data={
                **OFFICE_INITIATIVE,
                "first_applied_on": datetime.date(2024, 2, 29),
                "addressee": "Hội đồng sáng kiến tỉnh Tây Ninh",
                "application_field": "Công tác chỉ đạo, điều hành; thực hiện Quy chế làm việc của UBND tỉnh",
            },
            authors=_authors(OFFICE_AUTHORS, author),
            reform_fields=ReformField.objects.filter(code__in=("BOMAY", "CONGVU")),
            target_indices=ReformIndex.objects.filter(code="PAR INDEX"),
        )
    office = _submit_and_confirm(office, author, head, datetime.date(2024, 6, 12))
    with clock.travel_to(_at(datetime.date(2024, 6, 17))):
        office = initiative_accept(initiative=office, actor=province_officer)

    with clock.travel_to(_at(datetime.date(2024, 6, 28))):
        council = council_save(
            campaign=province,
            actor=province_officer,
            data={
                "name": "Hội đồng sáng kiến tỉnh Tây Ninh năm 2024",
                "established_by": "Quyết định số 1520/QĐ-UBND ngày 25/6/2024 của UBND tỉnh",
                "scoring_deadline": datetime.date(2024, 7, 10),
                "reminder_working_days": 2,
                "meeting_on": datetime.date(2024, 7, 15),
                "meeting_place": "Phòng họp số 2, Sở Nội vụ tỉnh Tây Ninh",
            },
        )
        members = [
            council_member_add(council=council, actor=province_officer, user=_user(username), role=role)
            for username, role in (
                ("hoidong.1", CouncilRole.CHAIR),
                ("hoidong.2", CouncilRole.SECRETARY),
                ("hoidong.3", CouncilRole.MEMBER),
            )
        ]
    with clock.travel_to(_at(datetime.date(2024, 7, 1))):
        review_assign(campaign=province, actor=province_officer)
    criteria = list(practical.criteria.order_by("position"))
    scores = ((27, 36, 26), (28, 35, 27), (26, 37, 28))
    for day, member, points in zip((5, 8, 9), members, scores, strict=True):
        assignment = ReviewAssignment.objects.get(initiative=office, member=member)
        with clock.travel_to(_at(datetime.date(2024, 7, day))):
            review_submit(
                assignment=assignment,
                actor=member.user,
                points={c.pk: Decimal(p) for c, p in zip(criteria, points, strict=True)},
                comment="Giải pháp thiết thực, đã áp dụng toàn tỉnh, có khả năng nhân rộng.",
                version=assignment.version,
            )
    secretary = members[1].user
    # Scoring closes at the meeting (it cannot close before the meeting has taken place).
    with clock.travel_to(_at(datetime.date(2024, 7, 15), 8)):
        round_close(council=council, actor=secretary)
    with clock.travel_to(_at(datetime.date(2024, 7, 15))):
        recognition = recognition_record(
            initiative=office,
            actor=province_officer,
            members_present=3,
            votes_for=3,
            votes_against=0,
            level=RecognitionLevel.PROVINCIAL,
            reasons="",
        )
        minutes_issue(council=council, actor=secretary, issued_on=datetime.date(2024, 7, 15))
    with clock.travel_to(_at(datetime.date(2024, 7, 25))):
        recognition_decision_issue(
            campaign=province,
            actor=province_officer,
            issued_on=datetime.date(2024, 7, 25),
            signer_authority="KT. CHỦ TỊCH",
            signer_title="PHÓ CHỦ TỊCH",
            signer_name="Ngô Thanh Bình",
        )
        recognition.refresh_from_db()
        certificate_issue(
            recognition=recognition, actor=province_officer, issued_on=datetime.date(2024, 7, 25)
        )
    with clock.travel_to(_at(datetime.date(2024, 9, 20))):
        report = effectiveness_report_create(initiative=office, actor=author, data=OFFICE_EFFECTIVENESS)
        effectiveness_report_submit(report=report, actor=author, version=report.version)


def _chau_thanh_dossiers(units: dict[str, Unit], chau_thanh: Campaign, district_officer: User) -> None:
    """Châu Thành: the commune of Hảo Đước sends two dossiers; the other units none yet."""
    commune_staff, commune_head = _user("canbo.haoduoc"), _user("truong.haoduoc")
    with clock.travel_to(_at(datetime.date(2024, 6, 3))):
        experience = initiative_create(
            actor=commune_staff,
            unit=units["CT-HAODUOC"],
            campaign=chau_thanh,
            kind=InitiativeKind.EXPERIENCE,
            data={
                **EXPERIENCE_INITIATIVE,
                "title": EXPERIENCE_TITLE,
                "first_applied_on": datetime.date(2023, 9, 4),
                "addressee": "Hội đồng sáng kiến huyện Châu Thành",
                "application_field": "Cải cách thủ tục hành chính cấp xã",
            },
            authors=[
                {
                    "user": commune_staff,
                    "full_name": commune_staff.full_name,
                    "date_of_birth": datetime.date(1991, 4, 18),
                    "workplace": units["CT-HAODUOC"].name,
                    "job_title": commune_staff.position,
                    "qualification": "Đại học",
                    "share": Decimal(100),
                    "contribution": "Tác giả toàn bộ sáng kiến",
                    "is_lead": True,
                }
            ],
            reform_fields=ReformField.objects.filter(code="TTHC"),
            target_indices=ReformIndex.objects.filter(code__in=("SIPAS", "PAPI")),
        )
    _submit_and_confirm(experience, commune_staff, commune_head, datetime.date(2024, 6, 5))

    with clock.travel_to(_at(datetime.date(2024, 6, 10))):
        zalo = initiative_create(
            actor=commune_staff,
            unit=units["CT-HAODUOC"],
            campaign=chau_thanh,
            kind=InitiativeKind.SOLUTION,
            data={
                "title": "Tiếp nhận phản ánh, kiến nghị của người dân qua Zalo OA của UBND xã Hảo Đước",
                "first_applied_on": datetime.date(2024, 1, 15),
                "addressee": "Hội đồng sáng kiến huyện Châu Thành",
                "application_field": "Tiếp nhận, xử lý phản ánh, kiến nghị",
                "essence": (
                    "Người dân gửi phản ánh, kiến nghị qua tài khoản Zalo OA của xã; công chức Văn phòng - "
                    "Thống kê tiếp nhận, chuyển bộ phận chuyên môn và trả lời trong 3 ngày làm việc."
                ),
                "previous_solution": (
                    "Người dân phải đến trụ sở hoặc gửi đơn giấy; việc theo dõi thời hạn trả lời làm "
                    "thủ công trên sổ."
                ),
                "solution_steps": "Lập tài khoản Zalo OA; phân công tiếp nhận; mở sổ theo dõi điện tử.",
                "necessity": "Phản ánh tăng; người dân ở xa trụ sở cần một kênh gửi nhanh, miễn phí.",
                "purpose": "Rút ngắn thời gian tiếp nhận, trả lời; theo dõi thời hạn xử lý.",
                "application_scope": "Áp dụng tại UBND xã Hảo Đước từ tháng 01/2024.",
                "benefits": "Người dân không phải đi lại; thời hạn trả lời được theo dõi.",
            },
            authors=[
                {
                    "user": commune_staff,
                    "full_name": commune_staff.full_name,
                    "date_of_birth": datetime.date(1991, 4, 18),
                    "workplace": units["CT-HAODUOC"].name,
                    "job_title": commune_staff.position,
                    "qualification": "Đại học",
                    "share": Decimal(70),
                    "contribution": "Xây dựng quy trình, trực tiếp triển khai",
                    "is_lead": True,
                },
                {
                    "user": None,
                    "full_name": "Lê Văn Hậu",
                    "date_of_birth": datetime.date(1985, 11, 2),
                    "workplace": units["CT-HAODUOC"].name,
                    "job_title": "Công chức Tư pháp - Hộ tịch",
                    "qualification": "Đại học Luật",
                    "share": Decimal(30),
                    "contribution": "Soạn mẫu trả lời, tổng hợp số liệu",
                    "is_lead": False,
                },
            ],
            reform_fields=ReformField.objects.filter(code="CQS"),
            target_indices=ReformIndex.objects.filter(code="SIPAS"),
        )
    zalo = _submit_and_confirm(zalo, commune_staff, commune_head, datetime.date(2024, 6, 12))
    with clock.travel_to(_at(datetime.date(2024, 6, 17))):
        initiative_return(
            initiative=zalo,
            actor=district_officer,
            comment="Đề nghị bổ sung mục 7.2 (phạm vi áp dụng) và 7.3 (lợi ích), kèm số liệu phản ánh đã "
            "tiếp nhận, trả lời từ tháng 01/2024.",
        )


def load_demo(units: Mapping[str, Unit]) -> None:
    """The initiatives of the demo (registered with core's demo loader): the Châu Thành 2024
    campaign, replayed on its dates — publishing notifies the eligible units, so their
    inboxes show it — then the dossiers, councils and recognitions built on it."""
    district_officer = User.objects.get(username="cchc.chauthanh")
    eligible = [u for code, u in units.items() if code.startswith("CT-") and code != "CT-PNV"]
    with clock.travel_to(timezone.make_aware(datetime.datetime(2024, 5, 10, 9))):
        chau_thanh = load_seed_campaign(
            actor=district_officer,
            issuing_unit=units["CT"],
            receiving_unit=units["CT-PNV"],
            eligible_units=[units["CT-PNV"], *eligible],
            signer_name="Phan Văn Dũng",
            reform_fields=ReformField.objects.all(),
            target_indices=ReformIndex.objects.all(),
            issued_on=datetime.date(2024, 5, 10),
        )
    load_demo_initiatives(units=dict(units), chau_thanh=chau_thanh)
