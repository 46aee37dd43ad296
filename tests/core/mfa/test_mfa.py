"""Two-step login: enrolment, the code after the password, recovery codes, forced enrolment
for the roles that require it, an administrator's reset, who may reach what, the trail."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import hotp, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from caicach.core.mfa import services
from caicach.core.mfa.queries import ENROL_KEY_KEY, NEW_CODES_KEY, recovery_codes_left
from caicach.core.models import AuditEvent, RecoveryCode, SecurityEvent, User
from tests.conftest import PASSWORD, People

pytestmark = pytest.mark.django_db

ADMIN_ROLES = ["system_admin", "reform_officer", "office_officer", "unit_head", "leader", "chairman"]


@pytest.fixture(autouse=True)
def _no_throttle_delay(settings: Any) -> None:
    # django-otp backs off 1, 2, 4… seconds after each wrong code; a test that gives a right
    # code straight after a wrong one would otherwise wait. The back-off has its own test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_for(key: str, offset: int = 0) -> str:
    return f"{totp(bytes.fromhex(key), step=30, t0=0, digits=6, drift=offset):06d}"


def enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    key = services.new_enrolment_key()
    return services.mfa_enrol(user=user, key=key, code=code_for(key))


def login(client: Client, user: User, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, **extra})


def actions(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(user.pk), action__startswith="mfa.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def wrong_code(hex_key: str) -> str:
    """Six digits that are none of the codes accepted now (the step before, now, the next)."""
    key = bytes.fromhex(hex_key)
    valid = {f"{hotp(key, int(time.time()) // 30 + step):06d}" for step in (-1, 0, 1)}
    return next(code for code in ("123456", "654321", "111111", "222222") if code not in valid)


def next_code(device: TOTPDevice) -> str:
    """A code the device accepts now. A device takes each 30-second step's code once (the
    enrolment's code cannot be replayed); a test giving several codes within one step
    moves the device's memory of the last step back, as if the next step had come."""
    now = int(time.time()) // 30
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=now - 1)
    return code_for(device.key)


# --- Enrolment --------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret_then_confirms_with_a_first_code(
    client: Client, people: People
) -> None:
    client.force_login(people.unit_staff)
    page = client.get(reverse("mfa_enrol"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "data-mfa-secret" in html
    key = client.session[ENROL_KEY_KEY]

    wrong = client.post(reverse("mfa_enrol"), {"code": wrong_code(key)})
    assert wrong.status_code == 200 and "Mã chưa đúng" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=people.unit_staff).exists()

    done = client.post(reverse("mfa_enrol"), {"code": code_for(key)})
    assert done.status_code == 302 and done["Location"].startswith(reverse("mfa_recovery_codes"))
    device = TOTPDevice.objects.get(user=people.unit_staff)
    assert device.confirmed and device.key == key
    assert actions(people.unit_staff) == ["mfa.enrol"]

    codes_page = client.get(done["Location"])
    codes = re.findall(r"<code>([a-z0-9-]+)</code>", codes_page.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    # Only digests are stored, and the codes are shown once.
    stored = set(RecoveryCode.objects.filter(user=people.unit_staff).values_list("digest", flat=True))
    assert not stored & set(codes)
    assert client.get(reverse("mfa_recovery_codes"))["Location"] == reverse("profile")
    assert NEW_CODES_KEY not in client.session


def test_the_profile_offers_two_step_login_to_anyone(client: Client, people: People) -> None:
    client.force_login(people.unit_staff)
    html = client.get(reverse("profile")).content.decode()
    assert "Xác thực hai bước" in html and reverse("mfa_enrol") in html
    enrol(people.unit_staff)
    html = client.get(reverse("profile")).content.decode()
    assert "Đang bật" in html and "Còn 10 mã khôi phục" in html


# --- The login's second step -------------------------------------------------------------------


def test_an_admin_login_needs_the_totp_code_after_the_password(client: Client, people: People) -> None:
    device, _codes = enrol(people.admin)
    response = login(client, people.admin, next="/nguoi-dung/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_verify") + "?" + urlencode({"next": "/nguoi-dung/"})
    # Password alone: every other page sends the session back to the code, and the login is
    # not yet recorded.
    for path in ("/", reverse("user_list"), reverse("profile")):
        assert client.get(path)["Location"].startswith(reverse("mfa_verify"))
    assert not AuditEvent.objects.filter(action="auth.login", object_id=str(people.admin.pk)).exists()

    page = client.get(response["Location"])
    assert page.status_code == 200 and "Xác thực hai bước" in page.content.decode()
    done = client.post(reverse("mfa_verify"), {"code": next_code(device), "next": "/nguoi-dung/"})
    assert done.status_code == 302 and done["Location"] == "/nguoi-dung/"
    assert client.get(reverse("user_list")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", object_id=str(people.admin.pk)).count() == 1
    assert actions(people.admin) == ["mfa.enrol", "mfa.verify"]


def test_a_wrong_code_is_refused_and_audited(client: Client, people: People) -> None:
    device, _codes = enrol(people.admin)
    login(client, people.admin)
    wrong = wrong_code(device.key)
    key = bytes.fromhex(device.key)
    response = client.post(reverse("mfa_verify"), {"code": wrong})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    assert client.get("/")["Location"].startswith(reverse("mfa_verify"))
    assert actions(people.admin) == ["mfa.enrol", "mfa.failure"]
    # An old code (the one that confirmed the enrolment) is not accepted again.
    replay = client.post(reverse("mfa_verify"), {"code": f"{hotp(key, device.last_t):06d}"})
    assert replay.status_code == 200
    assert actions(people.admin) == ["mfa.enrol", "mfa.failure", "mfa.failure"]


def test_wrong_codes_back_off(client: Client, people: People, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device, _codes = enrol(people.admin)
    login(client, people.admin)
    client.post(reverse("mfa_verify"), {"code": wrong_code(device.key)})
    # Even the right code waits for the back-off to pass.
    blocked = client.post(reverse("mfa_verify"), {"code": next_code(device)})
    assert "Vui lòng thử lại sau" in blocked.content.decode()
    assert client.get("/")["Location"].startswith(reverse("mfa_verify"))


def test_a_recovery_code_works_once(client: Client, people: People) -> None:
    _device, codes = enrol(people.admin)
    login(client, people.admin)
    response = client.post(reverse("mfa_verify"), {"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get("/").status_code == 200
    assert recovery_codes_left(people.admin) == 9
    assert actions(people.admin) == ["mfa.enrol", "mfa.recovery_code_used"]

    client.post(reverse("logout"))
    login(client, people.admin)
    again = client.post(reverse("mfa_verify"), {"code": codes[3]})
    assert again.status_code == 200 and "đã được dùng" in again.content.decode()
    assert actions(people.admin)[-1] == "mfa.failure"


def test_each_step_goes_to_the_security_log_with_the_address(client: Client, people: People) -> None:
    device, codes = enrol(people.admin)
    login(client, people.admin)
    client.post(reverse("mfa_verify"), {"code": wrong_code(device.key)})
    client.post(reverse("mfa_verify"), {"code": codes[0]})
    client.post(reverse("logout"))
    login(client, people.admin)
    client.post(reverse("mfa_verify"), {"code": next_code(device)})
    events = SecurityEvent.objects.filter(object_id=str(people.admin.pk)).order_by("created_at", "id")
    kinds = [event.kind for event in events]
    assert kinds[:4] == ["mfa.enrolled", "mfa.failed", "mfa.recovery_used", "mfa.verified"]
    assert all(event.ip_address == "127.0.0.1" for event in events[1:4])


def test_a_user_without_a_device_in_an_optional_role_logs_in_with_the_password(
    client: Client, people: People, settings: Any
) -> None:
    settings.MFA_REQUIRED_ROLES = ADMIN_ROLES
    response = login(client, people.unit_staff)
    assert response["Location"] == reverse("home")
    assert client.get("/").status_code == 200


# --- Roles that require it ---------------------------------------------------------------------


def test_a_required_role_without_a_device_is_sent_to_enrol_and_held_there(
    client: Client, people: People, settings: Any
) -> None:
    settings.MFA_REQUIRED_ROLES = ADMIN_ROLES
    response = login(client, people.unit_head, next="/ca-nhan/")
    assert response["Location"] == reverse("mfa_enrol") + "?" + urlencode({"next": "/ca-nhan/"})
    for path in ("/", reverse("profile"), reverse("mfa_verify")):
        assert client.get(path)["Location"].startswith(reverse("mfa_enrol"))
    # What stays open: the enrolment, the language switch and leaving.
    page = client.get(reverse("mfa_enrol"))
    assert page.status_code == 200 and "bắt buộc" in page.content.decode()
    assert client.post(reverse("set_language"), {"language": "vi", "next": "/"}).status_code == 302
    key = client.session[ENROL_KEY_KEY]
    done = client.post(reverse("mfa_enrol"), {"code": code_for(key), "next": "/ca-nhan/"})
    assert done["Location"].startswith(reverse("mfa_recovery_codes"))
    assert client.get(done["Location"]).status_code == 200
    assert client.get(reverse("profile")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", object_id=str(people.unit_head.pk)).count() == 1


def test_a_session_older_than_the_requirement_is_held_too(
    client: Client, people: People, settings: Any
) -> None:
    client.force_login(people.admin)
    assert client.get("/").status_code == 200
    settings.MFA_REQUIRED_ROLES = ADMIN_ROLES
    assert client.get("/")["Location"].startswith(reverse("mfa_enrol"))
    htmx = client.get(reverse("user_list"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"].startswith(reverse("mfa_enrol"))
    enrol(people.admin)
    assert client.get("/")["Location"].startswith(reverse("mfa_verify"))
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_the_default_roles_are_the_admins_and_those_who_issue_numbered_documents() -> None:
    from caicach import settings as project_settings

    assert project_settings.MFA_DEFAULT_REQUIRED_ROLES.split(",") == ADMIN_ROLES


# --- Reset by an administrator -----------------------------------------------------------------


def test_an_admin_resets_a_persons_two_step_login_after_confirming(client: Client, people: People) -> None:
    enrol(people.unit_head)
    client.force_login(people.admin)
    detail = client.get(reverse("user_detail", args=[people.unit_head.pk])).content.decode()
    assert reverse("mfa_reset", args=[people.unit_head.pk]) in detail
    confirm = client.get(reverse("mfa_reset", args=[people.unit_head.pk]))
    assert confirm.status_code == 200 and "Đặt lại xác thực hai bước" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=people.unit_head).exists()

    done = client.post(reverse("mfa_reset", args=[people.unit_head.pk]))
    assert done["Location"] == reverse("user_detail", args=[people.unit_head.pk])
    assert not TOTPDevice.objects.filter(user=people.unit_head).exists()
    assert not RecoveryCode.objects.filter(user=people.unit_head).exists()
    event = AuditEvent.objects.get(action="mfa.reset")
    assert event.actor == people.admin and event.object_id == str(people.unit_head.pk)
    logged = SecurityEvent.objects.get(kind="mfa.reset")
    assert logged.user == people.admin and logged.object_id == str(people.unit_head.pk)
    # The person now logs in with the password alone (their role does not require more here).
    other = Client()
    assert login(other, people.unit_head)["Location"] == reverse("home")


def test_the_reset_of_someone_without_two_step_login_changes_nothing(client: Client, people: People) -> None:
    client.force_login(people.admin)
    response = client.post(reverse("mfa_reset", args=[people.unit_head.pk]), follow=True)
    assert "chưa bật xác thực hai bước" in response.content.decode()
    assert not AuditEvent.objects.filter(action="mfa.reset").exists()


@pytest.mark.parametrize(
    "persona", ["reform_officer", "office_officer", "unit_head", "unit_staff", "leader", "outsider"]
)
def test_only_an_admin_may_reset_and_others_get_404(client: Client, people: People, persona: str) -> None:
    enrol(people.unit_staff)
    client.force_login(getattr(people, persona))
    url = reverse("mfa_reset", args=[people.unit_staff.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=people.unit_staff).exists()


def test_an_admin_may_not_reset_their_own(client: Client, people: People) -> None:
    enrol(people.admin)
    client.force_login(people.admin)
    assert client.post(reverse("mfa_reset", args=[people.admin.pk])).status_code == 404
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.mfa_reset(actor=people.admin, user=people.admin)


@pytest.mark.parametrize("name", ["mfa_verify", "mfa_enrol", "mfa_recovery_codes"])
def test_the_pages_ask_an_anonymous_visitor_to_log_in(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_reset_page_asks_an_anonymous_visitor_to_log_in(client: Client, people: People) -> None:
    response = client.get(reverse("mfa_reset", args=[people.unit_staff.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_verified_session_skips_the_code_page_and_an_enrolled_one_the_enrolment(
    client: Client, people: People
) -> None:
    device, _codes = enrol(people.admin)
    login(client, people.admin)
    client.post(reverse("mfa_verify"), {"code": next_code(device)})
    assert client.get(reverse("mfa_verify"))["Location"] == reverse("home")
    assert client.get(reverse("mfa_enrol"))["Location"] == reverse("profile")


def test_each_mfa_action_has_a_vietnamese_label() -> None:
    from caicach.core.audit.queries import action_label

    for action in (
        "mfa.enrol",
        "mfa.verify",
        "mfa.failure",
        "mfa.recovery_code_used",
        "mfa.reset",
        "mfa.recovery_codes_renew",
        "mfa.disable",
    ):
        assert action_label(action) != action


def test_a_misspelt_required_role_stops_the_system_check(settings: Any) -> None:
    from caicach.core.mfa.checks import required_roles_exist

    settings.MFA_REQUIRED_ROLES = ["system_admin"]
    assert required_roles_exist() == []
    settings.MFA_REQUIRED_ROLES = ["system_admin", "sytem_admin"]
    assert [error.id for error in required_roles_exist()] == ["core.E101"]


# --- Self-service: new recovery codes, turning it off ------------------------------------------


def _verified_client(client: Client, user: User) -> TOTPDevice:
    device, _codes = enrol(user)
    login(client, user)
    client.post(reverse("mfa_verify"), {"code": next_code(device)})
    return device


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(
    client: Client, people: People
) -> None:
    device, old = enrol(people.unit_staff)
    login(client, people.unit_staff)
    client.post(reverse("mfa_verify"), {"code": old[0]})
    refused = client.post(reverse("mfa_codes_renew"), {"code": "not-a-code"}, follow=True)
    assert "Mã xác thực không đúng" in refused.content.decode()
    assert recovery_codes_left(people.unit_staff) == 9

    response = client.post(reverse("mfa_codes_renew"), {"code": next_code(device)})
    assert response["Location"].startswith(reverse("mfa_recovery_codes"))
    new = re.findall(r"<code>([a-z0-9-]+)</code>", client.get(response["Location"]).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert recovery_codes_left(people.unit_staff) == 10
    assert actions(people.unit_staff)[-1] == "mfa.recovery_codes_renew"
    with pytest.raises(ValidationError):
        services.mfa_verify(user=people.unit_staff, code=old[1])


def test_an_optional_user_turns_it_off_with_a_current_code(client: Client, people: People) -> None:
    device = _verified_client(client, people.unit_staff)
    client.post(reverse("mfa_disable"), {"code": wrong_code(device.key)})
    assert TOTPDevice.objects.filter(user=people.unit_staff).exists()
    response = client.post(reverse("mfa_disable"), {"code": next_code(device)})
    assert response["Location"] == reverse("profile")
    assert not TOTPDevice.objects.filter(user=people.unit_staff).exists()
    assert not RecoveryCode.objects.filter(user=people.unit_staff).exists()
    assert actions(people.unit_staff)[-1] == "mfa.disable"
    assert client.get(reverse("profile")).status_code == 200


def test_a_required_role_cannot_turn_it_off(client: Client, people: People, settings: Any) -> None:
    device = _verified_client(client, people.admin)
    settings.MFA_REQUIRED_ROLES = ADMIN_ROLES
    assert "Tắt xác thực hai bước" not in client.get(reverse("profile")).content.decode()
    response = client.post(reverse("mfa_disable"), {"code": next_code(device)}, follow=True)
    assert "bắt buộc" in response.content.decode()
    assert TOTPDevice.objects.filter(user=people.admin).exists()


@pytest.mark.parametrize("name", ["mfa_codes_renew", "mfa_disable"])
def test_self_service_answers_only_posts_from_a_logged_in_user(
    client: Client, people: People, name: str
) -> None:
    assert client.post(reverse(name), {"code": "123456"})["Location"].startswith(reverse("login"))
    client.force_login(people.unit_staff)
    assert client.get(reverse(name)).status_code == 405
