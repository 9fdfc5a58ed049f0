"""Where message attachments are kept: checked all together before anything is written, written
under random names to `CAREBRIDGE_ATTACHMENT_DIR` (private storage, never served by the web
server), recorded against their message, and removed again when what they belonged to is not
saved or is deleted."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from carebridge.lib.files import make_folder, remove_all, write_all
from carebridge.messaging.attachments import AttachmentError, CheckedFile, check_attachment
from carebridge.messaging.models import Attachment, Message


def attachment_dir() -> Path:
    return Path(settings.CAREBRIDGE_ATTACHMENT_DIR)


def check_files(files: Sequence[tuple[str, bytes]], *, already: int = 0) -> list[CheckedFile]:
    """Check every file, or raise for the first refused one: nothing is written before this.
    `already` counts the files a draft keeps, which share the limit."""
    most = settings.CAREBRIDGE_ATTACHMENTS_PER_MESSAGE
    if already + len(files) > most:
        raise AttachmentError(
            _("You can attach up to %(most)d files to one message.") % {"most": most},
            code="too_many",
        )
    return [check_attachment(name, data) for name, data in files]


def write_files(checked: list[CheckedFile]) -> list[Path]:
    """Write the checked files under random names, all or none: on a full disk or a write
    error every file written is removed and `FileWriteError` (a `ValidationError`, shown at the
    top of the form) is raised, before anything is written to the database."""
    if not checked:
        return []
    refusal = _("We could not save your file right now. Nothing was sent. Please try again later.")
    folder = attachment_dir()
    make_folder(folder, refusal=refusal)
    pending = [(folder / secrets.token_hex(16), [item.data]) for item in checked]
    return write_all(pending, refusal=refusal)


def remove_files(paths: list[Path]) -> None:
    remove_all(paths)


def attach_files(message: Message, checked: list[CheckedFile], paths: list[Path]) -> None:
    """Record the checked files, already written to `paths`, as the message's attachments."""
    Attachment.objects.bulk_create(
        Attachment(
            message=message,
            original_name=item.name,
            content_type=item.content_type,
            size=len(item.data),
            sha256=item.sha256,
            stored_name=path.name,
        )
        for item, path in zip(checked, paths, strict=True)
    )


def attachment_response(attachment: Attachment) -> FileResponse:
    """The stored file as a download the browser does not sniff (404 if it is gone)."""
    try:
        handle = (attachment_dir() / attachment.stored_name).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
