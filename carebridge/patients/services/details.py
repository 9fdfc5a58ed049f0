"""The patient's own details, kept up to date at any time from My details.

What applies at once: the phone number, emergency contacts and the preferred pharmacy (they
say how to reach the patient and where prescriptions go). What the clinic must accept: the
postal address, which is part of the clinic's record (statements, insurance claims, identity
checks when someone calls): it waits as a `DetailsChange` for the front desk (`desk`).

Who may: the patient, or a caregiver or parent whose grant includes the account scope today
(checked here through the proxies app, whatever the view did). Audit rule: every change is a
`record_change` event against the patient with the values before and after, in the change's
transaction. Privacy rule: no value is logged or e-mailed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_change
from carebridge.patients.models import (
    DetailsChange,
    DetailsChangeStatus,
    EmergencyContact,
    Patient,
    PreferredPharmacy,
)
from carebridge.proxies.resolution import resolve_acting_context

if TYPE_CHECKING:
    from carebridge.core.actor import Actor

ACCOUNT_SCOPE = "account"
ADDRESS_FIELDS = ("address_line", "city", "state", "postal_code")
MOST_EMERGENCY_CONTACTS = 5


@dataclass(frozen=True)
class Address:
    address_line: str
    city: str
    state: str
    postal_code: str

    @classmethod
    def of(cls, holder: Patient | DetailsChange) -> Address:
        return cls(**{name: getattr(holder, name) for name in ADDRESS_FIELDS})

    def cleaned(self) -> Address:
        return Address(**{name: value.strip() for name, value in asdict(self).items()})


@dataclass(frozen=True)
class ContactOutcome:
    """What saving the contact details did: the phone saved, the address sent for review."""

    phone_changed: bool
    address_sent: bool


def check_may_change_details(actor: Actor, patient: Patient) -> None:
    """PermissionDenied unless the actor is the patient, or a caregiver or parent whose access
    includes the patient's account settings today. Only the proxies app decides the latter."""
    user = actor.user
    if user is None:
        raise PermissionDenied
    if actor.acting_as == "self":
        allowed = patient.user_id is not None and patient.user_id == user.pk
    elif actor.acting_as == "proxy":
        acting = resolve_acting_context(user, str(patient.pk))
        allowed = acting.is_proxy and acting.may(ACCOUNT_SCOPE)
    else:
        allowed = False
    if not allowed:
        raise PermissionDenied


def _audit(
    actor: Actor,
    patient: Patient,
    object_type: str,
    object_id: object,
    before: Mapping[str, object],
    after: Mapping[str, object],
    action: AuditAction = AuditAction.UPDATE,
) -> None:
    record_change(
        actor=actor.user,
        object_type=object_type,
        object_id=object_id,
        before=dict(before),
        after=dict(after),
        action=action,
        request=actor.request,
        patient=patient,
        acting_as=actor.acting_as,
    )


def pending_address_change(patient: Patient) -> DetailsChange | None:
    return DetailsChange.objects.filter(patient=patient, status=DetailsChangeStatus.PENDING).first()


def save_contact_details(
    *, actor: Actor, patient: Patient, phone: str, address: Address
) -> ContactOutcome:
    """Save the phone number at once and send a new postal address to the front desk.

    An address equal to the one on file sends nothing (and a change still waiting is withdrawn,
    since the patient now says the one on file is right); a new one replaces one still waiting.
    All in one transaction, so nothing is half-saved. Audit: "patient" (phone) and
    "details_change" (address sent or withdrawn), each with before and after.
    """
    check_may_change_details(actor, patient)
    phone, address = phone.strip(), address.cleaned()
    with transaction.atomic():
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        phone_changed = locked.phone != phone
        if phone_changed:
            _audit(actor, locked, "patient", locked.pk, {"phone": locked.phone}, {"phone": phone})
            locked.phone = phone
            locked.save(update_fields=["phone", "updated_at"])
        address_sent = _send_address(actor, locked, address)
    patient.phone = phone
    return ContactOutcome(phone_changed=phone_changed, address_sent=address_sent)


def _send_address(actor: Actor, patient: Patient, address: Address) -> bool:
    waiting = pending_address_change(patient)
    if waiting is not None and Address.of(waiting) == address:
        return False
    if waiting is not None:
        waiting.status = DetailsChangeStatus.REPLACED
        waiting.save(update_fields=["status"])
        before = {"status": DetailsChangeStatus.PENDING.value}
        after = {"status": DetailsChangeStatus.REPLACED.value}
        _audit(actor, patient, "details_change", waiting.pk, before, after)
    if address == Address.of(patient):
        return False
    if not (address.address_line and address.city and address.postal_code):
        raise ValidationError(
            _("Enter the street address, the city or town and the ZIP code."), code="address"
        )
    change = DetailsChange.objects.create(
        clinic_id=patient.clinic_id,
        patient=patient,
        submitted_by=actor.user,
        created_at=actor.now,
        **asdict(address),
    )
    _audit(
        actor,
        patient,
        "details_change",
        change.pk,
        asdict(Address.of(patient)),
        asdict(address),
        AuditAction.CREATE,
    )
    return True


def _contact_values(contact: EmergencyContact) -> dict[str, object]:
    return {"name": contact.name, "relationship": contact.relationship, "phone": contact.phone}


def add_emergency_contact(
    *, actor: Actor, patient: Patient, name: str, relationship: str, phone: str
) -> EmergencyContact:
    """Add an emergency contact (at most five). Audit: "emergency_contact" created."""
    check_may_change_details(actor, patient)
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        if patient.emergency_contacts.count() >= MOST_EMERGENCY_CONTACTS:
            raise ValidationError(
                _("You can keep up to %(count)d emergency contacts. Remove one first.")
                % {"count": MOST_EMERGENCY_CONTACTS},
                code="too_many",
            )
        contact = EmergencyContact.objects.create(
            patient=patient,
            name=name.strip(),
            relationship=relationship.strip(),
            phone=phone.strip(),
        )
        _audit(
            actor,
            patient,
            "emergency_contact",
            contact.pk,
            {},
            _contact_values(contact),
            AuditAction.CREATE,
        )
    return contact


def change_emergency_contact(
    *, actor: Actor, contact: EmergencyContact, name: str, relationship: str, phone: str
) -> EmergencyContact:
    """Change an emergency contact. Audit: "emergency_contact" updated, before and after."""
    check_may_change_details(actor, contact.patient)
    with transaction.atomic():
        before = _contact_values(contact)
        contact.name, contact.relationship = name.strip(), relationship.strip()
        contact.phone = phone.strip()
        contact.save(update_fields=["name", "relationship", "phone"])
        _audit(
            actor,
            contact.patient,
            "emergency_contact",
            contact.pk,
            before,
            _contact_values(contact),
        )
    return contact


def remove_emergency_contact(*, actor: Actor, contact: EmergencyContact) -> None:
    """Remove an emergency contact. Audit: "emergency_contact" deleted, with what it was."""
    check_may_change_details(actor, contact.patient)
    with transaction.atomic():
        contact_id, before = contact.pk, _contact_values(contact)
        contact.delete()
        _audit(
            actor, contact.patient, "emergency_contact", contact_id, before, {}, AuditAction.DELETE
        )


def _pharmacy_values(pharmacy: PreferredPharmacy | None) -> dict[str, object]:
    if pharmacy is None:
        return {}
    return {"name": pharmacy.name, "address": pharmacy.address, "phone": pharmacy.phone}


def save_preferred_pharmacy(
    *, actor: Actor, patient: Patient, name: str, address: str, phone: str
) -> PreferredPharmacy:
    """Set the pharmacy refill requests are sent to. Audit: "pharmacy", before and after."""
    check_may_change_details(actor, patient)
    with transaction.atomic():
        existing = PreferredPharmacy.objects.select_for_update().filter(patient=patient).first()
        before = _pharmacy_values(existing)
        pharmacy, created = PreferredPharmacy.objects.update_or_create(
            patient=patient,
            defaults={"name": name.strip(), "address": address.strip(), "phone": phone.strip()},
        )
        action = AuditAction.CREATE if created else AuditAction.UPDATE
        _audit(actor, patient, "pharmacy", pharmacy.pk, before, _pharmacy_values(pharmacy), action)
    return pharmacy


def remove_preferred_pharmacy(*, actor: Actor, patient: Patient) -> None:
    """Forget the preferred pharmacy. Audit: "pharmacy" deleted, with what it was."""
    check_may_change_details(actor, patient)
    with transaction.atomic():
        existing = PreferredPharmacy.objects.select_for_update().filter(patient=patient).first()
        if existing is None:
            return
        pharmacy_id, before = existing.pk, _pharmacy_values(existing)
        existing.delete()
        _audit(actor, patient, "pharmacy", pharmacy_id, before, {}, AuditAction.DELETE)
