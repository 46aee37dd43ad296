"""Writes through the API: a unit files its monthly report and its adoption report with a
token, reads the KPIs; a stale version gets 409; a retried POST with the same
Idempotency-Key creates once; refusals come in the error shape and change nothing."""

from __future__ import annotations

import datetime
from typing import Any

from caicach.core.models import AuditEvent
from caicach.replication.models import AdoptionReport, AdoptionReportStatus
from caicach.workprogram.models import MonthlyReport, ReportStatus
from tests.api.conftest import MARCH, Q1, Scene
from tests.conftest import Org, People, on_day

MARCH_10 = datetime.date(2024, 3, 10)
APRIL_5 = datetime.date(2024, 4, 5)


def march_report(scene: Scene, org: Org, *, submit: bool = True, **extra: Any) -> dict[str, Any]:
    return {
        "program_id": scene.program.pk,
        "unit_id": org.science.pk,
        "period": "2024-03-01",
        "submit": submit,
        "difficulties": "Thiếu nhân lực chuyên trách.",
        "lines": [
            {
                "item_id": scene.science_item.pk,
                "status": "delayed",
                "delay_cause": "Chờ ý kiến thẩm định",
                "remedy": "Đôn đốc cơ quan thẩm định",
                "expected_date": "2024-04-15",
            },
            {"item_id": scene.science_march.pk, "status": "on_track", "progress_note": "Đang lấy ý kiến"},
        ],
        **extra,
    }


def adoption(**extra: Any) -> dict[str, Any]:
    return {
        "period_start": Q1.isoformat(),
        "submit": True,
        "adoption_status": "applied",
        "started_on": "2024-02-01",
        "scope": "Bộ phận một cửa",
        "results": [{"indicator": "Số buổi đối thoại", "measure_unit": "buổi", "baseline": 0, "current": 6}],
        **extra,
    }


def test_a_unit_files_its_monthly_report_with_a_token_and_reads_the_kpis(
    scene: Scene, org: Org, people: People, api_for: Any
) -> None:
    api = api_for(people.unit_staff, ["workprogram:write"])
    with on_day(MARCH_10):
        response = api.post("/workprogram/monthly-reports", march_report(scene, org))
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["status"] == "submitted" and body["is_late"] is False
        assert body["period"] == "2024-03-01" and len(body["lines"]) == 2
        report = MonthlyReport.objects.get(pk=body["id"])
        assert report.status == ReportStatus.SUBMITTED and report.submitted_by == people.unit_staff
        assert AuditEvent.objects.filter(action="monthly_report.submit", actor=people.unit_staff).count() == 1

        kpis = api.get(f"/workprogram/programs/{scene.program.pk}/kpis", period="q1")
    assert kpis.status_code == 200
    science = next(row for row in kpis.json()["units"] if row["unit_id"] == org.science.pk)
    assert science["due"] == 2 and science["submitted"] == 0
    assert science["submitted_rate"] == 0.0 and science["on_time_rate"] is None
    assert {row["unit_id"] for row in kpis.json()["units"]} == {org.science.pk}  # only its own unit


def test_kpi_rates_are_decimal_fractions(scene: Scene, org: Org, people: People, api_for: Any) -> None:
    scene.science_item.status = "submitted"
    scene.science_item.submitted_on = datetime.date(2024, 1, 20)
    scene.science_item.save()
    with on_day(MARCH_10):
        body = api_for(people.office_officer).get(f"/workprogram/programs/{scene.program.pk}/kpis").json()
    science = next(row for row in body["units"] if row["unit_id"] == org.science.pk)
    assert science["submitted_rate"] == 0.5 and science["on_time_rate"] == 1.0


def test_a_stale_version_gets_409_and_changes_nothing(
    scene: Scene, org: Org, people: People, api_for: Any
) -> None:
    api = api_for(people.unit_staff)
    with on_day(MARCH_10):
        draft = api.post("/workprogram/monthly-reports", march_report(scene, org, submit=False)).json()
        version = draft["version"]
        # Created already: a "new" report (no If-Match) is stale.
        again = api.post("/workprogram/monthly-reports", march_report(scene, org, submit=False))
        assert again.status_code == 409
        assert again.json()["code"] == "stale" and set(again.json()) == {"code", "message", "fields"}
        saved = api.post(
            "/workprogram/monthly-reports",
            march_report(scene, org, submit=False, difficulties="Lần hai"),
            headers={"If-Match": f'"{version}"'},
        )
        assert saved.status_code == 200 and saved.json()["version"] == version + 1
        stale = api.post(
            "/workprogram/monthly-reports",
            march_report(scene, org, difficulties="Bản cũ"),
            headers={"If-Match": str(version)},
        )
        assert stale.status_code == 409
        garbled = api.post(
            "/workprogram/monthly-reports", march_report(scene, org), headers={"If-Match": "abc"}
        )
        assert garbled.status_code == 409
    report = MonthlyReport.objects.get(pk=draft["id"])
    assert report.difficulties == "Lần hai" and report.status == ReportStatus.DRAFT


def test_a_retried_post_with_the_same_idempotency_key_creates_once(
    scene: Scene, org: Org, people: People, api_for: Any
) -> None:
    api = api_for(people.unit_staff)
    key = {"Idempotency-Key": "qlvb-2024-03-skhcn"}
    with on_day(MARCH_10):
        first = api.post("/workprogram/monthly-reports", march_report(scene, org), headers=key)
        retry = api.post("/workprogram/monthly-reports", march_report(scene, org), headers=key)
        assert first.status_code == retry.status_code == 200
        assert first.json() == retry.json()
        assert MonthlyReport.objects.filter(unit=org.science, period=MARCH).count() == 1
        assert AuditEvent.objects.filter(action="monthly_report.submit").count() == 1
        other = api.post(
            "/workprogram/monthly-reports", march_report(scene, org, difficulties="Khác"), headers=key
        )
        assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
        # Another user's key of the same name is theirs alone.
        head = api_for(people.unit_head)
        theirs = head.post("/workprogram/monthly-reports", march_report(scene, org), headers=key)
        assert theirs.status_code == 409 and theirs.json()["code"] == "stale"


def test_a_failed_write_does_not_use_up_its_key(scene: Scene, org: Org, people: People, api_for: Any) -> None:
    api = api_for(people.unit_staff)
    key = {"Idempotency-Key": "retry-after-fix"}
    incomplete = march_report(scene, org)
    incomplete["lines"][0]["delay_cause"] = ""
    with on_day(MARCH_10):
        refused = api.post("/workprogram/monthly-reports", incomplete, headers=key)
        assert refused.status_code == 400 and refused.json()["code"] == "refused"
        assert "nguyên nhân chậm" in refused.json()["message"]
        assert not MonthlyReport.objects.filter(period=MARCH).exists()
        fixed = api.post("/workprogram/monthly-reports", march_report(scene, org), headers=key)
    assert fixed.status_code == 200


def test_another_units_report_is_refused_and_unseen(
    scene: Scene, org: Org, people: People, api_for: Any
) -> None:
    outsider = api_for(people.outsider)
    with on_day(MARCH_10):
        # The program holds an item of the outsider's commune (they see it), not the right to
        # file Science & Technology's report.
        refused = outsider.post("/workprogram/monthly-reports", march_report(scene, org))
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
        hidden = outsider.post(
            f"/replication/obligations/{scene.science_obligation.pk}/adoption-reports", adoption()
        )
        assert hidden.status_code == 404
    assert not MonthlyReport.objects.filter(unit=org.science, period=MARCH).exists()


def test_a_unit_files_its_adoption_report_and_a_stale_edit_gets_409(
    scene: Scene, people: People, api_for: Any
) -> None:
    api = api_for(people.unit_staff, ["replication:write"])
    url = f"/replication/obligations/{scene.science_obligation.pk}/adoption-reports"
    with on_day(APRIL_5):
        draft = api.post(url, adoption(submit=False), headers={"Idempotency-Key": "q1"})
        assert draft.status_code == 200, draft.content
        retry = api.post(url, adoption(submit=False), headers={"Idempotency-Key": "q1"})
        assert retry.json() == draft.json()
        assert (
            AdoptionReport.objects.filter(obligation=scene.science_obligation, period_start=Q1).count() == 1
        )
        version = draft.json()["version"]
        sent = api.post(url, adoption(), headers={"If-Match": str(version)})
        assert sent.status_code == 200
        body = sent.json()
        assert body["status"] == "submitted" and body["results"][0]["current"] == 6.0
        stale = api.post(url, adoption(scope="Bản cũ"), headers={"If-Match": str(version)})
        assert stale.status_code == 409
        detail = api.get(f"/replication/adoption-reports/{body['id']}")
    assert detail.json()["version"] == body["version"]
    report = AdoptionReport.objects.get(pk=body["id"])
    assert report.status == AdoptionReportStatus.SUBMITTED and report.scope == "Bộ phận một cửa"
