"""The public verification page of certificates (no login): the QR code on a certificate
opens ``/xac-minh/<code>/``; anyone can also type the code at ``/xac-minh/``.

It confirms only what the certificate itself says on paper (title, authors, level, the
decision and the body that issued it) and whether it was revoked: no scores, no dates of
birth, nothing about the unit's internals. An unknown code and a malformed one get the same
404 page, so the page tells a guesser nothing; every request costs the same two queries at
most, so it is cheap to serve and to rate-limit at the proxy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from caicach.initiatives.models import display_code, is_well_formed_code, normalise_code
from caicach.initiatives.recognition.forms import VerificationForm
from caicach.initiatives.recognition.queries import certificate_for_verification


def _private(response: HttpResponse) -> HttpResponse:
    # The address carries the code: keep it out of search engines and other sites' logs.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def verification_form(request: HttpRequest) -> HttpResponse:
    form = VerificationForm(request.GET or None)
    if form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        if code:
            return redirect("verification:certificate", code=code)
        form.add_error("code", VerificationForm.base_fields["code"].error_messages["required"])
    return _private(render(request, "initiatives/verification/form.html", {"form": form}))


@require_GET
def verification_certificate(request: HttpRequest, code: str) -> HttpResponse:
    canonical = normalise_code(code)
    if canonical and canonical != code:  # typed in lower case or with the dashes
        return redirect("verification:certificate", code=canonical)
    certificate = certificate_for_verification(code) if is_well_formed_code(code) else None
    if certificate is None:
        response = render(
            request, "initiatives/verification/not_found.html", {"form": VerificationForm()}, status=404
        )
        return _private(response)
    recognition = certificate.recognition
    decision = recognition.decision
    context = {
        "certificate": certificate,
        "code": display_code(certificate.verification_code),
        "initiative": recognition.initiative,
        "authors": [a.full_name for a in recognition.initiative.authorships.all()],
        "recognition": recognition,
        "decision": decision,
        "issuer": decision.campaign.issuing_unit if decision is not None else None,
    }
    return _private(render(request, "initiatives/verification/certificate.html", context))
