"""The catalogue tooling on small made-up catalogues and sources: the completeness check
catches each kind of fault, and the extractor finds what makemessages finds."""

from __future__ import annotations

import textwrap
from pathlib import Path

from carebridge.lib.catalogue.checks import (
    catalogue_problems,
    placeholders,
    same_placeholders,
    tags,
)
from carebridge.lib.catalogue.extract import extract_from_code, extract_messages
from carebridge.lib.catalogue.pofile import compiled_messages, parse_po

HEADER = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'

GOOD = HEADER + textwrap.dedent(
    """\
    #, python-format
    msgid "Hello %(name)s"
    msgstr "Hola, %(name)s"

    msgctxt "verb"
    msgid "Book"
    msgstr "Reservar"

    #, python-format
    msgid "%(count)s message"
    msgid_plural "%(count)s messages"
    msgstr[0] "un mensaje"
    msgstr[1] "%(count)s mensajes"
    msgstr[2] "%(count)s mensajes"

    msgid "<strong>Call 911</strong> now."
    msgstr "<strong>Llame al 911</strong> ahora."

    #~ msgid "Old"
    #~ msgstr "Viejo"
    """
)
USED = {
    ("", "Hello %(name)s", ""),
    ("verb", "Book", ""),
    ("", "%(count)s message", "%(count)s messages"),
    ("", "<strong>Call 911</strong> now.", ""),
}


def test_a_good_catalogue_has_no_problems() -> None:
    assert catalogue_problems(parse_po(GOOD), USED) == []


def test_entries_are_read_with_context_plurals_flags_and_obsolescence() -> None:
    entries = parse_po(GOOD)
    assert [entry.key for entry in entries] == [("", "", ""), *sorted(USED, key=_order), _OLD]
    assert entries[3].plurals == {0: "un mensaje", 1: "%(count)s mensajes", 2: "%(count)s mensajes"}
    assert entries[1].flags == {"python-format"}
    assert [entry.obsolete for entry in entries] == [False, False, False, False, False, True]


_OLD = ("", "Old", "")
_ORDER = ["Hello %(name)s", "Book", "%(count)s message", "<strong>Call 911</strong> now."]


def _order(key: tuple[str, str, str]) -> int:
    return _ORDER.index(key[1])


def test_a_missing_string_is_caught() -> None:
    used = {*USED, ("", "Sign in", "")}
    assert catalogue_problems(parse_po(GOOD), used) == ["'Sign in': it is missing"]


def test_an_obsolete_entry_does_not_count_as_a_translation() -> None:
    used = {*USED, _OLD}
    assert catalogue_problems(parse_po(GOOD), used) == ["'Old': it is missing"]


def test_an_untranslated_string_is_caught() -> None:
    po = GOOD.replace('msgstr "Reservar"', 'msgstr ""')
    assert catalogue_problems(parse_po(po), USED) == ["verb|'Book': it is not translated"]


def test_an_untranslated_plural_form_is_caught() -> None:
    po = GOOD.replace('msgstr[1] "%(count)s mensajes"', 'msgstr[1] ""')
    assert catalogue_problems(parse_po(po), USED) == ["'%(count)s message': it is not translated"]


def test_a_fuzzy_string_is_caught() -> None:
    po = GOOD.replace('msgctxt "verb"', '#, fuzzy\nmsgctxt "verb"')
    assert catalogue_problems(parse_po(po), USED) == ["verb|'Book': it is fuzzy (a guess to check)"]


def test_a_dropped_or_renamed_placeholder_is_caught() -> None:
    for broken in ('"Hola"', '"Hola, %(nombre)s"', '"Hola, %s"'):
        po = GOOD.replace('"Hola, %(name)s"', broken)
        assert catalogue_problems(parse_po(po), USED) == [
            "'Hello %(name)s': the placeholders differ from the English"
        ]


def test_a_plural_that_loses_its_count_is_caught() -> None:
    po = GOOD.replace('msgstr[2] "%(count)s mensajes"', 'msgstr[2] "mensajes"')
    assert catalogue_problems(parse_po(po), USED) == [
        "'%(count)s message': the last plural form does not keep the English placeholders"
    ]


def test_a_changed_or_dropped_html_tag_is_caught() -> None:
    for broken in ("<b>Llame al 911</b> ahora.", "Llame al 911 ahora.", "<strong>Llame al 911"):
        po = GOOD.replace("<strong>Llame al 911</strong> ahora.", broken)
        assert catalogue_problems(parse_po(po), USED) == [
            "'<strong>Call 911</strong> now.': the HTML tags differ from the English"
        ]


def test_words_in_attributes_may_be_translated_but_not_the_rest_of_the_tag() -> None:
    assert tags('<a href="/x" title="Help">') == tags('<a href="/x" title="Ayuda">')
    assert tags('<a href="/x">') != tags('<a href="/y">')


def test_placeholders_are_named_or_counted_in_order() -> None:
    assert placeholders("%(a)s and %(b)d, 100%% and %s %.1f") == {
        "%(a)": 1,
        "%(b)": 1,
        "#1:%s": 1,
        "#2:%.1f": 1,
    }


def test_what_msgfmt_compiles_leaves_out_fuzzy_and_untranslated_entries() -> None:
    po = GOOD.replace('msgstr "Reservar"', 'msgstr ""').replace(
        '#, python-format\nmsgid "Hello', '#, python-format, fuzzy\nmsgid "Hello'
    )
    assert compiled_messages(parse_po(po)) == {
        "": "Language: es\n",
        ("%(count)s message", 0): "un mensaje",
        ("%(count)s message", 1): "%(count)s mensajes",
        ("%(count)s message", 2): "%(count)s mensajes",
        "<strong>Call 911</strong> now.": "<strong>Llame al 911</strong> ahora.",
    }


def test_python_calls_with_literal_arguments_are_extracted() -> None:
    source = textwrap.dedent(
        """\
        _("One") + gettext_lazy("Two " "joined")
        translation.gettext("Three")
        ngettext("%(n)s day", "%(n)s days", n)
        pgettext_lazy("month", "May")
        gettext(variable)
        gettext(f"not {this}")
        other("Not this")
        """
    )
    assert list(extract_from_code(source)) == [
        ("", "One", ""),
        ("", "Two joined", ""),
        ("", "Three", ""),
        ("", "%(n)s day", "%(n)s days"),
        ("month", "May", ""),
    ]


def test_templates_are_extracted_through_djangos_templatize(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "{% load i18n %}\n  <h1>{% translate 'Results' %}</h1>\n"
        "    <p>{% blocktranslate trimmed with name=user.name %}\n"
        "      Hello {{ name }},\n      welcome.\n    {% endblocktranslate %}</p>\n"
        '{% translate "May" context "month" %}\n'
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text('_("Ignored")\n')
    assert extract_messages(tmp_path) == {
        ("", "Results", ""),
        ("", "Hello %(name)s, welcome.", ""),
        ("month", "May", ""),
    }


def test_a_named_placeholder_may_appear_fewer_times_than_in_the_english() -> None:
    english = "Some parts of %(name)s's record are private to %(name)s, as %(name)s is %(age)s."
    assert same_placeholders(english, "Partes del historial de %(name)s, que tiene %(age)s años.")
    assert not same_placeholders(english, "Partes del historial, que tiene %(age)s años.")
    assert not same_placeholders("%s and %s", "%s")
