"""Reads of the audit trail: an object's timeline and the administrators' search.

Events come back "described": each carries ``action_label`` (Vietnamese words where the
action is known, else its code), ``change_rows`` (field label, before, after, ready to show)
and ``object_url`` (a link to the object's page when there is one). ``core/_timeline.html``
expects described events, so pages get them from ``timeline_for()``."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from caicach.core.chronology import within_days
from caicach.core.models import AuditEvent
from caicach.core.search import search as text_search

# action code → what the user reads. Other areas add theirs with register_action_labels().
ACTION_LABELS: dict[str, str | Promise] = {
    "unit.create": _("Tạo đơn vị"),
    "unit.update": _("Sửa thông tin đơn vị"),
    "unit.merge": _("Sáp nhập đơn vị"),
    "unit.import": _("Nhập danh sách đơn vị từ Excel"),
    "calendar.load_official": _("Nạp lịch nghỉ chính thức"),
    "calendar_day.create": _("Thêm ngày nghỉ/ngày làm bù"),
    "calendar_day.update": _("Sửa ngày nghỉ/ngày làm bù"),
    "calendar_day.remove": _("Xóa ngày nghỉ/ngày làm bù"),
    "document.number": _("Cấp số văn bản"),
    "document.number_external": _("Vào sổ số văn bản cấp ngoài hệ thống"),
    "job.start": _("Bắt đầu tác vụ nền"),
    "job.finish": _("Hoàn thành tác vụ nền"),
    "job.fail": _("Tác vụ nền bị lỗi"),
}

# Change keys that are not a field of the audited model (a table summed up in one line, a
# value held by another model): "app_label.model" ("" for events about no object) → key →
# label. A field's own verbose_name needs no entry. Areas add theirs with
# register_change_labels(); the demo-wide audit test fails on any key left unlabelled.
CHANGE_LABELS: dict[str, dict[str, str | Promise]] = {
    "": {"created": _("Các ngày đã thêm")},
}
# (model key, change key) → {stored value: label}, for keys whose values are codes.
CHANGE_CHOICES: dict[tuple[str, str], dict[str, str | Promise]] = {}

# "app_label.model" → URL name taking the object's pk, for links from the trail.
OBJECT_URL_NAMES: dict[str, str] = {"core.unit": "unit_detail"}

TIMELINE_LIMIT = 50
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    ACTION_LABELS.update(labels)


def register_object_url(model: type[models.Model], url_name: str) -> None:
    OBJECT_URL_NAMES[model._meta.label_lower] = url_name


def register_change_labels(
    model: type[models.Model] | None,
    labels: Mapping[str, str | Promise],
    *,
    choices: Mapping[str, Iterable[tuple[Any, str | Promise]]] | None = None,
) -> None:
    """Labels for change keys of ``model``'s events that are not its fields (or override a
    field's label); ``choices`` gives the words for keys whose values are codes."""
    key = model._meta.label_lower if model is not None else ""
    CHANGE_LABELS.setdefault(key, {}).update(labels)
    for name, pairs in (choices or {}).items():
        CHANGE_CHOICES[(key, name)] = {str(code): label for code, label in pairs}


def _is_default_verbose_name(field: models.Field[Any, Any]) -> bool:
    # Django's default verbose_name is the attribute's name: English words, never a label.
    return str(field.verbose_name) == field.name.replace("_", " ")


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


@dataclass(frozen=True)
class ChangeRow:
    field: str
    label: str
    before: str
    after: str
    labelled: bool = True  # False: the key has no label (shown as is; a test looks for these)


_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _display(
    value: Any,
    field: models.Field[Any, Any] | None,
    names: Mapping[tuple[Any, str], str],
    choices: Mapping[str, str | Promise] | None = None,
) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(_display(v, field, names, choices) for v in value)
    if field is not None and field.is_relation and field.related_model is not None:
        model: Any = field.related_model
        if not str(value).isdigit():
            return str(value)  # the service recorded the object's name (a document's number)
        return names.get((model, str(value)), str(_("(đã xóa)")))
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if choices is not None and str(value) in choices:
        return str(choices[str(value)])
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, str) and _ISO_DATE.match(value):
        return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%H:%M %d/%m/%Y")
    if isinstance(value, str) and _DECIMAL.match(value):
        return value.replace(".", ",")  # "90.00" is read 90,00 in Vietnamese
    return str(value)


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def describe(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Adds the display attributes to ``events``. Names of related objects mentioned in the
    changes (a new parent unit, say) are fetched with one query per related model."""
    events = list(events)
    wanted: dict[Any, set[str]] = {}
    for event in events:
        model = event.content_type.model_class() if event.content_type else None
        for name, pair in (event.changes or {}).items():
            field = _field(model, name)
            if field is not None and field.is_relation and field.related_model is not None:
                for value in pair if isinstance(pair, list) else []:
                    # A many-to-many change holds lists of ids.
                    for one in value if isinstance(value, list) else [value]:
                        if one not in (None, ""):
                            wanted.setdefault(field.related_model, set()).add(str(one))
    names: dict[tuple[Any, str], str] = {}
    for related, ids in wanted.items():
        valid = [i for i in ids if i.isdigit()]
        for obj in related._default_manager.filter(pk__in=valid):
            names[(related, str(obj.pk))] = str(obj)
    for event in events:
        model = event.content_type.model_class() if event.content_type else None
        model_key = model._meta.label_lower if model is not None else ""
        registered = CHANGE_LABELS.get(model_key, {})
        rows: list[ChangeRow] = []
        for name, pair in (event.changes or {}).items():
            field = _field(model, name)
            before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
            labelled = True
            if name in registered:
                label = str(registered[name])
            elif field is not None and not _is_default_verbose_name(field):
                label = str(field.verbose_name)
            else:
                label, labelled = name, False
            choices = CHANGE_CHOICES.get((model_key, name))
            rows.append(
                ChangeRow(
                    name,
                    label[:1].upper() + label[1:],
                    _display(before, field, names, choices),
                    _display(after, field, names, choices),
                    labelled,
                )
            )
        event.action_label = action_label(event.action)  # type: ignore[attr-defined]
        event.change_rows = rows  # type: ignore[attr-defined]
        event.object_url = _object_url(event)  # type: ignore[attr-defined]
    return events


def _object_url(event: AuditEvent) -> str:
    content_type = event.content_type
    if content_type is None or not event.object_id:
        return ""
    url_name = OBJECT_URL_NAMES.get(f"{content_type.app_label}.{content_type.model}")
    if url_name is None:
        return ""
    try:
        return reverse(url_name, args=[event.object_id])
    except NoReverseMatch:
        return ""


def events_for(obj: models.Model) -> QuerySet[AuditEvent]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return (
        AuditEvent.objects.filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("actor", "content_type")
        .order_by("-created_at", "-id")
    )


def timeline_for(obj: models.Model, *, limit: int = TIMELINE_LIMIT) -> list[AuditEvent]:
    """The newest ``limit`` events of ``obj``, described for ``core/_timeline.html``."""
    return describe(events_for(obj)[:limit])


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # part of the actor's name or username
    action: str = ""  # an action code, or its prefix ("unit." for every unit action)
    content_type: ContentType | None = None
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""  # words of the object's name or the event's message


def search(filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Events matching every given filter, newest first (for administrators only: the
    caller checks ``core.search_audit``)."""
    events: QuerySet[AuditEvent] = AuditEvent.objects.select_related("actor", "content_type").order_by(
        "-created_at", "-id"
    )
    if filters.actor:
        events = events.filter(
            Q(actor_name__icontains=filters.actor)
            | Q(actor__username__icontains=filters.actor)
            | Q(actor__full_name__icontains=filters.actor)
        )
    if filters.action:
        action = filters.action.strip()
        events = (
            events.filter(action__startswith=action) if action.endswith(".") else events.filter(action=action)
        )
    if filters.content_type is not None:
        events = events.filter(content_type=filters.content_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id.strip())
    events = within_days(events, "created_at", filters.date_from, filters.date_to)
    if filters.text:
        # The one search service (indexed, words by their start); the order stays newest
        # first, which the keyset pagination needs.
        events = text_search(events, filters.text)
    return events


def known_actions() -> list[tuple[str, str]]:
    """(code, label) of every action with a label, for the search form's choices."""
    return sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda pair: pair[1])


# v2: the first version cached one id per event (the DISTINCT kept the default order).
AUDITED_TYPES_CACHE = "core.audit.content_types.v2"


def audited_content_types() -> QuerySet[ContentType]:
    """Models that appear in the trail (for the search form's object-type choices). Finding
    them means a DISTINCT over the whole trail: done once an hour, not on every search (a
    model audited for the first time joins the list within the hour)."""
    used = cache.get(AUDITED_TYPES_CACHE)
    if used is None:
        used = sorted(
            # order_by(): the model's default order would join the DISTINCT and keep every row.
            AuditEvent.objects.exclude(content_type=None)
            .order_by()
            .values_list("content_type_id", flat=True)
            .distinct()
        )
        cache.set(AUDITED_TYPES_CACHE, used, 60 * 60)
    return ContentType.objects.filter(pk__in=used).order_by("app_label", "model")
