"""What a process works out for a person, kept between their requests while it is current.

The acting context is kept here; the messages' unread count is kept the same way
(carebridge/messaging/kept_counts.py), with `kept_value` and `forget_for_patients`.

Deciding whom a signed-in person acts for costs three queries (staff membership, own record,
grants in force: `resolution.resolve_acting_context`). Each process keeps the decision in its
memory under the person's `User.kept_key`, which the request reads with the user anyway, and
uses it again only while that key is unchanged and until the next quarter hour.

- Every change that could alter the decision gives the people it concerns a new kept key, in
  the same transaction as the change (`forget_for`, called by the receivers below): a grant given,
  changed, revoked or deleted; a staff membership; a patient record (its link to an account, its
  name and birth date, which the age rules read); a clinic (its age rules, settings and time
  zone). So a revocation takes effect on the proxy's very next request, in every process.
- The dates and age rules are applied in each clinic's time zone, and a day ends at a quarter
  hour in every zone there is: a kept decision never outlives the quarter hour it was made in,
  so a grant's end date or a birthday takes effect as before, at the clinic's midnight.
- The key holds the language too (the relationship words are translated when decided).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any

from django.core.cache import caches
from django.db.models import Q
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone, translation

from carebridge.accounts.kept import QUARTER_HOUR, forget_for, forget_for_users, kept_key
from carebridge.accounts.models import User
from carebridge.clinic.models import Clinic, StaffMember
from carebridge.patients.models import Patient
from carebridge.proxies.acting import ANONYMOUS, ActingContext
from carebridge.proxies.models import ProxyGrant
from carebridge.proxies.resolution import resolve_acting_context


def _kept() -> Any:
    return caches["kept"]


def _key(user: User, acting_for: str) -> str:
    return kept_key(user, "acting", acting_for, translation.get_language() or "")


def _end_of_quarter_hour(now: datetime.datetime) -> datetime.datetime:
    seconds = int(now.timestamp())
    return datetime.datetime.fromtimestamp(
        seconds - seconds % QUARTER_HOUR + QUARTER_HOUR, tz=datetime.UTC
    )


def acting_context(user: User | None, acting_for: str = "") -> ActingContext:
    """`resolve_acting_context(user, acting_for)`, kept while it is current."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    key = _key(user, acting_for)
    now = timezone.now()
    kept = _kept().get(key)
    if kept is not None and now < kept[1]:
        return dataclasses.replace(kept[0], user=user)
    context = resolve_acting_context(user, acting_for)
    until = _end_of_quarter_hour(now)
    _kept().set(key, (dataclasses.replace(context, user=None), until), QUARTER_HOUR)
    return context


def _proxies_of(patient_ids: Any) -> Any:
    return ProxyGrant.objects.filter(patient__in=patient_ids).values("proxy_id")


def forget_for_patients(patient_ids: Iterable[Any]) -> None:
    """Renew the kept keys of the patients' own accounts and of everyone with a grant to them
    (in force or not: a superset is cheap and never wrong)."""
    ids = list(patient_ids)
    forget_for_users(
        User.objects.filter(
            Q(pk__in=Patient.objects.filter(pk__in=ids).values("user_id"))
            | Q(pk__in=_proxies_of(ids))
        )
    )


def _grant_changed(instance: ProxyGrant, **kwargs: Any) -> None:
    forget_for([instance.proxy_id])


def _membership_changed(instance: StaffMember, **kwargs: Any) -> None:
    forget_for([instance.user_id])


def _patient_loaded(instance: Patient, **kwargs: Any) -> None:
    # The account the record was linked to when read: moved elsewhere, it must be forgotten too.
    instance._kept_user_id = instance.__dict__.get("user_id")  # type: ignore[attr-defined]


def _patient_changed(instance: Patient, **kwargs: Any) -> None:
    before = getattr(instance, "_kept_user_id", None)
    forget_for_users(
        User.objects.filter(
            Q(pk__in=[pk for pk in (before, instance.user_id) if pk is not None])
            | Q(pk__in=_proxies_of([instance.pk]))
        )
    )
    instance._kept_user_id = instance.user_id  # type: ignore[attr-defined]


def _clinic_changed(instance: Clinic, **kwargs: Any) -> None:
    patients = Patient.objects.filter(clinic=instance)
    forget_for_users(
        User.objects.filter(
            Q(pk__in=StaffMember.objects.filter(clinic=instance).values("user_id"))
            | Q(pk__in=patients.values("user_id"))
            | Q(pk__in=_proxies_of(patients.values("pk")))
        )
    )


def connect() -> None:
    """Called once, when the app is ready."""
    for model, receiver in (
        (ProxyGrant, _grant_changed),
        (StaffMember, _membership_changed),
        (Patient, _patient_changed),
        (Clinic, _clinic_changed),
    ):
        uid = f"kept-acting-{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-deleted")
    post_init.connect(_patient_loaded, sender=Patient, dispatch_uid="kept-acting-patient-loaded")
