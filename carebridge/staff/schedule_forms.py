"""Input for the console's schedule pages: validation only.

Filters travel in the address and hold only ids and dates; the reason for a visit and replies
to patients are health information and travel only in POST bodies.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Clinic
from carebridge.scheduling.forms import (
    REASON_MAX_LENGTH,
    date_field,
    location_field,
    parse_time_value,
    practitioner_field,
)
from carebridge.scheduling.models import TimeOffKind, VisitType
from carebridge.staff import schedule_selectors as selectors

NOTE_MAX_LENGTH = 200
REPLY_MAX_LENGTH = 1000


def _set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class ScheduleFilterForm(forms.Form):
    """Which day (or week), whose and where: the day and week views' filters."""

    date = date_field(_("Day"))
    practitioner = practitioner_field(_("Clinician"), _("Everyone"))
    location = location_field(_("Place"), _("Every place"))

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "practitioner", selectors.list_practitioners(clinic))
        _set_queryset(self, "location", selectors.list_locations(clinic))


class StaffTimesForm(forms.Form):
    """The kind of visit, and whose and where's free times to show from which day."""

    visit_type = forms.ModelChoiceField(
        label=_("Kind of visit"),
        queryset=VisitType.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the kind of visit.")},
    )
    practitioner = practitioner_field(_("Clinician"), _("Anyone"))
    location = location_field(_("Place"), _("Anywhere"))
    date = date_field(_("From"))

    def __init__(self, *args: Any, clinic: Clinic, with_type: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_type:
            _set_queryset(self, "visit_type", selectors.list_visit_types(clinic))
        else:
            del self.fields["visit_type"]
        _set_queryset(self, "practitioner", selectors.list_practitioners(clinic))
        _set_queryset(self, "location", selectors.list_locations(clinic))


class ChosenTimeForm(forms.Form):
    """A time chosen from the free times shown."""

    time = forms.CharField(error_messages={"required": _("Choose one of the times.")})

    def clean_time(self) -> tuple[int, int, datetime.datetime]:
        return parse_time_value(self.cleaned_data["time"])


class StaffBookForm(ChosenTimeForm):
    """Booking for a patient: the patient, the kind of visit, the time, and why."""

    patient = forms.UUIDField()
    visit_type = forms.IntegerField()
    reason = forms.CharField(
        label=_("What is the appointment for? (optional)"),
        help_text=_("The patient and the clinic see this; it is never e-mailed."),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApproveForm(ChosenTimeForm):
    reply = forms.CharField(
        label=_("A message for the patient (optional)"),
        help_text=_("The patient reads this when they sign in; it is never e-mailed."),
        max_length=REPLY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(forms.Form):
    reply = forms.CharField(
        label=_("Why, and what the patient can do instead"),
        help_text=_("The patient reads this when they sign in; it is never e-mailed."),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a reply for the patient.")},
    )


class StaffCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        help_text=_("Kept for the clinic; never e-mailed."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the appointment is cancelled.")},
    )


class BlockTimeForm(forms.Form):
    """Time to block, as the clinic's clock has it; `cleaned_data` gains `starts_at` and
    `ends_at` as aware datetimes. A clinician's leave spans several days with a later end date;
    the whole clinic's closure leaves the clinician empty."""

    practitioner = practitioner_field(_("Whose time"), _("The whole clinic"))
    location = location_field(_("Where"), _("Every place"))
    start_date = date_field(_("Start date"), required=True)
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_date = date_field(_("End date"), required=True)
    end_time = forms.TimeField(label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(
        label=_("Note for staff (optional)"),
        help_text=_("Patients never see this."),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )

    kind = forms.ChoiceField(
        label=_("What kind of time off"),
        help_text=_("A holiday can be removed only by a clinic administrator."),
        choices=TimeOffKind.choices,
        initial=TimeOffKind.BLOCKED,
    )

    def __init__(self, *args: Any, clinic: Clinic, with_holidays: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zoneinfo.ZoneInfo(clinic.time_zone)
        # Only clinic administrators record holidays; everyone else blocks time.
        if not with_holidays:
            del self.fields["kind"]
        _set_queryset(self, "practitioner", selectors.list_practitioners(clinic))
        _set_queryset(self, "location", selectors.list_locations(clinic))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = ("start_date", "start_time", "end_date", "end_time")
        if not all(data.get(name) for name in parts):
            return data
        data["starts_at"] = self._moment(data["start_date"], data["start_time"])
        data["ends_at"] = self._moment(data["end_date"], data["end_time"])
        if data["ends_at"] <= data["starts_at"]:
            raise forms.ValidationError(
                _("The end must be after the start."), code="ends_before_start"
            )
        return data

    def _moment(self, day: datetime.date, clock: datetime.time) -> datetime.datetime:
        local = datetime.datetime.combine(day, clock, tzinfo=self.zone)
        return local.astimezone(datetime.UTC)
