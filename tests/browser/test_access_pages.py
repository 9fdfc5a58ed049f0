"""The pages that keep access with the right person, in a real browser with axe-core at 1,280
and 320 px: the refusal someone sees when they open an invitation sent to another address, and
the teenager's sharing page, which now offers their own messages.
"""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from carebridge.proxies.models import GrantStatus, ProxyGrant
from carebridge.proxies.services.invitations import invite_caregiver
from carebridge.testing import factories
from carebridge.testing.browser import assert_accessible_on_desktop_and_phone, sign_in_patient
from carebridge.testing.proxy_personas import ALL_SCOPES, make_grant, years_before


def test_someone_else_with_the_link_is_refused_and_a_teen_can_share_messages(
    page: Page, live_server: LiveServer
) -> None:
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    pat = factories.make_patient(
        clinic,
        user=factories.make_user(email="pat@example.org", first_name="Pat", last_name="Patient"),
        given_name="Pat",
        birth_date=datetime.date(1970, 1, 1),
    )
    invitation = invite_caregiver(
        actor=pat.user,  # type: ignore[arg-type]
        patient=pat,
        email="jo@example.org",
        relationship="adult_child",
        scopes=["appointments"],
    )
    tess = factories.make_user(email="tess@example.org", first_name="Tess", last_name="Teen")
    teen = factories.make_patient(
        clinic,
        user=tess,
        given_name="Tess",
        family_name="Teen",
        birth_date=years_before(datetime.date.today(), 15),
    )
    parent = factories.make_user(email="terry@example.org", first_name="Terry", last_name="Parent")
    staff = factories.make_user(email="fran@example.org")
    make_grant(
        teen, parent, granted_by=staff, scopes=ALL_SCOPES, is_parental=True, relationship="parent"
    )

    sign_in_patient(page, "tess@example.org", "Tess Teen")
    page.goto(f"/account/caregivers/accept/{invitation.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation is for someone else")
    expect(page.get_by_text("This invitation was sent to j***@example.org.")).to_be_visible()
    expect(page.get_by_text(pat.display_name)).to_have_count(0)
    assert_accessible_on_desktop_and_phone(page)
    assert ProxyGrant.objects.get(pk=invitation.grant.pk).status == GrantStatus.INVITED

    page.goto("/account/sharing/")
    page.get_by_label("Messages with the clinic").check()
    page.get_by_role("button", name="Save what Terry Parent sees").click()
    expect(
        page.get_by_text("Saved. Terry Parent sees the change from their next visit.")
    ).to_be_visible()
    assert_accessible_on_desktop_and_phone(page)
    assert ProxyGrant.objects.get(proxy=parent).teen_shared_scopes == ["messaging"]
