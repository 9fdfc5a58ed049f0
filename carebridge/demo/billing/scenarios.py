"""What the demo's billing office and patients have done with their bills: statements, a bill
paid at the desk, a payment plan, insurance cards sent with photos. All through the billing
services, dated as they would have happened."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from django.utils import timezone
from PIL import Image, ImageDraw

from carebridge.accounts.models import User
from carebridge.billing.models import Method, Statement
from carebridge.billing.services.charges import issue_statement, post_manual_charge
from carebridge.billing.services.desk import take_desk_payment
from carebridge.billing.services.insurance import (
    CardPhoto,
    CoverageFields,
    accept_coverage,
    current_coverage,
    submit_coverage,
)
from carebridge.billing.services.plans import create_plan
from carebridge.clinic.models import Clinic
from carebridge.core.actor import Actor
from carebridge.demo.billing.claims import Json, after_visits, store_billing_resources
from carebridge.patients.models import Patient

STATEMENT_DAYS = 30


def staff_on(user: User, day: datetime.date) -> Actor:
    """`user` acting as staff at 15:00 UTC on `day` (now, at the latest)."""
    moment = datetime.datetime.combine(day, datetime.time(15, 0), tzinfo=datetime.UTC)
    return Actor(user=user, acting_as="staff", now=min(moment, timezone.now()))


def send_statement(patient: Patient, billing_user: User, day: datetime.date) -> Statement | None:
    return issue_statement(
        actor=staff_on(billing_user, day), patient=patient, due_days=STATEMENT_DAYS
    )


def paid_and_unpaid(
    clinic: Clinic,
    patient: Patient,
    resources: list[Json],
    billing_user: User,
    today: datetime.date,
) -> None:
    """The older visit's statement, paid at the desk ten days after it went out; then the newer
    visit and a flu shot on a statement not yet paid."""
    coverage, *claims = resources
    older, newer = [coverage, *claims[:2]], claims[2:]
    store_billing_resources(clinic, patient, older)
    sent = after_visits(older[1:], today)
    first = send_statement(patient, billing_user, sent)
    if first is not None:
        take_desk_payment(
            actor=staff_on(billing_user, min(sent + datetime.timedelta(days=10), today)),
            patient=patient,
            amount_cents=first.amount_cents,
            method=Method.CARD_TERMINAL,
            reference="T-20418",
            idempotency_key=f"demo-{first.pk}",
            statement=first,
        )
    if newer:
        store_billing_resources(clinic, patient, newer)
    post_manual_charge(
        actor=staff_on(billing_user, today),
        patient=patient,
        service_date=after_visits(newer or older[1:], today),
        description="Flu shot (not covered by your plan)",
        amount_cents=4500,
    )
    send_statement(patient, billing_user, today)


def on_a_plan(patient: Patient, billing_user: User, today: datetime.date) -> None:
    """A procedure's $240.00 on today's statement, spread over four months."""
    post_manual_charge(
        actor=staff_on(billing_user, today),
        patient=patient,
        service_date=today - datetime.timedelta(days=2),
        description="Minor procedure (skin)",
        amount_cents=24000,
    )
    send_statement(patient, billing_user, today)
    create_plan(actor=staff_on(billing_user, today), patient=patient, months=4)


def card_on_file(patient: Patient, front_desk_user: User, *, accept: bool) -> None:
    """The patient sends their card's photos (the insurance on file); the front desk accepts
    it with a $25.00 copay, or it waits for them."""
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


def card_picture(lines: Sequence[str]) -> bytes:
    """A plain PNG of an insurance card's side (the attachment checks re-encode it)."""
    picture = Image.new("RGB", (640, 400), (236, 244, 250))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((12, 12, 627, 387), outline=(20, 60, 110), width=6)
    for number, line in enumerate(lines):
        draw.text((40, 40 + 44 * number), line, fill=(10, 30, 60))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()
