"""Every message the code marks for translation, found the way `makemessages` finds them but
without GNU xgettext: Python files are read token by token for the gettext calls Django's
makemessages asks xgettext for, and templates are first turned into such calls by Django's own
`templatize` (what makemessages feeds xgettext)."""

from __future__ import annotations

import ast
import fnmatch
import io
import os
import tokenize
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation.template import templatize

from carebridge.lib.catalogue.pofile import Key

# Which arguments of each gettext function are (context, singular, plural): the keywords
# makemessages passes to xgettext, plus xgettext's own defaults for Python.
_CALLS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
# As makemessages: a directory or file whose name matches one of these is skipped.
DEFAULT_IGNORED = ("CVS", ".*", "*~", "*.pyc", ".venv", "var", "tests", "bench", "node_modules")
TEMPLATE_SUFFIXES = (".html", ".txt")


def _arguments(tokens: list[tokenize.TokenInfo], start: int) -> list[str | None]:
    """The call's arguments from the token after "(": each a string literal (adjacent ones
    joined) or None for anything else."""
    arguments: list[str | None] = []
    current: list[str] = []
    literal_only = True
    depth = 0
    for token in tokens[start:]:
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
            literal_only = False
        elif token.type == tokenize.OP and token.string in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif token.type == tokenize.OP and token.string == "," and depth == 0:
            arguments.append("".join(current) if literal_only and current else None)
            current, literal_only = [], True
        elif token.type == tokenize.STRING and depth == 0:
            prefix = token.string[: token.string.index(token.string[-1])].lower()
            if "f" in prefix:
                literal_only = False
            else:
                current.append(ast.literal_eval(token.string))
        elif token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            literal_only = False
    arguments.append("".join(current) if literal_only and current else None)
    return arguments


def extract_from_code(source: str) -> Iterator[Key]:
    """The (context, msgid, plural) of each gettext call with literal arguments in `source`."""
    tokens = [
        token
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type not in (tokenize.NL, tokenize.COMMENT)
    ]
    for index, token in enumerate(tokens[:-1]):
        spec = _CALLS.get(token.string) if token.type == tokenize.NAME else None
        if spec is None or tokens[index + 1].string != "(":
            continue
        arguments = _arguments(tokens, index + 2)
        context_at, singular_at, plural_at = spec
        wanted = [at for at in spec if at is not None]
        if len(arguments) <= max(wanted) or any(arguments[at] is None for at in wanted):
            continue
        yield (
            arguments[context_at] or "" if context_at is not None else "",
            arguments[singular_at] or "",
            arguments[plural_at] or "" if plural_at is not None else "",
        )


def _is_ignored(name: str, ignored: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in ignored)


def source_files(root: Path, ignored: tuple[str, ...] = DEFAULT_IGNORED) -> Iterator[Path]:
    """The .py, .html and .txt files makemessages reads under `root`, skipping `ignored`."""
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if not _is_ignored(name, ignored))
        for name in sorted(files):
            if name.endswith((".py", *TEMPLATE_SUFFIXES)) and not _is_ignored(name, ignored):
                yield Path(folder) / name


def extract_from_file(path: Path) -> Iterator[Key]:
    source = path.read_text(encoding="utf-8")
    if path.suffix in TEMPLATE_SUFFIXES:
        # templatize keeps the template's indentation, which is no Python block structure.
        code = templatize(source, origin=str(path))
        source = "\n".join(line.lstrip() for line in code.splitlines())
    yield from extract_from_code(source)


def extract_messages(root: Path, ignored: tuple[str, ...] = DEFAULT_IGNORED) -> set[Key]:
    """Every message key the project under `root` uses (makemessages' set, minus the header)."""
    keys: set[Key] = set()
    for path in source_files(root, ignored):
        keys.update(extract_from_file(path))
    keys.discard(("", "", ""))
    return keys
