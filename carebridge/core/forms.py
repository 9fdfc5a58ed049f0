"""Form rendering shared by every app: errors tied to their fields for screen readers."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.lib.dates import EARLIEST_INPUT_DATE, LATEST_INPUT_DATE, is_input_date_in_range


class AccessibleBoundField(BoundField):
    """Adds aria-invalid and points aria-describedby at the field's hint and error.

    A group of radio buttons or tick boxes is described on its fieldset by its template (see
    `records/downloads/includes/choice_group.html`): its options have no id of their own to
    point from, so they get no aria-describedby that would lead nowhere.
    """

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            attrs["aria-invalid"] = "true"
        if self.use_fieldset:
            return attrs
        described_by = []
        if self.help_text:
            described_by.append(f"{self.id_for_label}_helptext")
        if self.errors:
            described_by.append(f"{self.id_for_label}_error")
        if described_by:
            attrs["aria-describedby"] = " ".join(described_by)
        return attrs


class PortalFormRenderer(DjangoTemplates):
    bound_field_class = AccessibleBoundField


def date_input() -> forms.DateInput:
    """A date field the browser offers a calendar for, in ISO format."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoundedDateField(forms.DateField):
    """A date that must lie between `earliest` and `latest`, said in plain words if it does not.

    Every date typed into a form or sent in an address goes through this field: a year such as
    0001 or 9999 parses, but overflows the first time a page adds a day or changes time zone.
    """

    default_error_messages = {
        "out_of_range": _("Enter a date between %(earliest)s and %(latest)s."),
    }

    def __init__(
        self,
        *,
        earliest: datetime.date = EARLIEST_INPUT_DATE,
        latest: datetime.date = LATEST_INPUT_DATE,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("widget", date_input())
        super().__init__(**kwargs)
        self.earliest, self.latest = earliest, latest

    def to_python(self, value: Any) -> datetime.date | None:
        # Very long input is not a date; refuse it before any parsing work.
        if isinstance(value, str) and len(value) > 40:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None or is_input_date_in_range(value, self.earliest, self.latest):
            return
        # A form may say "too early" in its own words (see DateRangeForm).
        code = "too_early" if value < self.earliest else "too_late"
        message = self.error_messages.get(code, self.error_messages["out_of_range"])
        raise forms.ValidationError(
            message,
            code=code,
            params={"earliest": self.earliest.year, "latest": self.latest.year},
        )


def _tomorrow() -> datetime.date:
    # A day of slack: the clinic's "today" may already be tomorrow in the server's zone.
    return timezone.localdate() + datetime.timedelta(days=1)


class DateRangeForm(forms.Form):
    """Optional from and to dates (both inclusive), checked to be plausible and in order.

    Subclasses set `earliest_date` (and its message) to what their data can hold, and
    `allows_future` to False where a date after today cannot mean anything.
    """

    earliest_date = datetime.date(1900, 1, 1)
    earliest_message = _("Enter a date in 1900 or later.")
    allows_future = True

    date_from = BoundedDateField(label=_("From"), required=False)
    date_to = BoundedDateField(label=_("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            field = self.fields[name]
            assert isinstance(field, BoundedDateField)
            field.earliest = self.earliest_date
            field.error_messages = {**field.error_messages, "too_early": self.earliest_message}
            if not self.allows_future:
                field.latest = _tomorrow()
                field.error_messages["too_late"] = _("Enter a date that is not in the future.")

    def clean_date_from(self) -> datetime.date | None:
        return self._check_plausible(self.cleaned_data.get("date_from"))

    def clean_date_to(self) -> datetime.date | None:
        return self._check_plausible(self.cleaned_data.get("date_to"))

    def _check_plausible(self, value: datetime.date | None) -> datetime.date | None:
        if value is not None and value < self.earliest_date:
            raise forms.ValidationError(self.earliest_message)
        if value is not None and not self.allows_future and value > _tomorrow():
            raise forms.ValidationError(_("Enter a date that is not in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned
