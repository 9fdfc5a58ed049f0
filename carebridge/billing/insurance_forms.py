"""The insurance form: the details from the card and photos of its front and back."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from carebridge.billing.services.insurance import CardPhoto, CoverageFields

PHOTO_HINT = _("A clear photo (JPEG or PNG) taken with a phone or a scanner.")


class InsuranceForm(forms.Form):
    payer_name = forms.CharField(
        label=_("Insurance company"),
        max_length=120,
        error_messages={"required": _("Enter the insurance company's name.")},
    )
    member_id = forms.CharField(
        label=_("Member ID"),
        max_length=60,
        error_messages={"required": _("Enter the member ID from the card.")},
    )
    group_number = forms.CharField(
        label=_("Group number (if on the card)"), max_length=60, required=False
    )
    plan_name = forms.CharField(
        label=_("Plan name (if on the card)"), max_length=120, required=False
    )
    subscriber_name = forms.CharField(
        label=_("Policy holder's name (if not the patient)"), max_length=120, required=False
    )
    subscriber_relationship = forms.CharField(
        label=_("The policy holder is the patient's (for example, husband or mother)"),
        max_length=40,
        required=False,
    )
    card_front = forms.FileField(
        label=_("Photo of the front of the card"),
        help_text=PHOTO_HINT,
        error_messages={"required": _("Add a photo of the front of the card.")},
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    card_back = forms.FileField(
        label=_("Photo of the back of the card (if there is writing on it)"),
        help_text=PHOTO_HINT,
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def coverage_fields(self) -> CoverageFields:
        data = self.cleaned_data
        return CoverageFields(
            payer_name=data["payer_name"],
            member_id=data["member_id"],
            plan_name=data["plan_name"],
            group_number=data["group_number"],
            subscriber_name=data["subscriber_name"],
            subscriber_relationship=data["subscriber_relationship"],
        )

    def photo(self, name: str) -> CardPhoto | None:
        upload = self.cleaned_data.get(name)
        if not isinstance(upload, UploadedFile):
            return None
        # One byte more than the limit is enough for the checks to refuse a file too large.
        return CardPhoto(
            upload.name or "", upload.read(settings.CAREBRIDGE_ATTACHMENT_MAX_BYTES + 1)
        )
