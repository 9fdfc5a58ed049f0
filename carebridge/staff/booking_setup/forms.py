"""Input for the booking set-up pages: validation only. The rules a visit type keeps live in
`scheduling.services.setup.check_visit_type_rules`, which the form runs to put each message
beside its field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from carebridge.billing.money import cents_from_decimal
from carebridge.clinic.models import Clinic, Location, Practitioner
from carebridge.scheduling.models import OnlineBooking, VisitMode, VisitType, Weekday
from carebridge.scheduling.services.setup import (
    LONGEST_VISIT_MINUTES,
    SHORTEST_VISIT_MINUTES,
    VisitTypeSettings,
    check_visit_type_rules,
)
from carebridge.staff.booking_setup import selectors

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

TEXT_MAX_LENGTH = 2000
# A year ahead in hours, two years ahead in days, a month in hours: beyond these a number is a
# slip of the finger, not a clinic's rule.
MOST_LEAD_HOURS = 8760
MOST_LEAD_DAYS = 730
MOST_CANCEL_HOURS = 720
MOST_COPAY = Decimal("10000.00")


def _whole_number(label: StrOrPromise, low: int, high: int, **kwargs: Any) -> forms.IntegerField:
    # Formatted when shown, so that the words are in the viewer's language.
    words = format_lazy(_("Enter a whole number from {low} to {high}."), low=low, high=high)
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "required": words,
            "invalid": words,
            "min_value": words,
            "max_value": words,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


def _choose_many(label: StrOrPromise, help_text: StrOrPromise) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        help_text=help_text,
        queryset=Practitioner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the list.")},
    )


def _set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class VisitTypeForm(forms.Form):
    """Every setting of a visit type a clinic chooses; `settings()` gives them once valid."""

    name = forms.CharField(
        label=_("Name patients see"),
        max_length=120,
        error_messages={"required": _("Give the visit type a name.")},
    )
    description = forms.CharField(
        label=_("Description in plain words (optional)"),
        help_text=_("What the visit is for and how to prepare. Patients read it when booking."),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    duration_minutes = _whole_number(
        _("Length in minutes"), SHORTEST_VISIT_MINUTES, LONGEST_VISIT_MINUTES
    )
    mode = forms.ChoiceField(
        label=_("How the visit happens"),
        choices=VisitMode.choices,
        error_messages={
            "required": _("Choose how the visit happens."),
            "invalid_choice": _("Choose how the visit happens."),
        },
    )
    online_booking = forms.ChoiceField(
        label=_("Who may book it online"),
        choices=OnlineBooking.choices,
        error_messages={
            "required": _("Choose who may book it online."),
            "invalid_choice": _("Choose who may book it online."),
        },
    )
    practitioners = _choose_many(
        _("Clinicians who offer it"), _("Patients can book only the clinicians ticked here.")
    )
    locations = _choose_many(
        _("Places it is offered"), _("Patients can book only at the places ticked here.")
    )
    min_lead_hours = _whole_number(
        _("Soonest booking, in hours ahead"),
        0,
        MOST_LEAD_HOURS,
        help_text=_("Patients cannot book a time sooner than this."),
    )
    max_lead_days = _whole_number(
        _("Latest booking, in days ahead"),
        1,
        MOST_LEAD_DAYS,
        help_text=_("Patients cannot book a time further ahead than this."),
    )
    cancel_before_hours = _whole_number(
        _("Patients may cancel online until this many hours before"),
        0,
        MOST_CANCEL_HOURS,
    )
    is_active = forms.BooleanField(
        label=_("Offered"),
        help_text=_("Untick to stop offering it. Appointments already booked are kept."),
        required=False,
    )
    copay = forms.DecimalField(
        label=_("Expected copay in dollars (optional)"),
        help_text=_("Shown at check-in. Leave empty when there is usually nothing to pay."),
        required=False,
        min_value=Decimal("0"),
        max_value=MOST_COPAY,
        max_digits=7,
        decimal_places=2,
        error_messages={
            "invalid": _("Enter an amount in dollars, such as 25 or 25.00."),
            "min_value": _("Enter an amount from $0 to $10,000."),
            "max_value": _("Enter an amount from $0 to $10,000."),
            "max_digits": _("Enter an amount from $0 to $10,000."),
            "max_decimal_places": _("Enter dollars and cents, such as 25.50."),
            "max_whole_digits": _("Enter an amount from $0 to $10,000."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    checkin_questions = forms.CharField(
        label=_("Check-in questions (optional)"),
        help_text=_("One question per line. Patients answer them when they check in online."),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "practitioners", selectors.list_clinicians(clinic))
        _set_queryset(self, "locations", selectors.list_locations(clinic))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            check_visit_type_rules(self.settings())
        except ValidationError as problems:
            for name, messages in problems.message_dict.items():
                for message in messages:
                    self.add_error(name, message)
        return data

    def settings(self) -> VisitTypeSettings:
        data = self.cleaned_data
        copay = data.get("copay")
        return VisitTypeSettings(
            name=data["name"].strip(),
            description=data["description"].strip(),
            duration_minutes=data["duration_minutes"],
            mode=data["mode"],
            online_booking=data["online_booking"],
            practitioners=list(data["practitioners"]),
            locations=list(data["locations"]),
            min_lead_hours=data["min_lead_hours"],
            max_lead_days=data["max_lead_days"],
            cancel_before_hours=data["cancel_before_hours"],
            is_active=data["is_active"],
            copay_cents=None if copay is None else cents_from_decimal(copay),
            checkin_questions=data["checkin_questions"].strip(),
        )


def visit_type_initial(visit_type: VisitType) -> dict[str, Any]:
    """The edit form's starting values: the visit type as it is."""
    cents = visit_type.copay_cents
    return {
        "name": visit_type.name,
        "description": visit_type.description,
        "duration_minutes": visit_type.duration_minutes,
        "mode": visit_type.mode,
        "online_booking": visit_type.online_booking,
        "practitioners": list(visit_type.practitioners.all()),
        "locations": list(visit_type.locations.all()),
        "min_lead_hours": visit_type.min_lead_hours,
        "max_lead_days": visit_type.max_lead_days,
        "cancel_before_hours": visit_type.cancel_before_hours,
        "is_active": visit_type.is_active,
        "copay": None if cents is None else Decimal(cents) / 100,
        "checkin_questions": visit_type.checkin_questions,
    }


# What a new visit type starts as: offered to patients seen before, as the model's defaults say.
NEW_VISIT_TYPE = {
    "duration_minutes": 20,
    "mode": VisitMode.IN_PERSON,
    "online_booking": OnlineBooking.ESTABLISHED,
    "min_lead_hours": 2,
    "max_lead_days": 90,
    "cancel_before_hours": 24,
    "is_active": True,
}


class WeeklyHoursForm(forms.Form):
    """A block of weekly hours for one clinician, at one of their places."""

    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=Weekday.choices,
        coerce=int,
        error_messages={"required": _("Choose the day."), "invalid_choice": _("Choose the day.")},
    )
    starts_at = forms.TimeField(
        label=_("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={
            "required": _("Enter the time the hours start, such as 09:00."),
            "invalid": _("Enter the time the hours start, such as 09:00."),
        },
    )
    ends_at = forms.TimeField(
        label=_("Ends at"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={
            "required": _("Enter the time the hours end, such as 17:00."),
            "invalid": _("Enter the time the hours end, such as 17:00."),
        },
    )
    location = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Location.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose the place."),
            "invalid_choice": _("Choose one of the clinician's places."),
        },
    )

    def __init__(self, *args: Any, practitioner: Practitioner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "location", practitioner.locations.order_by("name", "pk"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: datetime.time | None = data.get("starts_at")
        ends: datetime.time | None = data.get("ends_at")
        if starts is not None and ends is not None and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        return data
