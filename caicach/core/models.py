"""Core data shared by every domain: organisation, people, calendar, audit, notifications,
document numbering and background jobs."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caicach.core import clock
from caicach.core.text import search_words


class UnitKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("UBND tỉnh/thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành tỉnh")
    OFFICE = "office", _("Văn phòng UBND")
    DISTRICT_COMMITTEE = "district_committee", _("UBND huyện/thị xã/thành phố (cũ)")
    DISTRICT_DIVISION = "district_division", _("Phòng, ban thuộc huyện")
    COMMUNE_COMMITTEE = "commune_committee", _("UBND xã/phường/đặc khu")
    COMMUNE_DIVISION = "commune_division", _("Phòng, ban thuộc xã/phường")
    OTHER = "other", _("Đơn vị khác")


class UnitQuerySet(models.QuerySet["Unit"]):
    def active_on(self, day: datetime.date) -> UnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def active(self) -> UnitQuerySet:
        return self.active_on(clock.today())


class FoldedSearchMixin:
    """Keeps ``search_text`` — the accent-free, lower-case text of SEARCH_SOURCE_FIELDS —
    in step with the row, so searches filter it in SQL. It is derived from this same row,
    not a write elsewhere, so save() may keep it; bulk_create and QuerySet.update() skip
    save() and must set it themselves (``build_search_text``)."""

    SEARCH_SOURCE_FIELDS: ClassVar[tuple[str, ...]] = ()
    search_text: str

    def build_search_text(self) -> str:
        return search_words(" ".join(str(getattr(self, name) or "") for name in self.SEARCH_SOURCE_FIELDS))

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) & set(self.SEARCH_SOURCE_FIELDS):
            self.search_text = self.build_search_text()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)  # type: ignore[misc]


class Unit(FoldedSearchMixin, models.Model):
    """An organisation unit: a committee, a department, a commune, a district's division.

    Units are never deleted: a unit merged away gets ``valid_to`` and a ``successor`` so its
    history stays and reports roll up to the unit that took it over (the 2025 reform)."""

    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    # Decree 30 header and number: "ỦY BAN NHÂN DÂN / HUYỆN CHÂU THÀNH", "Số: 05/KH-UBND",
    # "Châu Thành, ngày ...".
    document_symbol = models.CharField(_("ký hiệu trên văn bản"), max_length=32, blank=True)
    place_name = models.CharField(_("địa danh ghi trên văn bản"), max_length=64, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Code, name and short name folded (caicach.core.text.fold), so the list searches in SQL,
    # accent- and case-blind alike on SQLite and PostgreSQL.
    search_text = models.TextField(default="", blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    SEARCH_SOURCE_FIELDS: ClassVar[tuple[str, ...]] = ("code", "name", "short_name")

    class Meta:
        ordering: ClassVar[list[str]] = ["code"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["kind", "code"]),
            models.Index(fields=["parent"]),
            models.Index(fields=["search_text"], name="unit_search_text_idx"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
            models.CheckConstraint(condition=~Q(successor=models.F("id")), name="unit_not_own_successor"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    @property
    def is_active(self) -> bool:
        return self.is_active_on(clock.today())


class UnitAncestry(models.Model):
    """The unit tree as a closure table: one row for every unit and each of its ancestors,
    itself included at depth 0 (a commune under a district under the province has three).

    "Everything under these committees" is then one indexed semi-join —
    ``unit_id IN (SELECT descendant_id ... WHERE ancestor_id IN (...))`` — instead of
    thousands of ids inlined into every visibility query. The rows are kept by database
    triggers on ``core_unit`` (migration 0007): a unit inserted, by a service, an import, a
    fixture or ``bulk_create``, or moved under another parent updates them in the same
    statement, so no write path can leave them stale. Nothing writes them from Python."""

    # The two composite indexes below serve both directions; single-column ones would be waste.
    ancestor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    descendant = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="ancestry", db_index=False)
    depth = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("quan hệ cấp trên - cấp dưới")
        verbose_name_plural = _("quan hệ cấp trên - cấp dưới")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="unit_ancestry_pair"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["descendant", "depth"], name="unit_ancestry_up_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ancestor_id} → {self.descendant_id} ({self.depth})"


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    REFORM_OFFICER = "reform_officer", _("Chuyên viên CCHC (Sở Nội vụ)")
    OFFICE_OFFICER = "office_officer", _("Chuyên viên Văn phòng UBND")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    UNIT_STAFF = "unit_staff", _("Cán bộ, công chức đơn vị")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng sáng kiến")
    COMMITTEE_MEMBER = "committee_member", _("Thành viên UBND")
    LEADER = "leader", _("Lãnh đạo UBND (Chủ tịch, Phó Chủ tịch)")
    # The Chairman also leads the committee (everything a LEADER may, he may), and his pages
    # open on the committee's whole program rather than on the items he supervises.
    CHAIRMAN = "chairman", _("Chủ tịch UBND")


class User(FoldedSearchMixin, AbstractUser):
    """A civil servant. ``unit`` is where they work; what they may do comes from memberships."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    qualification = models.CharField(_("trình độ chuyên môn"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    # Username, full name and email folded, for the directory's search in SQL.
    search_text = models.TextField(default="", blank=True, editable=False)

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    REQUIRED_FIELDS: ClassVar[list[str]] = ["email", "full_name"]
    SEARCH_SOURCE_FIELDS: ClassVar[tuple[str, ...]] = ("username", "full_name", "email")

    class Meta:
        ordering: ClassVar[list[str]] = ["full_name", "username"]
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["search_text"], name="user_search_text_idx"),
            # The directory's order: a country's 60,000 users were sorted for every page.
            models.Index(fields=["full_name", "username"], name="user_name_order_idx"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # "NguyenVanA" and "nguyenvana" are one person to the people typing them in: the
            # service checks first, this catches two creations racing past that check.
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_ci_unique",
                violation_error_message=_("Tên đăng nhập này đã được dùng."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """A user's role in a unit. One user may hold several (head of a division and a council
    member, say)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["user_id", "unit_id", "role"]
        verbose_name = _("vai trò tại đơn vị")
        verbose_name_plural = _("vai trò tại đơn vị")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class ReformField(models.Model):
    """A field of administrative reform (lĩnh vực CCHC)."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(_("lĩnh vực"), max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "code"]
        verbose_name = _("lĩnh vực CCHC")
        verbose_name_plural = _("lĩnh vực CCHC")

    def __str__(self) -> str:
        return self.name


class ReformIndex(models.Model):
    """An index the reform aims to improve: PAR INDEX, SIPAS, PAPI, PCI, ICT/DTI."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(_("chỉ số"), max_length=255)
    publisher = models.CharField(_("cơ quan công bố"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "code"]
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")

    def __str__(self) -> str:
        return self.code


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "off", _("Ngày nghỉ")
    WORKING_DAY = "working", _("Ngày làm việc (làm bù)")


class CalendarDay(models.Model):
    """A day whose status the Government's yearly notice sets against the plain rules:
    swapped days off (Tết, National Day bridges) and make-up Saturdays. The statutory
    holidays themselves come from the ``holidays`` package."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=CalendarDayKind.choices)
    description = models.CharField(_("nội dung"), max_length=255)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["date"]
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk edits of the trail are refused in code; on PostgreSQL a trigger refuses them in
    the database too (migration 0002)."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(FoldedSearchMixin, models.Model):
    """One change made through a service. Append-only: no code path updates or deletes it."""

    # Written once, with the event (the mixin fills it on insert): the search page's text.
    SEARCH_SOURCE_FIELDS = ("object_repr", "message")

    # The service's clock (caicach.core.clock): the demo's replayed events carry their dates.
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            models.Index(fields=["actor", "created_at"]),
            # The search page's order and its keyset cursor (created_at, id), newest first.
            models.Index(fields=["-created_at", "-id"], name="audit_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class Notification(models.Model):
    """An inbox message; email copies are sent by a background task."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self) -> str:
        return self.title


class DocumentType(models.TextChoices):
    """Decree 30/2020, Annex III: abbreviations of administrative document types."""

    DECISION = "QĐ", _("Quyết định")
    PLAN = "KH", _("Kế hoạch")
    PROGRAM = "CTr", _("Chương trình")
    SUBMISSION = "TTr", _("Tờ trình")
    REPORT = "BC", _("Báo cáo")
    NOTICE = "TB", pgettext_lazy("document type", "Thông báo")
    INVITATION = "GM", _("Giấy mời")
    MINUTES = "BB", _("Biên bản")
    OFFICIAL_LETTER = "CV", _("Công văn")
    CERTIFICATE = "GCN", _("Giấy chứng nhận")
    RECEIPT = "GBN", _("Giấy biên nhận")


class NumberSequence(models.Model):
    """The last number issued per issuing unit, document type and year (numbers restart on
    1 January, Decree 30/2020 Art. 15). Row-locked while a number is taken."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(max_length=8, choices=DocumentType.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["unit_id", "year", "document_type"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["unit", "document_type", "year"], name="number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.document_type}/{self.year}: {self.last_number}"


class RegisteredDocument(models.Model):
    """The register of issued documents (sổ đăng ký văn bản đi): one row per number."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    document_type = models.CharField(_("loại văn bản"), max_length=8, choices=DocumentType.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=64)
    title = models.CharField(_("trích yếu"), max_length=500)
    issued_on = models.DateField(_("ngày ban hành"))
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-year", "unit_id", "document_type", "-number"]
        verbose_name = _("văn bản đã cấp số")
        verbose_name_plural = _("sổ đăng ký văn bản")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["unit", "document_type", "year", "number"], name="registered_document_unique"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["content_type", "object_id"]),
            # The register's page order (newest numbers first): page 1 reads the index's head.
            models.Index(fields=["-issued_on", "-id"], name="register_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """'05/KH-UBND': the number with a leading zero below 10 (Decree 30/2020, Annex I)."""
        from caicach.core.document_numbers import reference

        return reference(self.number, self.symbol)


class IssuedDocumentFields(models.Model):
    """What every record issued as a numbered, signed document keeps (a meeting's invitation,
    an urging notice, a periodic report…): its number in the register, the day, who signed
    and how the signature block read, the recipients, and the DOCX frozen when issued (a path
    in default storage). Whoever signs approves: ``signer`` is the person, the three texts
    are the block as printed."""

    registered_document = models.OneToOneField(
        RegisteredDocument,
        verbose_name=_("số văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    signer = models.ForeignKey(
        User, verbose_name=_("người ký"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    document_file = models.CharField(_("tệp văn bản đã ban hành"), max_length=500, blank=True)

    class Meta:
        abstract = True


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class Job(models.Model):
    """A long-running background job the user can watch (bulk documents, imports)."""

    kind = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result_file = models.CharField(max_length=500, blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    # What the user must fix when the job refused its input: [{"row": 3, "message": "…"}].
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="jobs")
    created_at = models.DateTimeField(auto_now_add=True)
    # A worker killed mid-run cannot say so: the running job proves it is alive by touching
    # ``heartbeat_at`` (with every progress report), and ``attempt`` numbers the runs so a
    # worker that was given up on cannot write over the run that replaced it.
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["created_by", "created_at"]),
            # The watch for interrupted jobs reads the few running rows, never the history.
            models.Index(
                fields=["heartbeat_at"], condition=models.Q(status="running"), name="job_running_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0


class LoginFailure(models.Model):
    """A failed login, kept to lock out guessing (per username and per client address)."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["ip_address", "created_at"])]

    def __str__(self) -> str:
        return f"{self.username} {self.created_at:%d/%m/%Y %H:%M}"


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app when the phone is lost. Only
    a SHA-256 digest is kept: the code is shown once, at enrolment, and the digest cannot be
    turned back into it. A fast hash suffices because the codes are 80 random bits, not
    passwords a person chose."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["user", "created_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%d/%m/%Y %H:%M}"


class KnownLoginAddress(models.Model):
    """A client address an account has signed in from (password accepted): attempts from
    such an (address, account) pair are throttled by their own failures only, so failures
    elsewhere cannot lock the owner out (see ``caicach.core.accounts.throttle``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    ip_address = models.GenericIPAddressField()
    last_success_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-last_success_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "ip_address"], name="known_login_address_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.ip_address}"


class SecurityKind(models.TextChoices):
    LOGIN_FAILED = "auth.failed", _("Đăng nhập sai")
    LOGIN_THROTTLED = "auth.throttled", _("Đăng nhập bị từ chối do phải chờ")
    LOGIN_LOCKED = "auth.locked", _("Tạm chặn đăng nhập")
    LOGIN_UNLOCKED = "auth.unlocked", _("Mở khóa đăng nhập")
    LOGIN_CHALLENGE_FAILED = "auth.challenge_failed", _("Đăng nhập bị từ chối do nhập sai ký tự trong hình")
    ACCESS_DENIED = "access.denied", _("Truy cập bị từ chối")
    ACTION_DENIED = "action.denied", _("Thao tác bị từ chối")
    PERSONAL_DATA_EXPORT = "export.personal_data", _("Xuất dữ liệu cá nhân")
    MFA_ENROLLED = "mfa.enrolled", _("Đăng ký xác thực hai bước")
    MFA_VERIFIED = "mfa.verified", _("Xác thực hai bước thành công")
    MFA_FAILED = "mfa.failed", _("Xác thực hai bước thất bại")
    MFA_RECOVERY_USED = "mfa.recovery_used", _("Dùng mã khôi phục")
    MFA_RESET = "mfa.reset", _("Đặt lại xác thực hai bước")
    API_TOKEN_CREATED = "api.token_created", _("Tạo mã truy cập API")
    API_TOKEN_REVOKED = "api.token_revoked", _("Thu hồi mã truy cập API")
    API_TOKEN_USED = "api.token_used", _("Dùng mã truy cập API")
    API_TOKEN_REFUSED = "api.token_refused", _("Mã truy cập API bị từ chối")


class SecurityEventQuerySet(models.QuerySet["SecurityEvent"]):
    """No bulk edits; the one delete is the retention purge (``purge_expired``), which the
    PostgreSQL trigger of migration 0017 also limits to rows past the retention floor."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Security events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Security events are append-only; only the retention purge deletes.")

    def purge_expired(self, before: datetime.datetime) -> int:
        """Delete the events older than ``before`` (the daily retention purge)."""
        return models.QuerySet.delete(self.filter(created_at__lt=before))[0]


class SecurityEvent(FoldedSearchMixin, models.Model):
    """One security-relevant fact: a failed or throttled login, a lockout, a refused access,
    an export of personal data, an MFA step. Kept apart from the audit trail (which records
    changes) and from the login counters (which are cleared): append-only, kept
    SECURITY_LOG_RETENTION_DAYS, searched by system administrators."""

    SEARCH_SOURCE_FIELDS = ("username", "object_repr", "path")

    created_at = models.DateTimeField(default=clock.now)
    kind = models.CharField(max_length=32, choices=SecurityKind.choices)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # As typed at the login form (or the user's name when signed in): kept when the account
    # is deleted, and for names that match no account.
    username = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        verbose_name = _("nhật ký an ninh")
        verbose_name_plural = _("nhật ký an ninh")
        indexes: ClassVar[list[models.Index]] = [
            # The search page's order and keyset cursor, and the purge's range.
            models.Index(fields=["-created_at", "-id"], name="security_newest_idx"),
            models.Index(fields=["kind", "created_at"], name="security_kind_idx"),
            models.Index(fields=["ip_address", "created_at"], name="security_ip_idx"),
            models.Index(fields=["user", "created_at"], name="security_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.kind} {self.username}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Security events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Security events are append-only.")


class FormToken(models.Model):
    """A create form's one-time token, recorded by the POST that used it, in the transaction
    that created the record: the unique token makes a second POST of the same form (a double
    click, a resent page, two workers racing) find the first one's result instead of creating
    a second record. See ``caicach.core.once``."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    used_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-used_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.used_at:%d/%m/%Y %H:%M}"


class CommitteeSettings(models.Model):
    """What a committee sets differently for one app: one row per committee (each subclass
    declares its own ``unit`` one-to-one and its fields with their defaults); a committee that
    has set nothing reads the defaults from an unsaved row (``of``), so no reader ever needs
    the row to exist."""

    unit_id: int

    class Meta:
        abstract = True

    @classmethod
    def of(cls, unit: Unit | int) -> Self:
        unit_id = unit if isinstance(unit, int) else unit.pk
        found = cls._default_manager.filter(unit_id=unit_id).first()
        return found if found is not None else cls(unit_id=unit_id)
