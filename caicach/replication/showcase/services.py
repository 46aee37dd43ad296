"""The public read counter of a practice ("Số lượt đọc").

Anonymous and not an act of anybody: no authorize(), no audit event (a page view is not a
change anybody made). A reader counts once a day: the unique PracticeRead row is inserted
first and only if it went in is the counter incremented in the database (F() + 1), so
concurrent readers never lose an increment and a reader's concurrent requests count once."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from caicach.core import clock
from caicach.replication.models import Practice, PracticeRead

# Crawlers, link previewers and monitoring tools that announce themselves; not exhaustive
# (a bot lying about itself is counted like a person), just the ones that read every page
# every day and would make the counter meaningless.
_BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|embedly|preview|monitor|pingdom|uptime|"
    r"curl|wget|python-requests|httpx|headless|lighthouse|zalo.*(link|crawler)",
    re.IGNORECASE,
)
# Browsers' speculative loads: the person may never see the page.
_PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_MOZ", "HTTP_X_PURPOSE")


def is_countable(request: HttpRequest) -> bool:
    if request.method != "GET":
        return False  # HEAD and the rest read no page
    if any("prefetch" in request.META.get(name, "").lower() for name in _PREFETCH_HEADERS):
        return False
    agent = request.META.get("HTTP_USER_AGENT", "")
    return bool(agent) and not _BOT_AGENTS.search(agent)


def reader_key(request: HttpRequest) -> str:
    """A keyed hash of who reads: the session if there is one, else the address and the
    browser; the address itself is never stored, and without the secret the hash cannot be
    turned back into it by trying every address."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        source = f"s:{session_key}"
    else:
        source = f"a:{request.META.get('REMOTE_ADDR', '')}|{request.META.get('HTTP_USER_AGENT', '')}"
    return hmac.new(settings.SECRET_KEY.encode(), source.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def count_read(*, practice: Practice, reader: str) -> bool:
    """Count ``reader`` for ``practice`` today; True if this read counted (the first of the
    day), False if the reader was already counted today."""
    try:
        with transaction.atomic():  # a savepoint: the duplicate leaves the outer block usable
            PracticeRead.objects.create(practice=practice, reader=reader, day=clock.today())
    except IntegrityError:
        return False
    Practice.objects.filter(pk=practice.pk).update(read_count=F("read_count") + 1)
    return True


def count_request(*, practice: Practice, request: HttpRequest) -> bool:
    if not is_countable(request):
        return False
    return count_read(practice=practice, reader=reader_key(request))
