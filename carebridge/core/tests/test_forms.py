"""Form fields tie their hints and errors to the inputs that screen readers announce."""

from __future__ import annotations

from django import forms


class Sample(forms.Form):
    email = forms.EmailField(help_text="Where we write to you.")
    sections = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )


def test_a_single_input_points_at_its_hint_and_error():
    form = Sample({"email": "not an address", "sections": ["a"]})
    html = str(form["email"])
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'aria-invalid="true"' in html


def test_options_of_a_group_point_nowhere_but_say_the_group_is_invalid():
    form = Sample({"email": "a@example.org"})
    html = str(form["sections"])
    assert "aria-describedby" not in html
    assert html.count('aria-invalid="true"') == 2
