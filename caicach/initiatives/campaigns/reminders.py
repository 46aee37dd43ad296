"""Daily reminders of the initiatives app: units that have not yet sent the minimum number
of dossiers are reminded a set number of working days before a campaign's window closes.

The daily runner (``caicach.core.reminders``) runs this once per calendar day, so each
campaign's reminder goes out once: on the one day that is exactly
``reminder_working_days`` working days before the last day of the window."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from caicach.core.calendar.queries import working_day_before
from caicach.core.notifications.services import notify
from caicach.core.reminders import daily
from caicach.initiatives.campaigns.queries import lagging_unit_ids, unit_heads_and_staff
from caicach.initiatives.models import Campaign, CampaignStatus


def campaigns_to_remind(day: datetime.date) -> list[Campaign]:
    """Issued campaigns whose reminder day is ``day``."""
    candidates = Campaign.objects.filter(status=CampaignStatus.PUBLISHED, window_end__gte=day).order_by("pk")
    return [c for c in candidates if working_day_before(c.window_end, c.reminder_working_days) == day]


@daily("initiatives.campaign_reminders")
def campaign_reminders(day: datetime.date) -> None:
    for campaign in campaigns_to_remind(day):
        lagging = lagging_unit_ids(campaign)
        if not lagging:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Nhắc gửi sáng kiến: %(title)s") % {"title": campaign.title}
            body = _(
                "Đơn vị của anh/chị chưa gửi đủ %(minimum)s sáng kiến cho đợt phát động này. Thời gian nhận "
                "sáng kiến đến hết ngày %(end)s."
            ) % {"minimum": campaign.min_initiatives_per_unit, "end": f"{campaign.window_end:%d/%m/%Y}"}
        notify(
            recipients=unit_heads_and_staff(lagging), title=title, body=body, url=campaign.get_absolute_url()
        )
