"""The helper that checks an e-mail or page does not mention someone."""

from carebridge.testing.text import mentions


def test_a_word_on_its_own_is_found():
    assert mentions("Dear Pat, hello", "Pat") is True
    assert mentions("See Pat's results", "Pat") is True
    assert mentions("Results: 7.2 %", "7.2") is True


def test_a_word_inside_a_random_key_is_not_a_mention():
    assert mentions("/accept/hSYt98hfX7PatQTRNcr1/", "Pat") is False
    assert mentions("token=ab1956cd", "1956") is False
    assert mentions("Patients", "Patient") is False
