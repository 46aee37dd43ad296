"""Login throttling: growing waits per (address, account) pair and per account for unknown
addresses, a hard block only for abusive addresses, the owner at their usual address never
locked out by someone else, an office behind one NAT address never locked out, and the
administrator's unlock."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from captcha.models import CaptchaStore
from django.test import Client
from django.urls import reverse

from caicach.core import clock
from caicach.core.accounts import services, throttle
from caicach.core.models import AuditEvent, KnownLoginAddress, LoginFailure, Role, SecurityEvent, SecurityKind
from tests.conftest import PASSWORD, Org, People
from tests.core.factories import person
from tests.core.test_content_security_policy import directives, offences

pytestmark = pytest.mark.django_db

OWNER_IP, ATTACKER_IP, OFFICE_IP = "198.51.100.10", "203.0.113.66", "192.0.2.1"


def _login(client: Client, username: str, password: str, ip: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _later(seconds: float) -> Any:
    return clock.travel_to(clock.now() + datetime.timedelta(seconds=seconds))


def _owner_known_at(client: Client, ip: str) -> None:
    assert _login(client, "canbo", PASSWORD, ip).status_code == 302
    client.logout()


def test_an_attacker_failing_50_times_does_not_stop_the_owner_at_their_usual_address(
    people: People,
) -> None:
    owner, attacker = Client(), Client()
    _owner_known_at(owner, OWNER_IP)
    for _ in range(50):
        _login(attacker, "canbo", "doan-mo", ATTACKER_IP)
    # The attacker now waits, even with the right password…
    refused = _login(attacker, "canbo", PASSWORD, ATTACKER_IP)
    assert not _signed_in(attacker)
    assert "Vui lòng thử lại sau" in refused.content.decode()
    # …while the owner at their usual address signs in at once.
    assert _login(owner, "canbo", PASSWORD, OWNER_IP).status_code == 302
    assert _signed_in(owner)


def test_a_guesser_spread_over_many_addresses_still_meets_the_accounts_wait(people: People) -> None:
    owner = Client()
    _owner_known_at(owner, OWNER_IP)
    for n in range(40):
        LoginFailure.objects.create(username="canbo", ip_address=f"203.0.113.{n + 1}", created_at=clock.now())
    # A new address (attacker or not) waits for the account's failures…
    stranger = Client()
    _login(stranger, "canbo", PASSWORD, "203.0.113.200")
    assert not _signed_in(stranger)
    # …but not the owner's usual one.
    _login(owner, "canbo", PASSWORD, OWNER_IP)
    assert _signed_in(owner)


def test_twenty_colleagues_behind_one_nat_address_each_mistyping_twice_all_sign_in(org: Org) -> None:
    names = [f"nv{n:02d}" for n in range(20)]
    for name in names:
        person(name, org.commune, Role.UNIT_STAFF)
    for name in names:
        client = Client()
        for _ in range(2):
            response = _login(client, name, "go-nham", OFFICE_IP)
            assert "Vui lòng thử lại" not in response.content.decode()
        assert _login(client, name, PASSWORD, OFFICE_IP).status_code == 302, name
        assert _signed_in(client)


def test_an_abusive_address_is_blocked_for_accounts_that_never_signed_in_from_it(
    org: Org, people: People, settings: Any
) -> None:
    assert settings.LOGIN_MAX_FAILURES_PER_IP == 100  # the default: a clearly abusive rate
    regular = Client()
    _login(regular, "cvnoivu", PASSWORD, ATTACKER_IP)  # a known pair at that address
    regular.logout()
    robot = Client()
    for n in range(100):
        _login(robot, f"khong-co-{n}", "doan-mo", ATTACKER_IP)
    response = _login(Client(), "canbo", PASSWORD, ATTACKER_IP)
    assert "Vui lòng thử lại sau" in response.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityKind.LOGIN_LOCKED, detail__scope="address").count() == 1
    # The same account from elsewhere, and a known pair at that address, are not blocked.
    assert _login(Client(), "canbo", PASSWORD, OWNER_IP).status_code == 302
    assert _login(regular, "cvnoivu", PASSWORD, ATTACKER_IP).status_code == 302
    # The block lifts when the rate falls.
    with _later(11 * 60):
        assert _login(Client(), "canbo", PASSWORD, ATTACKER_IP).status_code == 302


def test_the_wait_doubles_with_each_failure_past_the_free_ones(people: People, settings: Any) -> None:
    settings.LOGIN_FREE_FAILURES_PER_PAIR = 3
    settings.LOGIN_DELAY_BASE_SECONDS = 2
    waits = []
    for _ in range(7):
        services.login_failure_record(username="canbo", ip_address=OWNER_IP)
        waits.append(throttle.verdict(username="canbo", ip_address=OWNER_IP).wait)
    assert waits == [0, 0, 2, 4, 8, 16, 32]
    assert throttle.delay_after(50, 3) == settings.LOGIN_DELAY_MAX_SECONDS  # capped


def test_an_attempt_during_the_wait_is_refused_unchecked_and_not_counted(people: People) -> None:
    client = Client()
    for _ in range(3):
        _login(client, "canbo", "sai", OWNER_IP)
    counted = LoginFailure.objects.count()
    response = _login(client, "canbo", PASSWORD, OWNER_IP)
    assert not _signed_in(client)
    assert "Vui lòng thử lại sau" in response.content.decode()
    assert LoginFailure.objects.count() == counted
    assert SecurityEvent.objects.filter(kind=SecurityKind.LOGIN_THROTTLED).count() == 1
    with _later(throttle.verdict(username="canbo", ip_address=OWNER_IP).wait + 1):
        assert _login(client, "canbo", PASSWORD, OWNER_IP).status_code == 302


def test_the_wait_message_speaks_seconds_then_minutes() -> None:
    assert throttle.wait_message(5) == "Vui lòng thử lại sau 5 giây."
    assert throttle.wait_message(900) == "Vui lòng thử lại sau 15 phút."


def test_success_clears_its_own_pairs_failures_only_and_remembers_the_pair(people: People) -> None:
    services.login_failure_record(username="canbo", ip_address=OWNER_IP)
    services.login_failure_record(username="canbo", ip_address=ATTACKER_IP)
    assert _login(Client(), "canbo", PASSWORD, OWNER_IP).status_code == 302
    assert list(LoginFailure.objects.values_list("ip_address", flat=True)) == [ATTACKER_IP]
    assert KnownLoginAddress.objects.filter(user=people.unit_staff, ip_address=OWNER_IP).exists()


def test_a_name_that_matches_no_account_is_throttled_like_a_real_one(db: None) -> None:
    client = Client()
    for _ in range(4):
        _login(client, "khongtontai", "sai", OWNER_IP)
    assert "Vui lòng thử lại sau" in _login(client, "khongtontai", "sai", OWNER_IP).content.decode()


def test_failures_and_the_lockout_are_in_the_security_log_and_stay_after_a_success(people: People) -> None:
    client = Client()
    for _ in range(3):
        _login(client, "canbo", "sai", OWNER_IP)
    with _later(10):
        _login(client, "canbo", PASSWORD, OWNER_IP)
    assert _signed_in(client)
    failed = SecurityEvent.objects.filter(kind=SecurityKind.LOGIN_FAILED)
    assert failed.count() == 3  # the counters were cleared, the log was not
    event = failed.first()
    assert event is not None
    assert (event.user, event.username, event.ip_address) == (people.unit_staff, "canbo", OWNER_IP)
    assert event.path == reverse("login")
    locked = SecurityEvent.objects.get(kind=SecurityKind.LOGIN_LOCKED)
    assert locked.detail["scope"] == "pair"
    assert AuditEvent.objects.filter(action="auth.lockout", object_id=str(people.unit_staff.pk)).count() == 1


def test_a_mistyped_name_is_logged_as_typed(db: None) -> None:
    _login(Client(), "CanBo.Moi", "sai", OWNER_IP)
    event = SecurityEvent.objects.get(kind=SecurityKind.LOGIN_FAILED)
    assert event.user is None and event.username == "CanBo.Moi"


# --- The administrator's unlock -----------------------------------------------------------------


def _throttled_account(people: People) -> None:
    for n in range(8):
        services.login_failure_record(username="canbo", ip_address=f"203.0.113.{n + 1}")


def test_an_admin_unlocks_an_account_and_it_is_audited_and_logged(client: Client, people: People) -> None:
    _throttled_account(people)
    assert throttle.verdict(username="canbo", ip_address=OWNER_IP).wait
    client.force_login(people.admin)
    page = client.get(reverse("user_detail", kwargs={"pk": people.unit_staff.pk})).content.decode()
    assert "Mở khóa đăng nhập" in page and "203.0.113.8" in page
    response = client.post(reverse("user_login_unlock", kwargs={"pk": people.unit_staff.pk}))
    assert response["Location"] == reverse("user_detail", kwargs={"pk": people.unit_staff.pk})
    assert throttle.verdict(username="canbo", ip_address=OWNER_IP).wait == 0
    assert not LoginFailure.objects.exists()
    audit = AuditEvent.objects.get(action="auth.unlock")
    assert (audit.actor, audit.object_id) == (people.admin, str(people.unit_staff.pk))
    logged = SecurityEvent.objects.get(kind=SecurityKind.LOGIN_UNLOCKED)
    assert (logged.user, logged.object_id, logged.detail["scope"]) == (
        people.admin,
        str(people.unit_staff.pk),
        "account",
    )
    # The failures themselves stay in the log.
    assert SecurityEvent.objects.filter(kind=SecurityKind.LOGIN_FAILED).count() == 8


def test_an_admin_unlocks_a_blocked_address(client: Client, people: People, settings: Any) -> None:
    settings.LOGIN_MAX_FAILURES_PER_IP = 5
    for n in range(5):
        services.login_failure_record(username=f"x{n}" if n else "canbo", ip_address=ATTACKER_IP)
    assert throttle.verdict(username="ai", ip_address=ATTACKER_IP).scope == "address"
    client.force_login(people.admin)
    page = client.get(reverse("user_detail", kwargs={"pk": people.unit_staff.pk})).content.decode()
    assert "Mở chặn địa chỉ này" in page
    url = reverse("user_address_unlock", kwargs={"pk": people.unit_staff.pk})
    client.post(url, {"ip_address": "khong-phai-ip"})
    assert LoginFailure.objects.count() == 5  # refused, nothing changed
    client.post(url, {"ip_address": ATTACKER_IP})
    assert throttle.verdict(username="ai", ip_address=ATTACKER_IP).wait == 0
    assert AuditEvent.objects.filter(action="auth.unlock_address").count() == 1
    assert SecurityEvent.objects.get(kind=SecurityKind.LOGIN_UNLOCKED).detail["address"] == ATTACKER_IP


@pytest.mark.parametrize("who", ["unit_head", "unit_staff", "reform_officer", "outsider"])
def test_only_an_admin_may_unlock(client: Client, people: People, who: str) -> None:
    _throttled_account(people)
    client.force_login(getattr(people, who))
    for name, data in [("user_login_unlock", {}), ("user_address_unlock", {"ip_address": "203.0.113.1"})]:
        assert client.post(reverse(name, kwargs={"pk": people.unit_staff.pk}), data).status_code == 404
    assert LoginFailure.objects.count() == 8
    assert not AuditEvent.objects.filter(action__startswith="auth.unlock").exists()


def test_unlock_is_a_post(client: Client, people: People) -> None:
    client.force_login(people.admin)
    assert client.get(reverse("user_login_unlock", kwargs={"pk": people.unit_staff.pk})).status_code == 405


def test_the_daily_purge_drops_failures_outside_every_window(people: People) -> None:
    LoginFailure.objects.create(username="canbo", created_at=clock.now() - datetime.timedelta(days=2))
    LoginFailure.objects.create(username="canbo", created_at=clock.now())
    assert services.login_failures_purge() == 1
    assert LoginFailure.objects.count() == 1


# --- Delays, then the image challenge -----------------------------------------------------------


def _spread_failures(count: int, username: str = "canbo") -> None:
    """``count`` failures for ``username``, each from its own address (a spread guesser)."""
    for n in range(count):
        address = f"203.0.113.{n + 1}"
        LoginFailure.objects.create(username=username, ip_address=address, created_at=clock.now())


def _challenge_shown(response: Any) -> str | None:
    """The key of the challenge image on the page, None when the page asks for none."""
    found = re.search(r'name="challenge_0" value="(\w+)"', response.content.decode())
    return found.group(1) if found else None


def _login_answering(client: Client, password: str, ip: str, key: str, answer: str) -> Any:
    return client.post(
        reverse("login"),
        {"username": "canbo", "password": password, "challenge_0": key, "challenge_1": answer},
        REMOTE_ADDR=ip,
    )


def _answer(key: str) -> str:
    return str(CaptchaStore.objects.get(hashkey=key).response)


def test_the_challenge_comes_once_the_account_reaches_the_threshold_from_an_unknown_address(
    people: People, settings: Any
) -> None:
    assert settings.LOGIN_CHALLENGE_AFTER_FAILURES == 8
    _spread_failures(7)
    assert not throttle.challenge_required(username="canbo", ip_address=ATTACKER_IP)
    client = Client()
    # After the account's wait, the eighth failure brings it on: the page that reports it
    # already asks for it.
    with _later(60):
        response = _login(client, "canbo", "sai", "203.0.113.8")
        assert _challenge_shown(response) is not None
        assert "Nhập các ký tự trong hình" in response.content.decode()
        assert throttle.challenge_required(username="CanBo", ip_address=ATTACKER_IP)


def test_a_missing_or_wrong_answer_is_refused_unchecked_uncounted_and_logged(people: People) -> None:
    _spread_failures(8)
    client = Client()
    counted = LoginFailure.objects.count()
    # Without an answer (the first page never shows the challenge): the right password is
    # not even checked.
    response = _login(client, "canbo", PASSWORD, ATTACKER_IP)
    assert not _signed_in(client)
    key = _challenge_shown(response)
    assert key is not None
    # A wrong answer: refused the same way, and that image is spent.
    response = _login_answering(client, PASSWORD, ATTACKER_IP, key, "sai-hinh")
    assert not _signed_in(client)
    assert "Các ký tự chưa đúng hoặc chưa được nhập" in response.content.decode()
    assert not CaptchaStore.objects.filter(hashkey=key).exists()
    assert LoginFailure.objects.count() == counted
    assert not SecurityEvent.objects.filter(kind=SecurityKind.LOGIN_FAILED).exists()
    refused = SecurityEvent.objects.filter(kind=SecurityKind.LOGIN_CHALLENGE_FAILED)
    assert refused.count() == 2
    assert all(
        (event.user, event.username, event.ip_address) == (people.unit_staff, "canbo", ATTACKER_IP)
        for event in refused
    )


def test_a_right_answer_lets_the_password_be_checked_despite_the_accounts_wait(people: People) -> None:
    _spread_failures(8)
    assert throttle.verdict(username="canbo", ip_address=ATTACKER_IP).scope == throttle.ACCOUNT
    assert throttle.verdict(username="canbo", ip_address=ATTACKER_IP).wait > 0
    client = Client()
    key = _challenge_shown(_login(client, "canbo", "sai", ATTACKER_IP))
    assert key is not None
    # Right image, wrong password: the password was checked (a failure counted)…
    counted = LoginFailure.objects.count()
    response = _login_answering(client, "sai-nua", ATTACKER_IP, key, _answer(key))
    assert LoginFailure.objects.count() == counted + 1
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    # …right image, right password: signed in, the account's wait notwithstanding.
    key = _challenge_shown(response)
    assert key is not None
    assert _login_answering(client, PASSWORD, ATTACKER_IP, key, _answer(key).upper()).status_code == 302
    assert _signed_in(client)


def test_a_solved_challenge_does_not_lift_the_pairs_own_wait(people: People) -> None:
    for _ in range(8):
        LoginFailure.objects.create(username="canbo", ip_address=ATTACKER_IP, created_at=clock.now())
    client = Client()
    key = _challenge_shown(_login(client, "canbo", "sai", ATTACKER_IP))
    assert key is not None
    response = _login_answering(client, PASSWORD, ATTACKER_IP, key, _answer(key))
    assert not _signed_in(client)
    assert "Vui lòng thử lại sau" in response.content.decode()


def test_the_owner_at_their_usual_address_never_meets_the_challenge(people: People) -> None:
    owner = Client()
    _owner_known_at(owner, OWNER_IP)
    _spread_failures(30)
    assert not throttle.challenge_required(username="canbo", ip_address=OWNER_IP)
    response = _login(owner, "canbo", "go-nham", OWNER_IP)
    assert _challenge_shown(response) is None
    assert _login(owner, "canbo", PASSWORD, OWNER_IP).status_code == 302


def test_the_challenge_can_be_turned_off(people: People, settings: Any) -> None:
    settings.LOGIN_CHALLENGE_AFTER_FAILURES = 0
    _spread_failures(30)
    assert not throttle.challenge_required(username="canbo", ip_address=ATTACKER_IP)
    assert _challenge_shown(_login(Client(), "canbo", "sai", ATTACKER_IP)) is None


def test_the_challenge_page_keeps_to_the_content_security_policy(people: People) -> None:
    _spread_failures(8)
    client = Client()
    response = _login(client, "canbo", PASSWORD, ATTACKER_IP)
    html = response.content.decode()
    assert offences(html) == []
    assert directives(response["Content-Security-Policy"])["img-src"] == ["'self'"]
    # The image is ours, on our origin (a path, no scheme or host), and is a PNG.
    source = re.search(r'<img src="([^"]+)"[^>]*class="challenge-image"', html)
    assert source is not None and source.group(1).startswith("/ma-xac-nhan/")
    image = client.get(source.group(1))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert "audio" not in html and ".wav" not in html
