"""Login throttling without denial of service: how long an attempt must wait before its
password is checked, and when it must first pass an image challenge.

The old rule locked an account for 15 minutes after 5 failures, whoever made them, and an
address after 20: anyone could lock a known account out, owner included, and one office
behind NAT could lock itself out. Here failures (``LoginFailure`` rows, the counters; the
security log keeps every failure separately and for good) slow attempts down instead:

- **Per (address, account) pair.** After LOGIN_FREE_FAILURES_PER_PAIR failures from one
  address for one account, each further failure doubles the wait before the next attempt
  from there is checked (LOGIN_DELAY_BASE_SECONDS, then 2×, 4×…, at most
  LOGIN_DELAY_MAX_SECONDS). A password accepted from the pair clears its failures.
- **Per account, for unknown pairs only.** A pair is *known* once the account has signed in
  from that address (``KnownLoginAddress``). Attempts from unknown pairs also meet the
  account's failures from every address (LOGIN_FREE_FAILURES_PER_ACCOUNT free), so a guesser
  spreading over many addresses gains nothing; the owner at a usual address meets only the
  failures made there, so an attacker elsewhere cannot lock them out.
- **Per address, for clearly abusive rates only.** LOGIN_MAX_FAILURES_PER_IP failures from
  one address within LOGIN_IP_WINDOW_MINUTES (across accounts) block it for unknown pairs
  until the rate falls. Twenty colleagues behind one NAT address mistyping once or twice
  are far below it, and each of them is a known pair anyway.

Failures count within LOGIN_THROTTLE_WINDOW_MINUTES (a day by default: at the longest wait an
attacker gets about a hundred guesses a day per account). An attempt made during a wait is
refused without checking the password and is not counted, so waiting never grows the wait.
An administrator can clear an account's or an address's failures (the user's page).

**Delays, then a challenge.** Once an account has LOGIN_CHALLENGE_AFTER_FAILURES failures in
the window (its waits have grown to about 16 s), an attempt from an unknown pair must also
read the characters of an image drawn by the server (django-simple-captcha, no outside
service: offices may be offline). The challenge stands in for the account's wait: a solved
one lets the password be checked at once, so the owner travelling, or a new colleague at a
new desk, is not kept waiting by someone else's guesses, while a script that cannot read the
image gets nowhere. A missing or wrong answer is refused before the password is checked,
logged, and not counted. The pair's own wait and the address block still apply first: a
solved image never speeds up guessing from one address. A known pair never sees the
challenge. (A challenge rendered as text, arithmetic say, would be solved by the same
scripts that guess passwords: the image is the least that asks for a person.)

Names that match no account are throttled exactly as real ones, so the answer says nothing
about which accounts exist."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils.translation import ngettext

from caicach.core import clock
from caicach.core.accounts.queries import normalise_username
from caicach.core.models import KnownLoginAddress, LoginFailure, User

PAIR, ACCOUNT, ADDRESS = "pair", "account", "address"


@dataclass(frozen=True)
class Verdict:
    wait: int  # seconds before an attempt will be checked; 0: now
    scope: str = ""  # which counter imposes the wait: PAIR, ACCOUNT or ADDRESS
    failures: int = 0  # that counter's failures

    @property
    def starts_lock(self) -> bool:
        """True right after the failure that started this wait (the lockout to log)."""
        threshold = {
            PAIR: settings.LOGIN_FREE_FAILURES_PER_PAIR,
            ACCOUNT: settings.LOGIN_FREE_FAILURES_PER_ACCOUNT,
            ADDRESS: settings.LOGIN_MAX_FAILURES_PER_IP,
        }
        return bool(self.wait) and self.failures == threshold.get(self.scope)


def delay_after(failures: int, free: int) -> int:
    """Seconds to wait after ``failures`` failures of which ``free`` cost nothing."""
    if failures < free:
        return 0
    return int(
        min(
            settings.LOGIN_DELAY_BASE_SECONDS * 2 ** min(failures - free, 30),
            settings.LOGIN_DELAY_MAX_SECONDS,
        )
    )


def window_start() -> datetime.datetime:
    return clock.now() - datetime.timedelta(minutes=settings.LOGIN_THROTTLE_WINDOW_MINUTES)


def address_window_start() -> datetime.datetime:
    return clock.now() - datetime.timedelta(minutes=settings.LOGIN_IP_WINDOW_MINUTES)


def is_known_pair(*, username: str, ip_address: str | None) -> bool:
    if not ip_address:
        return False
    return KnownLoginAddress.objects.filter(
        ip_address=ip_address, user__username__iexact=normalise_username(username)
    ).exists()


def challenge_required(*, username: str, ip_address: str | None) -> bool:
    """Whether an attempt for ``username`` from ``ip_address`` must pass the image challenge:
    from an unknown pair, once the account's failures reach LOGIN_CHALLENGE_AFTER_FAILURES.
    At most two small indexed queries."""
    threshold = settings.LOGIN_CHALLENGE_AFTER_FAILURES
    if threshold <= 0:
        return False
    name = normalise_username(username)
    if is_known_pair(username=name, ip_address=ip_address):
        return False
    failures = LoginFailure.objects.filter(username=name, created_at__gt=window_start())
    return failures.count() >= threshold


def _progressive(failures: QuerySet[LoginFailure], free: int, scope: str) -> Verdict:
    found = failures.aggregate(count=Count("pk"), last=Max("created_at"))
    count, last = found["count"], found["last"]
    delay = delay_after(count, free)
    if not delay or last is None:
        return Verdict(0, scope, count)
    wait = math.ceil((last + datetime.timedelta(seconds=delay) - clock.now()).total_seconds())
    return Verdict(max(0, wait), scope, count)


def _address_block(ip_address: str) -> Verdict:
    limit = settings.LOGIN_MAX_FAILURES_PER_IP
    if limit <= 0:
        return Verdict(0, ADDRESS)
    times = list(
        LoginFailure.objects.filter(ip_address=ip_address, created_at__gt=address_window_start())
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(times) < limit:
        return Verdict(0, ADDRESS, len(times))
    # Blocked until the oldest of the last ``limit`` failures leaves the window.
    until = times[-1] + datetime.timedelta(minutes=settings.LOGIN_IP_WINDOW_MINUTES)
    return Verdict(max(1, math.ceil((until - clock.now()).total_seconds())), ADDRESS, len(times))


def verdict(*, username: str, ip_address: str | None, challenged: bool = False) -> Verdict:
    """How long an attempt for ``username`` from ``ip_address`` must wait (the longest of the
    counters that apply to it). ``challenged``: the attempt meets the image challenge, which
    takes the place of the account's wait. At most four small indexed queries."""
    name = normalise_username(username)
    known = is_known_pair(username=name, ip_address=ip_address)
    recent = LoginFailure.objects.filter(username=name, created_at__gt=window_start())
    verdicts = [
        _progressive(recent.filter(ip_address=ip_address), settings.LOGIN_FREE_FAILURES_PER_PAIR, PAIR)
    ]
    if not known:
        if not challenged:
            verdicts.append(_progressive(recent, settings.LOGIN_FREE_FAILURES_PER_ACCOUNT, ACCOUNT))
        if ip_address:
            verdicts.append(_address_block(ip_address))
    return max(verdicts, key=lambda found: found.wait)


def wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext(
            "Vui lòng thử lại sau %(count)d giây.", "Vui lòng thử lại sau %(count)d giây.", seconds
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Vui lòng thử lại sau %(count)d phút.", "Vui lòng thử lại sau %(count)d phút.", minutes
    ) % {"count": minutes}


@dataclass(frozen=True)
class AddressFailures:
    ip_address: str | None
    failures: int
    last_at: datetime.datetime
    blocked: bool  # at the hard per-address limit


def recent_failures_of(person: User, *, limit: int = 10) -> list[AddressFailures]:
    """The addresses that failed to sign in as ``person`` within the window, most recent
    first, and whether each is blocked outright (the user's page, for the unlock buttons).
    Two queries."""
    rows = list(
        LoginFailure.objects.filter(
            username=normalise_username(person.get_username()), created_at__gt=window_start()
        )
        .values("ip_address")
        .annotate(failures=Count("pk"), last_at=Max("created_at"))
        .order_by("-last_at")[:limit]
    )
    addresses = [row["ip_address"] for row in rows if row["ip_address"]]
    per_address = dict(
        LoginFailure.objects.filter(ip_address__in=addresses, created_at__gt=address_window_start())
        .values("ip_address")
        .annotate(failures=Count("pk"))
        .values_list("ip_address", "failures")
    )
    limit_per_ip = settings.LOGIN_MAX_FAILURES_PER_IP
    return [
        AddressFailures(
            ip_address=row["ip_address"],
            failures=row["failures"],
            last_at=row["last_at"],
            blocked=per_address.get(row["ip_address"], 0) >= limit_per_ip > 0,
        )
        for row in rows
    ]
