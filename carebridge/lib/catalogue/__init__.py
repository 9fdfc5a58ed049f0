"""The Spanish catalogue's tooling in pure Python: reading .po files, finding every string the
code marks for translation (without xgettext), and checking a catalogue against them.

`make messages` writes the catalogue with Django's makemessages (which needs GNU gettext);
the tests read it with this package, so they run on a machine that has only Python.
See docs/adr/0013-spanish-catalogue.md.
"""
