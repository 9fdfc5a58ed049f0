"""Input for the waiting list pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.scheduling.forms import location_field, practitioner_field
from carebridge.scheduling.models import VisitType


class WaitlistJoinForm(forms.Form):
    """Whom and where an earlier time may be with: anyone and anywhere, or a chosen one."""

    practitioner = practitioner_field(_("With"), _("Anyone"))
    location = location_field(_("Where"), _("Anywhere"))

    def __init__(self, *args: Any, visit_type: VisitType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "practitioner": visit_type.practitioners.order_by("family_name", "given_name"),
            "location": visit_type.locations.order_by("name"),
        }
        for name, queryset in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
