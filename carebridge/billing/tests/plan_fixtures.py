"""Shared set-up for the payment-plan and insurance tests: a balance for a patient, actors,
and small real pictures."""

from __future__ import annotations

import datetime
import io

from PIL import Image

from carebridge.billing.services.charges import post_manual_charge
from carebridge.core.actor import Actor
from carebridge.patients.models import Patient
from carebridge.testing.personas import Cast

# Noon UTC on a Monday: the clinic's (New York) date is the same day.
NOW = datetime.datetime(2027, 1, 31, 17, 0, tzinfo=datetime.UTC)


def owe(cast: Cast, patient: Patient, cents: int) -> None:
    """Give the patient a balance of `cents` (a charge posted by Bill)."""
    post_manual_charge(
        actor=Actor(user=cast.billing, acting_as="staff", now=NOW),
        patient=patient,
        service_date=NOW.date(),
        description="Office visit",
        amount_cents=cents,
    )


def as_patient(cast: Cast, now: datetime.datetime = NOW) -> Actor:
    return Actor(user=cast.patient_user, acting_as="self", now=now)


def as_staff(cast: Cast, user_name: str = "billing", now: datetime.datetime = NOW) -> Actor:
    return Actor(user=getattr(cast, user_name), acting_as="staff", now=now)


def picture(kind: str = "PNG", size: tuple[int, int] = (24, 16)) -> bytes:
    """A small real picture (with EXIF for JPEG, which the checks must drop)."""
    out = io.BytesIO()
    image = Image.new("RGB", size, (30, 90, 160))
    if kind == "JPEG":
        exif = Image.Exif()
        # 0x010F: the camera maker.
        exif[0x010F] = "SecretCam"
        image.save(out, kind, exif=exif.tobytes())
    else:
        image.save(out, kind)
    return out.getvalue()
