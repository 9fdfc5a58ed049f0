"""Checking a file attached to a message before anything of the message is saved: see
`checks.check_attachment`; PDFs are rebuilt in `pdfs`, pictures re-encoded in `pictures`."""

from carebridge.messaging.attachments.checks import CheckedFile, check_attachment, clean_name
from carebridge.messaging.attachments.errors import AttachmentError

__all__ = ["AttachmentError", "CheckedFile", "check_attachment", "clean_name"]
