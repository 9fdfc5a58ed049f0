"""Input for the patient's appointment pages."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Location, Practitioner
from carebridge.core.forms import BoundedDateField
from carebridge.lib.dates import parse_input_datetime
from carebridge.scheduling.availability import Slot
from carebridge.scheduling.models import VisitType

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

REASON_MAX_LENGTH = 500


class FirstRadioSelect(forms.RadioSelect):
    """Radio buttons whose group is labelled by its first button, so that the error summary's
    link for the group moves the focus to a real control."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class CancelForm(forms.Form):
    """Why the appointment is cancelled: optional, kept for the clinic, never e-mailed."""

    reason = forms.CharField(
        label=_("Why are you cancelling? (optional)"),
        help_text=_("Only the clinic sees this."),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChangeRequestForm(forms.Form):
    """Asking the clinic to cancel or move an appointment it booked: which, and a note."""

    change = forms.ChoiceField(
        label=_("What would you like the clinic to do?"),
        choices=[
            ("cancel", _("Cancel the appointment")),
            ("move", _("Move it to another time")),
        ],
        widget=FirstRadioSelect,
        error_messages={"required": _("Choose whether to cancel or move the appointment.")},
    )
    note = forms.CharField(
        label=_("Anything the clinic should know? (optional)"),
        help_text=_("For example, the days and times that suit you. Only the clinic sees this."),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def visit_type_field() -> forms.ModelChoiceField:
    """The kind of visit, as radio buttons; each form sets the queryset it may offer."""
    return forms.ModelChoiceField(
        label=_("What kind of appointment?"),
        queryset=VisitType.objects.none(),
        widget=FirstRadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the kind of appointment.")},
    )


def purpose_field(help_text: StrOrPromise) -> forms.CharField:
    """What the appointment is for, in the patient's words: optional, for the clinic only."""
    return forms.CharField(
        label=_("What is the appointment for? (optional)"),
        help_text=help_text,
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def practitioner_field(label: Any, empty_label: Any) -> forms.ModelChoiceField:
    """An optional choice of clinician; the form sets the queryset to those on offer."""
    return forms.ModelChoiceField(
        label=label, queryset=Practitioner.objects.none(), required=False, empty_label=empty_label
    )


def location_field(label: Any, empty_label: Any) -> forms.ModelChoiceField:
    """An optional choice of place; the form sets the queryset to those on offer."""
    return forms.ModelChoiceField(
        label=label, queryset=Location.objects.none(), required=False, empty_label=empty_label
    )


def date_field(label: Any, *, required: bool = False) -> BoundedDateField:
    """A day to show or book from, in the years the portal can hold (see BoundedDateField)."""
    return BoundedDateField(label=label, required=required)


class VisitChoiceForm(forms.Form):
    """Step 1 of booking: the kind of visit, and why (optional, for the clinic only)."""

    visit_type = visit_type_field()
    reason = purpose_field(_("Only the clinic sees this. It helps them get ready for the visit."))

    def __init__(self, *args: Any, visit_types: QuerySet[VisitType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["visit_type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = visit_types


class TimesFilterForm(forms.Form):
    """Step 2's filters (in the address, so no health information): who, where, from when."""

    practitioner = practitioner_field(_("With"), _("Anyone"))
    location = location_field(_("Where"), _("Anywhere"))
    date = date_field(_("From"))

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


class TimeChoiceForm(forms.Form):
    """A chosen time, as the times page sends it: the kind of visit, and "who.where.when" with
    ids and the start in ISO 8601 with its offset (no health information: it may be in the
    address)."""

    visit_type = forms.IntegerField(widget=forms.HiddenInput)
    time = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": _("Choose one of the times.")}
    )

    def clean_time(self) -> tuple[int, int, datetime.datetime]:
        return parse_time_value(self.cleaned_data["time"])


def parse_time_value(value: str) -> tuple[int, int, datetime.datetime]:
    """A chosen time as the times list sends it ("who_where_when", see `time_value`):
    practitioner id, location id, and an aware start in the years the portal can hold."""
    try:
        practitioner, location, starts_at = value.split("_", 2)
        chosen = (_small_id(practitioner), _small_id(location), parse_input_datetime(starts_at))
    except ValueError:
        raise forms.ValidationError(_("Choose one of the times."), code="invalid") from None
    if chosen[2] is None:
        raise forms.ValidationError(_("Choose one of the times."), code="invalid")
    return chosen[0], chosen[1], chosen[2]


def _small_id(text: str) -> int:
    """A database id as typed: digits only, and small enough for any database's integer."""
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise ValueError(text)
    return int(text)


def time_value(slot: Slot) -> str:
    """A slot as the value `TimeChoiceForm.time` reads back."""
    return f"{slot.practitioner.pk}_{slot.location.pk}_{slot.starts_at.isoformat()}"


class RequestForm(forms.Form):
    """A request for a kind of visit that cannot be booked online; words for the clinic only."""

    visit_type = visit_type_field()
    reason = purpose_field(_("Only the clinic sees this."))
    preferences = forms.CharField(
        label=_("Which days and times suit you? (optional)"),
        help_text=_("For example: weekday mornings, not Fridays."),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, visit_types: list[VisitType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["visit_type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = VisitType.objects.filter(pk__in=[t.pk for t in visit_types])
