"""The clinic's logo, as its administrators upload or remove it from the console.

The picture is checked and re-encoded (`carebridge.clinic.logos`) before anything is written,
written under a random name to private storage (`CAREBRIDGE_ATTACHMENT_DIR/logos/`, served by
`carebridge.clinic.views`), and removed again if the row is not saved; the logo it replaces is
removed once the change is committed. So a refusal or a failure leaves no file behind.

Audit rule: "clinic_branding" updated, with the stored file name before and after.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.services import record_change
from carebridge.clinic.logos import logo_png
from carebridge.clinic.models import Clinic
from carebridge.clinic.selectors import logo_dir
from carebridge.clinic.services.common import copy_to_caller, forget_on_commit, locked_clinic
from carebridge.lib.files import make_folder, remove_all, write_all

if TYPE_CHECKING:
    from carebridge.accounts.models import User

_FIELDS = ("logo", "branding_version")


def set_logo(
    *, actor: User, clinic: Clinic, data: bytes, request: HttpRequest | None = None
) -> Clinic:
    """Store `data` as the clinic's logo. Refused (ValidationError, nothing written) for
    anything but a readable PNG, JPEG or WebP picture of at most 2 MB."""
    png = logo_png(data)
    refusal = _("We could not save the logo right now. Nothing was changed. Try again later.")
    folder = logo_dir()
    make_folder(folder, refusal=refusal)
    [path] = write_all([(folder / f"{secrets.token_hex(16)}.png", [png])], refusal=refusal)
    try:
        return _replace(actor, clinic, path.name, request)
    except BaseException:
        remove_all([path])
        raise


def remove_logo(*, actor: User, clinic: Clinic, request: HttpRequest | None = None) -> Clinic:
    """Stop showing a logo: the portal shows the clinic's name alone."""
    return _replace(actor, clinic, "", request)


def _replace(actor: User, clinic: Clinic, stored: str, request: HttpRequest | None) -> Clinic:
    with transaction.atomic():
        row = locked_clinic(clinic)
        old = row.logo
        if old == stored:
            return clinic
        row.logo = stored
        row.branding_version += 1
        row.save(update_fields=list(_FIELDS))
        record_change(
            actor=actor,
            object_type="clinic_branding",
            object_id=row.pk,
            before={"logo": old or None},
            after={"logo": stored or None},
            request=request,
        )
        forget_on_commit()
        if old:
            transaction.on_commit(lambda: remove_all([Path(logo_dir()) / old]))
    copy_to_caller(row, clinic, _FIELDS)
    return clinic
