"""Reading gettext .po files: entries with their context, plural forms, flags and whether they
are obsolete, as msgfmt reads them (fuzzy and untranslated entries are left out of the .mo)."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

# The key a message has in a catalogue: (context, msgid, msgid_plural), "" for none.
Key = tuple[str, str, str]

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
_CONTINUATION = re.compile(r"^\s*(\".*\")\s*$")


@dataclasses.dataclass
class Entry:
    msgid: str = ""
    msgctxt: str = ""
    msgid_plural: str = ""
    msgstr: str = ""
    # Plural translations by index (msgstr[0], msgstr[1], ...).
    plurals: dict[int, str] = dataclasses.field(default_factory=dict)
    flags: set[str] = dataclasses.field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and not self.msgctxt

    @property
    def is_fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translations(self) -> list[str]:
        """Every msgstr of the entry (one, or one per plural form)."""
        if self.msgid_plural:
            return [self.plurals[index] for index in sorted(self.plurals)]
        return [self.msgstr]

    @property
    def is_translated(self) -> bool:
        return bool(self.translations) and all(self.translations)


class PoSyntaxError(ValueError):
    pass


def _unquote(literal: str, line: int) -> str:
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError) as error:
        raise PoSyntaxError(f"line {line}: not a quoted string: {literal}") from error
    if not isinstance(value, str):
        raise PoSyntaxError(f"line {line}: not a quoted string: {literal}")
    return value


class _Reader:
    """Reads one entry after another; a blank line or a new comment block ends an entry."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.entry = Entry()
        self.field: tuple[str, int | None] | None = None
        self.started = False

    def finish(self) -> None:
        if self.started:
            self.entries.append(self.entry)
        self.entry, self.field, self.started = Entry(), None, False

    def comment(self, text: str, number: int) -> None:
        if self.field is not None:
            self.finish()
        if text.startswith("#,"):
            self.entry.flags |= {flag.strip() for flag in text[2:].split(",") if flag.strip()}

    def keyword(self, name: str, index: str | None, literal: str, number: int) -> None:
        # A msgid (or msgctxt) after a msgstr starts the next entry.
        if name in {"msgid", "msgctxt"} and self.field is not None and self.field[0] == "msgstr":
            self.finish()
        if not self.started:
            self.entry.line, self.started = number, True
        field = "msgstr" if name.startswith("msgstr") else name
        self.field = (field, int(index) if index is not None else None)
        self.append(_unquote(literal, number))

    def append(self, text: str) -> None:
        assert self.field is not None
        field, index = self.field
        if index is not None:
            self.entry.plurals[index] = self.entry.plurals.get(index, "") + text
        else:
            setattr(self.entry, field, getattr(self.entry, field) + text)


def parse_po(text: str) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") included, obsolete ones (#~) marked."""
    reader = _Reader()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):
                line = "#" + line
        if not line:
            reader.finish()
        elif line.startswith("#"):
            reader.comment(line, number)
        elif match := _KEYWORD.match(line):
            reader.keyword(match[1].split("[")[0], match[2], match[3], number)
        elif (match := _CONTINUATION.match(line)) and reader.field is not None:
            reader.append(_unquote(match[1], number))
        else:
            raise PoSyntaxError(f"line {number}: cannot read {raw!r}")
        if obsolete and not line.startswith("#"):
            reader.entry.obsolete = True
    reader.finish()
    return reader.entries


def read_po(path: Path) -> list[Entry]:
    return parse_po(path.read_text(encoding="utf-8"))


def compiled_messages(entries: list[Entry]) -> dict[str | tuple[str, int], str]:
    """What msgfmt puts in the .mo, in the shape of `gettext.GNUTranslations._catalog`:
    translated entries that are neither fuzzy nor obsolete (the header always), plurals keyed
    (msgid, index), a context joined to its msgid with EOT."""
    catalog: dict[str | tuple[str, int], str] = {}
    for entry in entries:
        if entry.obsolete or (not entry.is_header and (entry.is_fuzzy or not entry.is_translated)):
            continue
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.plurals.items():
                catalog[(msgid, index)] = text
        else:
            catalog[msgid] = entry.msgstr
    return catalog
