"""Who may see and pay a patient's bills: the only way the billing pages reach a patient.

A patient sees their own; a caregiver or parent sees those of the patient they act for when
their grant gives the "billing" scope today (`request.acting.may`). Anyone else (staff on the
patient side, a signed-in visitor, a proxy whose access has ended) acts on no patient's account
here and gets a 404, as does a proxy without the scope, whose attempt is audited as denied.
Staff reach a patient's account through the billing office console (`staff.billing`), and
people without an account through guest pay (`billing.views.guest`), never through these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from carebridge.audit.models import AuditOutcome
from carebridge.audit.services import record_view
from carebridge.billing.models import Payment, PaymentPlan, Statement
from carebridge.proxies.models import ProxyScope

if TYPE_CHECKING:
    import uuid

    from carebridge.core.http import PortalRequest
    from carebridge.patients.models import Patient

OBJECT_TYPE = "billing"
Owned = TypeVar("Owned", bound=Model)
DENIED = AuditOutcome.DENIED


def access_billing(request: PortalRequest, *, object_type: str = OBJECT_TYPE) -> Patient:
    """The patient whose bills the viewer may see and pay, with this view audited.

    Raises 404 when the viewer acts on no patient's account, and (audited as denied against
    that patient) when a proxy's grant does not give the billing scope today.
    """
    patient = _patient_or_404(request, object_type, "")
    record_billing_view(request, patient, object_type=object_type)
    return patient


def billing_patient_or_none(
    request: PortalRequest, *, object_type: str = OBJECT_TYPE, object_id: object = ""
) -> Patient | None:
    """The patient whose bills the viewer may see, or None; a proxy without the scope is
    audited as denied (naming what was asked for). Not audited when allowed: the caller
    audits what it shows."""
    patient = request.acting.patient
    if patient is None:
        return None
    if not request.acting.may(ProxyScope.BILLING):
        record_billing_view(
            request, patient, object_type=object_type, object_id=object_id, outcome=DENIED
        )
        return None
    return patient


def access_statement(request: PortalRequest, statement_id: uuid.UUID) -> Statement:
    """One of the patient's statements, audited; 404 when missing, another patient's, or the
    viewer may not see bills (a missing and a forbidden statement look the same)."""
    return _owned(request, Statement.objects.all(), "billing_statement", statement_id)


def access_payment(request: PortalRequest, payment_id: uuid.UUID) -> Payment:
    """One of the patient's payments (for its receipt), audited; 404 as `access_statement`."""
    payments = Payment.objects.select_related("patient")
    return _owned(request, payments, "billing_payment", payment_id)


def access_plan(request: PortalRequest, plan_id: uuid.UUID) -> PaymentPlan:
    """One of the patient's payment plans, audited; 404 as `access_statement`."""
    return _owned(request, PaymentPlan.objects.all(), "billing_plan", plan_id)


def _owned(
    request: PortalRequest, objects: QuerySet[Owned], object_type: str, object_id: uuid.UUID
) -> Owned:
    """The viewer's patient's object with this id, its view audited; 404 otherwise."""
    patient = _patient_or_404(request, object_type, object_id)
    found = objects.filter(pk=object_id, patient=patient).first()
    if found is None:
        raise Http404
    record_billing_view(request, patient, object_type=object_type, object_id=found.pk)
    return found


def _patient_or_404(request: PortalRequest, object_type: str, object_id: object) -> Patient:
    patient = billing_patient_or_none(request, object_type=object_type, object_id=object_id)
    if patient is None:
        raise Http404
    return patient


def record_billing_view(
    request: PortalRequest,
    patient: Patient,
    *,
    object_type: str = OBJECT_TYPE,
    object_id: object = "",
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
) -> None:
    """Audit a view of the patient's bills, as whom the viewer acted (self or proxy)."""
    record_view(request, patient, object_type=object_type, object_id=object_id, outcome=outcome)
