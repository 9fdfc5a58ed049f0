"""The demo clinic's bills: insurance and claims from its "billing system", then statements,
a paid and an unpaid bill, a payment plan and an insurance card waiting for review.

The coverage, claims and explanations of benefits are FHIR R4 resources stored through the
record store, as an EHR's export would be, so the demo's charges come through the same reading
of claims (`billing.fhir`) as a clinic's own. Amounts are fixed per kind of visit, so the demo's
bills are the same every day. Demo only: the demo command refuses production mode.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource

Json = dict[str, Any]
ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
CPT = "http://www.ama-assn.org/go/cpt"


@dataclass(frozen=True)
class Service:
    """One billed service: its code and words, and the amounts in cents."""

    code: str
    display: str
    submitted: int
    allowed: int
    insurance_paid: int
    copay: int = 0
    deductible: int = 0


OFFICE_VISIT = Service("99213", "Office visit", 18000, 12000, 9500, copay=2500)
CHECKUP = Service("99396", "Yearly check-up", 26000, 19000, 19000)
LAB_PANEL = Service("80053", "Blood tests", 6500, 4200, 3360, deductible=840)
PLANS = (
    ("Hudson Valley Health Plan", "Silver PPO", "HV"),
    ("Empire Mutual", "Bronze HMO", "EM"),
    ("Medicare Part B", "Original Medicare", "MB"),
)


def money(cents: int) -> Json:
    return {"value": round(cents / 100, 2), "currency": "USD"}


def adjudication(service: Service) -> list[Json]:
    amounts = [
        ("submitted", service.submitted),
        ("eligible", service.allowed),
        ("benefit", service.insurance_paid),
        ("copay", service.copay),
        ("deductible", service.deductible),
    ]
    return [
        {"category": {"coding": [{"system": ADJUDICATION, "code": code}]}, "amount": money(cents)}
        for code, cents in amounts
        if cents or code in ("submitted", "benefit")
    ]


def coverage(patient_ref: str, number: int, key: str) -> Json:
    payer, plan, prefix = PLANS[number % len(PLANS)]
    return {
        "resourceType": "Coverage",
        "id": f"demo-coverage-{key}",
        "status": "active",
        "subscriberId": f"{prefix}{700000 + number * 7919:08d}",
        "beneficiary": {"reference": patient_ref},
        "relationship": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
                    "code": "self",
                }
            ]
        },
        "payor": [{"display": payer}],
        "class": [
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/coverage-class",
                            "code": "plan",
                        }
                    ]
                },
                "value": plan,
                "name": plan,
            },
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/coverage-class",
                            "code": "group",
                        }
                    ]
                },
                "value": f"G-{4100 + number}",
            },
        ],
        "costToBeneficiary": [
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/coverage-copay-type",
                            "code": "copay",
                        }
                    ]
                },
                "valueMoney": money(OFFICE_VISIT.copay),
            }
        ],
    }


def services_for(encounter: ClinicalResource) -> tuple[Service, ...]:
    """A check-up is billed with its blood tests; other visits as an office visit."""
    if "check" in encounter.code_display.lower() or "well" in encounter.code_display.lower():
        return (CHECKUP, LAB_PANEL)
    return (OFFICE_VISIT,)


def claim_and_eob(
    patient_ref: str, encounter: ClinicalResource, coverage_ref: str
) -> tuple[Json, Json]:
    """The claim sent for a visit and the insurer's explanation of benefits for it."""
    assert encounter.effective_at is not None
    day = encounter.effective_at.date().isoformat()
    services = services_for(encounter)
    encounter_ref = {"reference": f"Encounter/{encounter.fhir_id}"}
    provider = {"display": encounter.performer or "Riverside Family Clinic"}
    items = [
        {
            "sequence": number,
            "productOrService": {
                "coding": [{"system": CPT, "code": service.code, "display": service.display}],
                "text": service.display,
            },
            "servicedDate": day,
            "encounter": [encounter_ref],
            "net": money(service.submitted),
        }
        for number, service in enumerate(services, start=1)
    ]
    claim_id = f"demo-claim-{encounter.fhir_id}"
    common: Json = {
        "status": "active",
        "type": {"coding": [{"system": CLAIM_TYPE, "code": "professional"}]},
        "use": "claim",
        "patient": {"reference": patient_ref},
        "created": day,
        "provider": provider,
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": coverage_ref}}],
    }
    claim = {
        "resourceType": "Claim",
        "id": claim_id,
        **common,
        "priority": {"coding": [{"code": "normal"}]},
        "item": items,
        "total": money(sum(service.submitted for service in services)),
    }
    eob = {
        "resourceType": "ExplanationOfBenefit",
        "id": f"demo-eob-{encounter.fhir_id}",
        **common,
        "insurer": {"display": "Insurer"},
        "claim": {"reference": f"Claim/{claim_id}"},
        "outcome": "complete",
        "item": [
            item | {"adjudication": adjudication(service)}
            for item, service in zip(items, services, strict=True)
        ],
    }
    return claim, eob


def patient_resource_id(patient: Patient) -> str | None:
    row = ClinicalResource.objects.filter(patient=patient, resource_type="Patient").first()
    return row.fhir_id if row else None


def recent_visits(patient: Patient, today: datetime.date, count: int) -> list[ClinicalResource]:
    """The patient's last `count` finished visits before today, oldest first."""
    rows = ClinicalResource.objects.filter(
        patient=patient, resource_type="Encounter", status="finished", effective_at__date__lt=today
    ).order_by("-effective_at")[:count]
    return list(reversed(rows))


def billing_resources(
    patient: Patient, number: int, today: datetime.date, visits: int = 2
) -> list[Json]:
    """A demo patient's coverage, and a claim and explanation of benefits for each of their last
    `visits` visits (none without a visit)."""
    patient_id = patient_resource_id(patient) or str(patient.pk)
    patient_ref = f"Patient/{patient_id}"
    plan = coverage(patient_ref, number, patient_id)
    encounters = recent_visits(patient, today, visits)
    if not encounters:
        return []
    resources = [plan]
    for encounter in encounters:
        resources.extend(claim_and_eob(patient_ref, encounter, f"Coverage/{plan['id']}"))
    return resources


def demo_billing_patients(clinic: Clinic, mrns: Sequence[str]) -> list[Patient]:
    """The demo's patients, those with a portal account first (in sign-in list order), so the
    first people tried have the paid and unpaid bills and the plan."""
    found = Patient.objects.filter(clinic=clinic, mrn__in=mrns).order_by("mrn")
    return sorted(found, key=lambda patient: patient.user_id is None)


def card_picture(lines: Sequence[str]) -> bytes:
    """A plain PNG of an insurance card's side (the attachment checks re-encode it)."""
    import io

    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (640, 400), (236, 244, 250))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((12, 12, 627, 387), outline=(20, 60, 110), width=6)
    for number, line in enumerate(lines):
        draw.text((40, 40 + 44 * number), line, fill=(10, 30, 60))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def store_billing_resources(clinic: Clinic, patient: Patient, resources: list[Json]) -> None:
    """Store a patient's coverage and claims as the importer would (the record store reads the
    claims into charges in the same transaction)."""
    from carebridge.records.services import store_resources

    store_resources(
        clinic=clinic,
        patient=patient,
        resources=resources,
        source=f"demo/billing/{patient.mrn}.json",
        notify=False,
    )


def load_demo_billing(
    clinic: Clinic,
    patients: Sequence[Patient],
    *,
    billing_user: Any,
    front_desk_user: Any,
    today: datetime.date,
) -> None:
    """Bills for the demo: every patient's insurance and last two visits' claims; for the
    first patient a paid statement, an unpaid one and an insurance card with photos the front
    desk accepted; for the second a larger bill on a four-month payment plan; for the third a
    new card waiting for the front desk. The claims are stored again on every run; the
    statements, payments, plan and cards only for a patient who has no statement yet.
    """
    from carebridge.billing.models import Statement

    for number, patient in enumerate(patients):
        resources = billing_resources(patient, number, today)
        if not resources:
            continue
        if Statement.objects.filter(patient=patient).exists():
            # Stored again on every run (the demo's records are replaced each time); reading
            # the same claims again changes no charge.
            store_billing_resources(clinic, patient, resources)
            continue
        if number == 0:
            _paid_and_unpaid(clinic, patient, resources, billing_user, today)
            _card_on_file(patient, front_desk_user, accept=True)
            continue
        store_billing_resources(clinic, patient, resources)
        if number == 1:
            _on_a_plan(patient, billing_user, today)
            continue
        _statement(patient, billing_user, _after_visits(resources, today))
        if number == 2:
            _card_on_file(patient, front_desk_user, accept=False)


def _visit_day(resource: Json) -> datetime.date:
    return datetime.date.fromisoformat(str(resource["created"])[:10])


def _after_visits(resources: Sequence[Json], today: datetime.date) -> datetime.date:
    """The day after the last visit billed (today at the latest): when its statement went out."""
    days = [_visit_day(item) for item in resources if item["resourceType"] == "Claim"]
    return min(max(days) + datetime.timedelta(days=1), today)


def _actor(user: Any, day: datetime.date) -> Any:
    from django.utils import timezone

    from carebridge.core.actor import Actor

    moment = datetime.datetime.combine(day, datetime.time(15, 0), tzinfo=datetime.UTC)
    return Actor(user=user, acting_as="staff", now=min(moment, timezone.now()))


def _statement(patient: Patient, billing_user: Any, day: datetime.date) -> Any:
    from carebridge.billing.services.charges import issue_statement

    return issue_statement(actor=_actor(billing_user, day), patient=patient, due_days=30)


def _paid_and_unpaid(
    clinic: Clinic, patient: Patient, resources: list[Json], billing_user: Any, today: datetime.date
) -> None:
    """The older visit's statement, paid at the desk ten days after it went out; then the newer
    visit and a flu shot on a statement not yet paid."""
    from carebridge.billing.models import Method, PayerKind, Payment, Provider
    from carebridge.billing.services.charges import post_manual_charge
    from carebridge.billing.services.payments import complete_payment

    coverage, *claims = resources
    older, newer = [coverage, *claims[:2]], claims[2:]
    store_billing_resources(clinic, patient, older)
    sent = _after_visits(older[1:], today)
    first = _statement(patient, billing_user, sent)
    if first is not None:
        payment = Payment.objects.create(
            clinic_id=patient.clinic_id,
            patient=patient,
            statement=first,
            amount_cents=first.amount_cents,
            provider=Provider.DESK,
            method=Method.CARD_TERMINAL,
            desk_reference="T-20418",
            idempotency_key=f"demo-{first.pk}",
            payer_kind=PayerKind.STAFF,
            payer=billing_user,
            created_at=_actor(billing_user, min(sent + datetime.timedelta(days=10), today)).now,
        )
        complete_payment(
            actor=_actor(billing_user, payment.created_at.date()), payment_id=payment.pk
        )
    if newer:
        store_billing_resources(clinic, patient, newer)
    post_manual_charge(
        actor=_actor(billing_user, today),
        patient=patient,
        service_date=_after_visits(newer or older[1:], today),
        description="Flu shot (not covered by your plan)",
        amount_cents=4500,
    )
    _statement(patient, billing_user, today)


def _on_a_plan(patient: Patient, billing_user: Any, today: datetime.date) -> None:
    from carebridge.billing.services.charges import post_manual_charge
    from carebridge.billing.services.plans import create_plan

    post_manual_charge(
        actor=_actor(billing_user, today),
        patient=patient,
        service_date=today - datetime.timedelta(days=2),
        description="Minor procedure (skin)",
        amount_cents=24000,
    )
    _statement(patient, billing_user, today)
    create_plan(actor=_actor(billing_user, today), patient=patient, months=4)


def _card_on_file(patient: Patient, front_desk_user: Any, *, accept: bool) -> None:
    from carebridge.billing.services.insurance import (
        CardPhoto,
        CoverageFields,
        accept_coverage,
        current_coverage,
        submit_coverage,
    )
    from carebridge.core.actor import Actor

    on_file = current_coverage(patient)
    payer = on_file.payer_name if on_file else "Hudson Valley Health Plan"
    member = on_file.member_id if on_file else "HV00000001"
    name = f"{patient.given_name} {patient.family_name}"
    coverage = submit_coverage(
        actor=Actor(user=patient.user, acting_as="self"),
        patient=patient,
        fields=CoverageFields(
            payer_name=payer,
            member_id=member,
            plan_name=on_file.plan_name if on_file else "",
            group_number=on_file.group_number if on_file else "",
            subscriber_name=name,
            subscriber_relationship="self",
        ),
        front_photo=CardPhoto("card-front.png", card_picture([payer, name, f"ID {member}"])),
        back_photo=CardPhoto("card-back.png", card_picture(["Member services", "1-800-555-0199"])),
    )
    if accept:
        accept_coverage(
            actor=Actor(user=front_desk_user, acting_as="staff"),
            coverage=coverage,
            copay_cents=2500,
        )
