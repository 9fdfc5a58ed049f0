"""The staff upload form: one or more export files, each within the size limit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.records.importing.readers import is_importable_name, max_bytes

# Django refuses more files than DATA_UPLOAD_MAX_NUMBER_FILES (100) in one request anyway.
MAX_FILES = 100


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once and cleans each of them."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return [super().clean(None, initial)]
        uploads = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


class ImportUploadForm(forms.Form):
    exports = MultipleFileField(
        label=gettext_lazy("Export files"),
        help_text=gettext_lazy(
            "FHIR R4 files: Bundles or resources (.json, .json.gz) or bulk-data NDJSON "
            "(.ndjson, .ndjson.gz). You can choose several at once."
        ),
        widget=MultipleFileInput(attrs={"accept": ".json,.gz,.ndjson"}),
    )

    def clean_exports(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["exports"]
        limit = max_bytes()
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Choose at most %(count)s files at a time.") % {"count": MAX_FILES}
            )
        for upload in files:
            if not is_importable_name(upload.name or ""):
                raise forms.ValidationError(
                    _("Each file must end in .json, .json.gz, .ndjson or .ndjson.gz.")
                )
            if (upload.size or 0) > limit:
                raise forms.ValidationError(
                    _("Each file must be at most %(size)s.") % {"size": filesizeformat(limit)}
                )
        return files
