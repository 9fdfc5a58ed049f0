"""The unread count beside "Messages", kept between a person's requests (one query saved on
every page): it is counted again only after the viewer's kept key has been renewed.

Everything the count depends on renews the keys it concerns, in the same transaction:
- a conversation saved or deleted (a message sent sets its `last_message_at`; created, moved,
  closed) renews the patient's own account and everyone with a grant to the patient;
- a reading saved or deleted (`ThreadRead`) renews the reader's;
- whom the viewer acts for, and what the teen rules hide, renew it through the acting context's
  receivers (carebridge/proxies/kept.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from carebridge.accounts.kept import forget_for, kept
from carebridge.accounts.models import User
from carebridge.messaging.models import Thread, ThreadRead
from carebridge.messaging.selectors import count_unread
from carebridge.patients.models import Patient
from carebridge.proxies.kept import forget_for_patients


def kept_unread_count(patient: Patient, viewer: User, *, hides_patients_own: bool) -> int:
    """`count_unread(...)`, kept while the viewer's kept key is unchanged."""
    hidden = hides_patients_own
    name = f"unread:{patient.pk}:{hides_patients_own}"
    return kept(viewer, name, lambda: count_unread(patient, viewer, hides_patients_own=hidden))


def _conversation_changed(instance: Thread, **kwargs: Any) -> None:
    forget_for_patients([instance.patient_id])


def _reading_changed(instance: ThreadRead, **kwargs: Any) -> None:
    forget_for([instance.user_id])


def connect() -> None:
    """Called once, when the app is ready."""
    for model, receiver in ((Thread, _conversation_changed), (ThreadRead, _reading_changed)):
        uid = f"kept-unread-{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-deleted")
