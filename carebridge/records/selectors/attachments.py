"""The readable text of a FHIR Attachment: plain text as it is, HTML reduced to its text.

Safety rule: HTML from another system is never shown as markup. It is parsed only to pull out
its text (scripts and styles dropped), and that text is then escaped like any other value when
the page is rendered. Anything that is not text (PDFs, images, word-processor files) is not
decoded at all: the page tells the patient they can ask the clinic for it.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.utils.translation import gettext as _

# Enough for any clinical note; longer text is cut, and the page says so.
MAX_TEXT_CHARS = 100_000
PLAIN_TYPES = ("text/plain", "text/markdown")
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Elements after which the text starts a new line, so paragraphs stay apart.
BLOCK_ELEMENTS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "ul",
        "ol",
        "section",
        "article",
        "header",
        "footer",
        "pre",
    ]
)
HIDDEN_ELEMENTS = frozenset(("script", "style", "head", "title"))
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class AttachmentText:
    """One attachment, ready to show: its text when it is text, else what kind of file it is."""

    title: str
    kind: str
    text: str
    is_shortened: bool = False
    # Plain text is preferred over an HTML copy of the same document.
    is_plain: bool = False

    @property
    def has_text(self) -> bool:
        return bool(self.text)


def media_type(content_type: str) -> tuple[str, str]:
    """ "text/plain; charset=UTF-8" as ("text/plain", "UTF-8")."""
    kind, _sep, rest = content_type.partition(";")
    charset = ""
    for parameter in rest.split(";"):
        name, _eq, value = parameter.strip().partition("=")
        if name.lower() == "charset":
            charset = value.strip().strip('"')
    return kind.strip().lower(), charset


def kind_words(kind: str) -> str:
    """What kind of file this is, in words a patient knows."""
    if kind in PLAIN_TYPES or kind in HTML_TYPES:
        return _("Text")
    if kind == "application/pdf":
        return _("PDF document")
    if kind.startswith("image/") or kind == "application/dicom":
        return _("Picture or scan")
    if kind in ("text/rtf", "application/rtf", "application/msword") or "wordprocessing" in kind:
        return _("Word-processor document")
    return _("File")


def attachment_text(attachment: Mapping[str, Any]) -> AttachmentText:
    """The attachment's text when it is plain text or HTML held in the record, else its kind."""
    kind, charset = media_type(str(attachment.get("contentType") or ""))
    title = str(attachment.get("title") or "")
    data = attachment.get("data")
    if kind not in PLAIN_TYPES + HTML_TYPES or not isinstance(data, str):
        return AttachmentText(title=title, kind=kind_words(kind), text="")
    text = decode_text(data, charset)
    if kind in HTML_TYPES:
        text = html_to_text(text)
    text = text.strip()
    return AttachmentText(
        title=title,
        kind=kind_words(kind),
        text=text[:MAX_TEXT_CHARS],
        is_shortened=len(text) > MAX_TEXT_CHARS,
        is_plain=kind in PLAIN_TYPES,
    )


def decode_text(data: str, charset: str) -> str:
    """Base64 `data` as text; empty when it is not valid base64. Unknown bytes become "�"."""
    # Four base64 characters hold three bytes: decode no more than the page can show.
    limit = (MAX_TEXT_CHARS * 4 // 3 + 8) * 4
    try:
        raw = base64.b64decode("".join(data.split())[:limit], validate=True)
    except (binascii.Error, ValueError):
        return ""
    try:
        return raw.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


class _TextOnly(HTMLParser):
    """Collects an HTML document's text; drops its tags, scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
        elif tag in BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        # As in a browser, a run of spaces and line breaks inside a paragraph is one space.
        if not self.hidden:
            self.parts.append(_SPACES.sub(" ", data))


def html_to_text(html: str) -> str:
    """The text of an HTML document, one line per paragraph, with no markup left in it."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    text = "\n".join(lines).strip()
    # Keep one blank line between paragraphs, never a run of them.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text
