"""The caregiver notices (access given, access ended, invitations accepted) are written to each
reader in their own language: Cora chose Spanish, Pat did not."""

from __future__ import annotations

import pytest
from django.utils import translation

from carebridge.notifications.models import Notice
from carebridge.proxies.models import EndReason, GrantStatus
from carebridge.proxies.services.common import (
    end_grant,
    tell_both_access_ended,
    tell_both_access_given,
)

pytestmark = pytest.mark.django_db


def _spanish(english: str) -> str:
    with translation.override("es"):
        return translation.gettext(english)


def _subjects(cast) -> dict[str, str]:
    return {
        notice.to_address: notice.subject
        for notice in Notice.objects.filter(to_address__in=["cora@example.org", "pat@example.org"])
    }


def test_each_reader_gets_the_access_ended_notice_in_their_language(cast) -> None:
    cora = cast.proxies.full_caregiver
    assert cora.email == "cora@example.org"
    cora.language = "es"
    cora.save(update_fields=["language"])
    grant = cast.proxies.grants["full_caregiver"]
    end_grant(
        grant,
        actor=cast.patient_user,
        reason=EndReason.REVOKED_BY_PATIENT,
        status=GrantStatus.REVOKED,
    )
    Notice.objects.all().delete()
    tell_both_access_ended(grant)
    ended = "[Carebridge] Your access to help someone has ended"
    assert _spanish(ended) != ended
    assert _subjects(cast) == {
        "cora@example.org": _spanish(ended),
        "pat@example.org": "[Carebridge] Someone's access to help you has ended",
    }
    spanish_body = Notice.objects.get(to_address="cora@example.org").body
    assert _spanish("Your access to help someone on the patient portal has ended.") in spanish_body
    assert _spanish("Ended by the patient") in spanish_body
    english_body = Notice.objects.get(to_address="pat@example.org").body
    assert "Why: Ended by the patient." in english_body


def test_a_reader_without_a_choice_gets_the_language_in_use(cast) -> None:
    Notice.objects.all().delete()
    with translation.override("es"):
        tell_both_access_given(cast.proxies.grants["full_caregiver"])
    given = "[Carebridge] You can now help someone with their care"
    assert _subjects(cast)["cora@example.org"] == _spanish(given)
