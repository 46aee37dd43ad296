"""Demo data: the Châu Thành 2024 campaign, with the text of its real plan (seed 002)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from caicach.core.models import ReformField, ReformIndex, Unit, User
from caicach.initiatives.models import Campaign
from caicach.initiatives.services.campaigns import campaign_create, campaign_publish

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
