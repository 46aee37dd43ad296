"""Who may do what with recognition outputs: the decision, refusal letters, certificates and
effectiveness reports.

Managers (the reform officers responsible for the dossier's campaign, see
``rules.manages_initiative``) issue and revoke; the authors, the head of the author's unit
and the managers read what concerns the dossier. The public verification page needs no rule:
it shows only what a certificate already says on paper.

The rules expect the initiative loaded with its campaign and authors
(``queries.recognition`` does it)."""

from __future__ import annotations

from caicach.core.permissions import Principal, can, rule
from caicach.initiatives.dossiers.rules import heads_unit, is_author, manages_initiative
from caicach.initiatives.models import (
    Certificate,
    EffectivenessReport,
    Initiative,
    InitiativeStatus,
    Recognition,
    RecognitionDecision,
    ReportStatus,
)


def concerns(who: Principal, initiative: Initiative) -> bool:
    """The people a dossier's outcome is addressed to or handled by."""
    return (
        who.is_admin
        or is_author(who, initiative)
        or heads_unit(who, initiative)
        or manages_initiative(who, initiative)
    )


@rule(RecognitionDecision, "view")
def _view_decision(who: Principal, decision: RecognitionDecision) -> bool:
    # The campaign's managers: the same people who issue it.
    return can(who.user, "change", decision.campaign)


@rule(Recognition, "view")
def _view_recognition(who: Principal, recognition: Recognition) -> bool:
    return concerns(who, recognition.initiative)


@rule(Recognition, "manage")
def _manage_recognition(who: Principal, recognition: Recognition) -> bool:
    """Issue the refusal letter or the certificate."""
    return manages_initiative(who, recognition.initiative)


@rule(Certificate, "download")
def _download_certificate(who: Principal, certificate: Certificate) -> bool:
    # A revoked certificate is never printed again: the public page says it was revoked.
    return certificate.revoked_at is None and concerns(who, certificate.recognition.initiative)


@rule(Certificate, "revoke")
def _revoke_certificate(who: Principal, certificate: Certificate) -> bool:
    return certificate.revoked_at is None and manages_initiative(who, certificate.recognition.initiative)


@rule(Initiative, "report_effectiveness")
def _report_effectiveness(who: Principal, initiative: Initiative) -> bool:
    """Only the authors of a recognised initiative file its effectiveness report (seed 000 is
    signed by "Đại diện nhóm tác giả")."""
    return initiative.status == InitiativeStatus.RECOGNISED and is_author(who, initiative)


@rule(EffectivenessReport, "view")
def _view_report(who: Principal, report: EffectivenessReport) -> bool:
    return concerns(who, report.initiative)


@rule(EffectivenessReport, "change", "submit")
def _change_report(who: Principal, report: EffectivenessReport) -> bool:
    return report.status == ReportStatus.DRAFT and is_author(who, report.initiative)
