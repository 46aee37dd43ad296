"""The REST API, version 1: ``/api/v1/``, its OpenAPI schema at ``/api/v1/openapi.json`` and
a documentation page for signed-in officials at ``/api/v1/docs``. One router per domain app;
every read goes through the app's query twins and every write through its services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI
from ninja.openapi.views import openapi_json
from ninja.renderers import JSONRenderer

from caicach.api import errors
from caicach.api.routers import (
    core,
    deliberation,
    initiatives,
    oversight,
    replication,
    showcase,
    workprogram,
)

DESCRIPTION = """API của hệ thống Cải cách cho các hệ thống khác của tỉnh (QLVB&ĐH, báo cáo...).

- Xác thực: `Authorization: Bearer <mã truy cập>` (tạo tại trang “Mã truy cập API”), hoặc phiên
  đăng nhập của trình duyệt (kèm mã CSRF với POST).
- Phạm vi của mã: đọc hoặc ghi theo từng phân hệ (`workprogram:write`, `replication:read`...).
- Danh sách: phân trang bằng con trỏ (`next_cursor`), tối đa 100 dòng mỗi trang.
- Ngày theo ISO 8601; tỷ lệ là số thập phân (0.857 = 85,7%).
- Ghi: `If-Match: <version>` khi sửa (409 khi dữ liệu đã đổi); `Idempotency-Key` để gửi lại an toàn.
- Dữ liệu công khai (`/showcase/`: mô hình được công khai, sáng kiến được công nhận) không cần
  xác thực; giới hạn số yêu cầu mỗi phút theo địa chỉ máy gọi.
- Lỗi luôn có dạng `{code, message, fields}`, thông báo tiếng Việt.
"""


class Utf8Renderer(JSONRenderer):
    """Vietnamese as text, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


def _docs_for_staff(view: Any) -> Any:
    """The documentation page is for signed-in officials; the schema itself stays public
    (it describes shapes, holds no data), so an integration's tooling can read it."""
    if getattr(view, "func", None) is openapi_json:
        return view
    return login_required(view)


api = NinjaAPI(
    title="Cải cách API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    renderer=Utf8Renderer(),
    docs_url="/docs",
    docs_decorator=_docs_for_staff,
)
errors.install(api)
api.add_router("/core", core.router)
api.add_router("/initiatives", initiatives.router)
api.add_router("/workprogram", workprogram.router)
api.add_router("/replication", replication.router)
api.add_router("/deliberation", deliberation.router)
api.add_router("/oversight", oversight.router)
api.add_router("/showcase", showcase.router)
