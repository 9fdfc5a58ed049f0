"""The clinic set-up hub: every set-up page with what it is for, linked from the console for
clinic administrators; Django's admin stays for the deployment's own administrators."""

from __future__ import annotations

import re

import pytest

from carebridge.staff.setup.links import SETUP_PAGES
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

URL = "/staff/setup/"


def test_the_hub_lists_every_set_up_page_with_its_purpose(cast: Cast) -> None:
    response = client_for(cast.clinic_admin).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a><span class="hint">', body)
    assert links == [
        ("/staff/setup/clinic/", "Clinic profile"),
        ("/staff/setup/logo/", "Logo"),
        ("/staff/setup/places/", "Places"),
        ("/staff/setup/clinicians/", "Clinicians"),
        ("/staff/setup/staff/", "Staff accounts"),
        ("/staff/setup/teams/", "Care teams"),
        ("/staff/setup/visit-types/", "Visit types"),
        ("/staff/setup/hours/", "Weekly hours"),
        ("/staff/setup/patients/", "Patient access"),
        ("/staff/results/settings/", "Result release"),
        ("/staff/setup/quick-comments/", "Quick comments on results"),
        ("/staff/inbox/settings/", "Message answer time"),
        ("/staff/setup/apps/", "Apps for patients"),
    ]
    assert len(links) == len(SETUP_PAGES)
    # Every page listed opens for the administrator.
    admin = client_for(cast.clinic_admin)
    assert [admin.get(url).status_code for url, _title in links] == [200] * len(links)
    assert "Which kinds of test results wait for a clinician before patients see them." in body


def test_the_console_links_the_hub_for_clinic_admins_only(cast: Cast) -> None:
    assert '<a href="/staff/setup/">Clinic set-up</a>' in (
        client_for(cast.clinic_admin).get("/staff/").content.decode()
    )
    assert URL not in client_for(cast.nurse).get("/staff/").content.decode()


@pytest.mark.parametrize("persona", ["nurse", "clinician", "front_desk", "billing"])
def test_other_staff_get_404(cast: Cast, persona: str) -> None:
    assert client_for(getattr(cast, persona)).get(URL).status_code == 404


def test_a_clinic_admin_who_is_not_a_deployment_admin_gets_no_django_admin(cast: Cast) -> None:
    assert not cast.clinic_admin.is_staff
    admin = client_for(cast.clinic_admin)
    assert "/staff/admin/" not in admin.get("/staff/").content.decode()
    for path in ("/staff/admin/", "/staff/admin/clinic/clinic/", "/staff/admin/clinic/location/"):
        response = admin.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/admin/login/")
