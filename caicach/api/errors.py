"""The API's one error shape, ``{code, message, fields}``, in Vietnamese, for every refusal:
bad input (400/422), no or bad credentials (401), a scope or rule that refuses (403), an
object outside one's scope or absent (404), a stale version or a reused idempotency key
(409), too many requests (429)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from caicach.core.units.services import RowError

logger = logging.getLogger(__name__)


class Error(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "code": "stale",
                    "message": "Dữ liệu đã được người khác thay đổi trong lúc bạn sửa.",
                    "fields": {},
                }
            ]
        }
    }


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.retry_after = retry_after


# The responses every operation may give besides its own (listed in the schema, so a client
# and the schemathesis suite know them).
COMMON_ERRORS: dict[int, type[Error]] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    422: Error,
    429: Error,
}
WRITE_ERRORS: dict[int, type[Error]] = {**COMMON_ERRORS, 409: Error}


def rows_refused(errors: Iterable[RowError], message: str) -> ApiError:
    """An import refused for its rows: each row's messages under ``rows.N`` (N as the client
    numbered its rows, from 1), a file-level one under ``rows``."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(f"rows.{error.row}" if error.row else "rows", []).append(error.message)
    return ApiError(400, "import_rows", message, fields)


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("Không tìm thấy dữ liệu, hoặc bạn không có quyền xem."))


def _field_messages(error: DjangoValidationError) -> tuple[str, dict[str, list[str]]]:
    if hasattr(error, "error_dict"):
        fields = {
            ("" if name == "__all__" else name): [str(m) for m in messages]
            for name, messages in error.message_dict.items()
        }
        general = fields.pop("", [])
        message = general[0] if general else _("Dữ liệu gửi lên chưa hợp lệ. Xem chi tiết từng trường.")
        return message, fields
    return "; ".join(str(m) for m in error.messages), {}


_PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("Thiếu giá trị bắt buộc."),
    "extra_forbidden": gettext_lazy("Trường không được phép."),
    "json_invalid": gettext_lazy("Nội dung JSON không hợp lệ."),
}


def render(request: HttpRequest, api: NinjaAPI, error: ApiError) -> HttpResponse:
    response = api.create_response(
        request, {"code": error.code, "message": error.message, "fields": error.fields}, status=error.status
    )
    if error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    return response


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``."""

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return render(request, api, exc)

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for item in exc.errors:
            # ("body", "payload", "lines", 0, "status") -> "lines.0.status"; the request part
            # and the parameter's own name are noise for a client.
            loc = [str(part) for part in item.get("loc", ())]
            if loc and loc[0] in ("body", "query", "path", "header"):
                loc = loc[1:]
            if len(loc) > 1 and loc[0] in ("payload", "filters"):
                loc = loc[1:]
            name = ".".join(loc) or "_"
            kind = str(item.get("type", ""))
            text = _PYDANTIC_MESSAGES.get(kind) or _("Giá trị không hợp lệ.")
            fields.setdefault(name, []).append(str(text))
        return render(request, api, ApiError(422, "invalid", _("Dữ liệu gửi lên không hợp lệ."), fields))

    @api.exception_handler(DjangoValidationError)
    def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        message, fields = _field_messages(exc)
        codes = {getattr(exc, "code", None)}
        if hasattr(exc, "error_list"):
            codes |= {e.code for e in exc.error_list}
        if "stale" in codes:
            return render(request, api, ApiError(409, "stale", message, fields))
        return render(request, api, ApiError(400, "refused", message, fields))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return render(request, api, not_found())

    @api.exception_handler(PermissionDenied)
    def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("Bạn không có quyền thực hiện thao tác này.")
        return render(request, api, ApiError(403, "forbidden", message))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return render(
            request,
            api,
            ApiError(
                401,
                "unauthenticated",
                _("Vui lòng đăng nhập hoặc gửi mã truy cập (Authorization: Bearer <mã>)."),
            ),
        )

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if status == 403:  # the session's CSRF check
            error = ApiError(403, "csrf", _("Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF)."))
        elif status == 401:
            error = ApiError(401, "unauthenticated", _("Vui lòng đăng nhập hoặc gửi mã truy cập."))
        else:
            error = ApiError(status, "bad_request", _("Yêu cầu không hợp lệ."))
        return render(request, api, error)

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error("API error: %s", request.path, exc_info=exc)
        return render(request, api, ApiError(500, "server_error", _("Lỗi hệ thống. Vui lòng thử lại sau.")))
