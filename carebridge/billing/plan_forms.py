"""The payment plan form: the number of months, from the choices the clinic's rules allow."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.billing.money import format_cents
from carebridge.billing.services.plans import PlanChoice


def choice_words(choice: PlanChoice) -> str:
    """ "3 months: $33.34 a month" (the first, largest, amount; the others may be a cent less)."""
    return _("%(months)d months: %(amount)s a month") % {
        "months": choice.months,
        "amount": format_cents(choice.monthly_cents),
    }


class PlanForm(forms.Form):
    months = forms.TypedChoiceField(
        label=gettext_lazy("How many months"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how many months.")},
    )

    def __init__(self, *args: object, choices: list[PlanChoice], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["months"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(choice.months, choice_words(choice)) for choice in choices]
