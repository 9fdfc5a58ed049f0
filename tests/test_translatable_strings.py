"""Every user-facing string in a template is marked for translation.

Text between tags, and the text of attributes people read (aria-label, title, alt, placeholder),
must come from {% translate %} or {% blocktranslate %}, or from a variable. The brand name and
punctuation are the only exceptions.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_WORDS = {"Carebridge"}

_BLOCK_TRANSLATE = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S
)
_COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
_TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_READ_ATTRS = re.compile(r"""\b(aria-label|title|alt|placeholder)\s*=\s*("[^"]*"|'[^']*')""", re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&[#a-zA-Z0-9]+;")
_WORD = re.compile(r"[A-Za-z]{2,}")


def project_templates() -> list[Path]:
    folders = [ROOT / "templates", *sorted((ROOT / "carebridge").glob("*/templates"))]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def untranslated_words(source: str) -> list[str]:
    text = _SCRIPT.sub(" ", _COMMENT.sub(" ", _BLOCK_TRANSLATE.sub(" ", source)))
    words = []
    for _name, value in _READ_ATTRS.findall(text):
        words += _WORD.findall(_TEMPLATE_CODE.sub(" ", value))
    text = _ENTITY.sub(" ", _TAG.sub(" ", _TEMPLATE_CODE.sub(" ", text)))
    words += _WORD.findall(text)
    return [word for word in words if word not in ALLOWED_WORDS]


def test_the_check_finds_untranslated_text() -> None:
    assert untranslated_words("<p>Hello {{ name }}</p>") == ["Hello"]
    assert untranslated_words('<nav aria-label="Main">') == ["Main"]
    assert untranslated_words("<p>{% translate 'Hello' %} {{ name }}</p>") == []
    assert untranslated_words("{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}") == []


@pytest.mark.parametrize("path", project_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_strings_are_translatable(path: Path) -> None:
    assert untranslated_words(path.read_text()) == []
