from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "caicach.deliberation"
    label = "deliberation"
    verbose_name = _("Lấy ý kiến thành viên UBND, phiên họp")

    def ready(self) -> None:
        from caicach.core.audit.queries import register_action_labels, register_object_url
        from caicach.core.context_processors import add_nav_item
        from caicach.core.demo import register_demo_loader
        from caicach.core.todos import register_todo_provider
        from caicach.deliberation.consultations import reminders, rules  # noqa: F401  (rules, the daily reminder)
        from caicach.deliberation.consultations.queries import consultations_to_tally, drafts_to_answer
        from caicach.deliberation.demo import load_demo_consultations
        from caicach.deliberation.notices.demo import load_demo_meetings, load_demo_upcoming_meeting

        def _load_demo() -> None:
            load_demo_consultations()
            load_demo_meetings()  # after the consultations (meetings area: notices' demo)
            load_demo_upcoming_meeting()  # the one meeting still ahead, with its withdrawal list

        from caicach.deliberation.models import Consultation, Opinion

        # After the work program (order 20): some demo drafts come from its items.
        register_demo_loader("deliberation", lambda units: _load_demo(), order=40)

        add_nav_item(
            "deliberation:consultation_list",
            _("Lấy ý kiến thành viên UBND"),
            _("Dự thảo gửi thành viên UBND cho ý kiến, tổng hợp kết quả và tiếp thu, giải trình"),
            "deliberation.view_consultations",
            before="unit_list",
        )
        register_action_labels(
            {
                "consultation.create": _("Soạn lấy ý kiến thành viên UBND"),
                "consultation.add_file": _("Đính kèm tệp dự thảo"),
                "consultation.send": _("Gửi lấy ý kiến thành viên UBND"),
                "consultation.close": _("Tổng hợp ý kiến thành viên UBND"),
                "opinion.give": _("Cho ý kiến về dự thảo"),
                "opinion.enter": _("Nhập ý kiến từ phiếu giấy"),
                "opinion.respond": _("Tiếp thu, giải trình ý kiến"),
                "deliberation_settings.update": _("Sửa thiết lập lấy ý kiến thành viên UBND"),
            }
        )
        register_object_url(Consultation, "deliberation:consultation_detail")
        register_object_url(Opinion, "deliberation:opinion_detail")
        register_todo_provider("deliberation.to_answer", drafts_to_answer, order=45)
        register_todo_provider("deliberation.to_tally", consultations_to_tally, order=56)
        # --- Meeting notices (invitation, conclusion notice) ---
        from caicach.deliberation.notices import rules as notice_rules  # noqa: F401  (its rules)
        from caicach.deliberation.notices.services import AUDIT_LABELS as NOTICE_LABELS

        register_action_labels(NOTICE_LABELS)
        from caicach.deliberation.notices.queries import documents_to_sign

        register_todo_provider("deliberation.to_sign", documents_to_sign, order=57)
        # --- end meeting notices ---
        # --- Meetings (the meetings area) ---
        from caicach.deliberation.meetings import rules as meeting_rules  # noqa: F401  (the rules)
        from caicach.deliberation.meetings.queries import meetings_to_prepare
        from caicach.deliberation.models import AgendaItem, Meeting

        add_nav_item(
            "deliberation:meeting_list",
            _("Phiên họp UBND"),
            _("Lịch họp, nội dung phiên họp từ chương trình công tác, hạn hồ sơ và thành phần dự họp"),
            "deliberation.view_meetings",
            before="unit_list",
        )
        register_action_labels(
            {
                "meeting.create": _("Lên lịch phiên họp"),
                "meeting.update": _("Sửa phiên họp"),
                "meeting.cancel": _("Hủy phiên họp"),
                "meeting.hold": _("Ghi nhận đã họp"),
                "meeting.invite": _("Cập nhật đơn vị được mời họp"),
                "agenda_item.add": _("Thêm nội dung phiên họp"),
                "agenda_item.update": _("Sửa nội dung phiên họp"),
                "agenda_item.remove": _("Xóa nội dung khỏi phiên họp"),
                "agenda_item.move": _("Sắp xếp nội dung phiên họp"),
                "invitee.record": _("Ghi nhận thành phần dự họp"),
            }
        )
        from caicach.core.audit.queries import register_change_labels

        register_change_labels(
            Meeting, {"agenda_items": _("Nội dung phiên họp"), "invitees": _("Số đơn vị được mời")}
        )
        register_object_url(Meeting, "deliberation:meeting_detail")
        register_object_url(AgendaItem, "deliberation:agenda_item_detail")
        register_todo_provider("deliberation.meetings_to_prepare", meetings_to_prepare, order=57)
        # --- end meetings ---
        from caicach.deliberation import audit_labels

        audit_labels.register()  # the audit trail's labels of keys that are not model fields
        # Meeting dossiers: the checklist, the proposed withdrawal list and the chair's decision.
        from caicach.deliberation.dossiers import rules as dossier_rules  # noqa: F401  (the dossier rules)
        from caicach.deliberation.dossiers.queries import withdrawals_to_put
        from caicach.deliberation.models import DossierEntry

        register_action_labels(
            {
                "dossier_entry.add": _("Thêm thành phần hồ sơ trình"),
                "dossier_entry.mark": _("Cập nhật hồ sơ trình đã nhận"),
                "agenda_item.keep": _("Chủ trì giữ lại nội dung trong phiên họp"),
                "agenda_item.withdraw": _("Chủ trì rút nội dung khỏi phiên họp"),
            }
        )
        register_object_url(DossierEntry, "deliberation:dossier_entry_detail")
        register_todo_provider("deliberation.withdrawals", withdrawals_to_put, order=57)
