"""Form rendering shared by every app: errors tied to their fields for screen readers."""

from __future__ import annotations

from typing import Any

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates


class AccessibleBoundField(BoundField):
    """Adds aria-invalid and points aria-describedby at the field's hint and error."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        described_by = []
        if self.help_text:
            described_by.append(f"{self.id_for_label}_helptext")
        if self.errors:
            attrs["aria-invalid"] = "true"
            described_by.append(f"{self.id_for_label}_error")
        if described_by:
            attrs["aria-describedby"] = " ".join(described_by)
        return attrs


class PortalFormRenderer(DjangoTemplates):
    bound_field_class = AccessibleBoundField
