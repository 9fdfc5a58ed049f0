"""What is wrong with a catalogue, for the messages the code uses: missing, untranslated or
fuzzy entries, and translations that drop or change a placeholder or an HTML tag (which would
break the page, or raise when Python formats the string)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from carebridge.lib.catalogue.pofile import Entry, Key

# A printf-style placeholder as Python's % operator reads it: %(name)s, %s, %d, %.1f ...
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w-]*)((?:\s+[^>]*?)?)\s*(/?)\s*>")
# Attributes whose values are words for people, which a translation rightly changes.
_WORDS_ATTRIBUTE = re.compile(r"""\s(aria-label|title|alt|placeholder)=(".*?"|'.*?')""")


def placeholders(text: str) -> Counter[str]:
    """The placeholders of `text` (named ones by name, unnamed ones in order), "%%" aside."""
    found: Counter[str] = Counter()
    unnamed = 0
    for match in _PLACEHOLDER.finditer(text):
        if match[0] == "%%":
            continue
        if match[1]:
            found[f"%({match[1]})"] += 1
        else:
            unnamed += 1
            found[f"#{unnamed}:{match[0]}"] += 1
    return found


def tags(text: str) -> Counter[str]:
    """The HTML tags of `text`, attributes included except the ones that hold words."""
    return Counter(
        "<{}{}{}{}>".format(
            match[1], match[2].lower(), _WORDS_ATTRIBUTE.sub(r" \1", match[3]), match[4]
        )
        for match in _TAG.finditer(text)
    )


def _named(counter: Counter[str]) -> set[str]:
    return {name for name in counter if name.startswith("%(")}


def same_placeholders(source: str, text: str) -> bool:
    """Every named placeholder kept (Spanish may name someone once where English repeats the
    name), and the unnamed ones exactly, in order (they are filled by position)."""
    mine, theirs = placeholders(source), placeholders(text)
    return _named(mine) == _named(theirs) and {
        key: count for key, count in mine.items() if key.startswith("#")
    } == {key: count for key, count in theirs.items() if key.startswith("#")}


def _format_problems(entry: Entry) -> list[str]:
    problems = []
    is_python_format = "python-format" in entry.flags
    if entry.msgid_plural:
        # A singular may say "one" instead of its count ("un mensaje"), so a plural form may
        # leave a placeholder out; it may not bring one the English does not have.
        allowed = _named(placeholders(entry.msgid)) | _named(placeholders(entry.msgid_plural))
        for index, text in sorted(entry.plurals.items()):
            extra = _named(placeholders(text)) - allowed
            if is_python_format and extra:
                problems.append(f"msgstr[{index}] has placeholders the English lacks: {extra}")
        last = entry.plurals.get(max(entry.plurals, default=0), "")
        if is_python_format and not same_placeholders(entry.msgid_plural, last):
            problems.append("the last plural form does not keep the English placeholders")
        sources, translations = [entry.msgid_plural], [last]
    else:
        if is_python_format and not same_placeholders(entry.msgid, entry.msgstr):
            problems.append("the placeholders differ from the English")
        sources, translations = [entry.msgid], [entry.msgstr]
    for source, text in zip(sources, translations, strict=True):
        if tags(source) != tags(text):
            problems.append("the HTML tags differ from the English")
        if source.startswith("\n") != text.startswith("\n") or source.endswith(
            "\n"
        ) != text.endswith("\n"):
            problems.append("a leading or trailing new line differs from the English")
    return problems


def entry_problems(entry: Entry) -> list[str]:
    """What is wrong with one entry of the catalogue."""
    if entry.obsolete:
        return ["it is obsolete"]
    if entry.is_fuzzy:
        return ["it is fuzzy (a guess to check)"]
    if not entry.is_translated:
        return ["it is not translated"]
    return _format_problems(entry)


def _describe(key: Key) -> str:
    context, msgid, _plural = key
    return f"{context}|{msgid!r}" if context else repr(msgid)


def catalogue_problems(entries: Iterable[Entry], used: Iterable[Key]) -> list[str]:
    """One line per message the code uses that the catalogue does not translate well, sorted."""
    by_key = {entry.key: entry for entry in entries if not entry.obsolete}
    problems: list[str] = []
    for key in sorted(used):
        entry = by_key.get(key)
        reasons = ["it is missing"] if entry is None else entry_problems(entry)
        problems.extend(f"{_describe(key)}: {reason}" for reason in reasons)
    return problems
