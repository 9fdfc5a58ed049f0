"""The staff-accounts pages: Ada (clinic administrator) lists, invites, changes roles,
deactivates and reactivates, resets two-step verification and resends invitations. Another
clinic's member is a 404 for her; Olive (another clinic's administrator) gets 404 for ours;
refusals change nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.accounts.models import User
from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import StaffMember
from carebridge.staff.people.forms import InviteForm
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

LIST = "/staff/setup/staff/"
INVITE = "/staff/setup/staff/invite/"
PASSWORD = "a long new password for Lee"
LEE = {
    "email": "Lee.Park@example.org",
    "given_name": "Lee",
    "family_name": "Park",
    "role": "nurse",
    "practitioner": "",
}


def _page(member_id: int, action: str = "") -> str:
    return f"/staff/setup/staff/{member_id}/{action + '/' if action else ''}"


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _events() -> list[tuple[str, str, Any]]:
    events = AuditEvent.objects.filter(object_type__in=["staff_account", "staff_invitation"])
    return [(e.action, e.object_id, e.changes) for e in events.order_by("pk")]


def _rows() -> list[tuple[str, str, bool, bool]]:
    members = StaffMember.objects.select_related("user").order_by("pk")
    return [(m.user.email, m.role, m.is_active, m.user.is_active) for m in members]


def test_the_list_shows_each_of_our_staff_only(cast: Cast) -> None:
    page = client_for(cast.clinic_admin).get(LIST)
    assert page.status_code == 200
    words = _words(page.content.decode())
    assert "Nora Nurse nora@example.org Nurse Yes On Never" in words
    assert "Stan NoMFA stan@example.org Clinician Yes Not set up Never" in words
    assert "6 staff accounts" in words
    assert "olive@example.org" not in words


def test_the_list_costs_the_same_for_few_or_many_staff(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.clinic_admin)
    client.get(LIST)
    with django_assert_max_num_queries(20) as few:
        client.get(LIST)
    for number in range(5):
        practitioner = factories.make_practitioner(cast.clinic)
        user = factories.make_staff(cast.clinic, "clinician", email=f"c{number}@example.org")
        practitioner.user = user
        practitioner.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "11 staff accounts" in client.get(LIST).content.decode()


def test_inviting_someone_sends_a_link_to_choose_a_password_then_two_step(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.clinic_admin).post(INVITE, LEE)
    member = StaffMember.objects.get(user__email="lee.park@example.org")
    assert response["Location"] == _page(member.pk)
    assert flashed(response) == ["Invitation sent to lee.park@example.org."]
    assert (member.clinic, member.role) == (cast.clinic, "nurse")
    (sent,) = mail.outbox
    assert (sent.to, sent.subject) == (["lee.park@example.org"], "Your Carebridge staff account")
    link = re.search(r"http://127\.0\.0\.1:8000(/account/password/reset/key/\S+/)", sent.body)
    assert link is not None
    assert sent.body == (
        "Ada Admin has made you a staff account at Riverside Family Clinic on Carebridge.\n\n"
        f"Choose your password here (the link works once): {link.group(0)}\n\n"
        "When you first sign in, you will set up two-step verification.\n"
    )
    browser = Client()
    form = browser.get(link.group(1), follow=True)
    form_url = form.redirect_chain[-1][0] if form.redirect_chain else link.group(1)
    chosen = browser.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})
    assert chosen.status_code == 302
    assert User.objects.get(pk=member.user_id).check_password(PASSWORD)
    signed_in = Client()
    login = {"login": "lee.park@example.org", "password": PASSWORD}
    assert signed_in.post("/account/login/", login).status_code == 302
    assert signed_in.get("/staff/")["Location"].startswith("/account/2fa/")


def test_an_address_already_used_is_a_message_on_the_form(cast: Cast) -> None:
    before = _rows()
    page = client_for(cast.clinic_admin).post(INVITE, LEE | {"email": "NORA@example.org"})
    assert page.status_code == 200
    assert "E-mail address: That e-mail address already has an account here." in _words(
        page.content.decode()
    )
    assert (_rows(), _events(), len(mail.outbox)) == (before, [], 0)


def test_the_clinician_offered_is_one_of_ours_without_a_sign_in(cast: Cast) -> None:
    ours = factories.make_practitioner(cast.clinic, given_name="Lee", family_name="Park")
    theirs = factories.make_practitioner(cast.other_clinic, given_name="Hal", family_name="Hill")
    page = client_for(cast.clinic_admin).get(INVITE).content.decode()
    assert f'<option value="{ours.pk}">Lee Park, MD</option>' in page
    assert "Hal Hill" not in page
    refused = client_for(cast.clinic_admin).post(INVITE, LEE | {"practitioner": str(theirs.pk)})
    assert "Choose a clinician from the list." in refused.content.decode()
    assert not User.objects.filter(email="lee.park@example.org").exists()


def test_changing_a_role(cast: Cast) -> None:
    nora = cast.nurse.staff_member
    response = client_for(cast.clinic_admin).post(_page(nora.pk, "role"), {"role": "clinician"})
    assert (response["Location"], flashed(response)) == (_page(nora.pk), ["Role saved."])
    assert list(cast.nurse.groups.values_list("name", flat=True)) == ["clinician"]
    assert _events() == [
        ("update", str(nora.pk), {"role": {"before": "nurse", "after": "clinician"}})
    ]


def test_an_unknown_role_is_a_message_and_changes_nothing(cast: Cast) -> None:
    nora = cast.nurse.staff_member
    page = client_for(cast.clinic_admin).post(_page(nora.pk, "role"), {"role": "superuser"})
    assert page.status_code == 200
    assert "Role: Choose a role." in _words(page.content.decode())
    assert (_rows()[1], _events()) == (("nora@example.org", "nurse", True, True), [])


def test_ada_cannot_demote_herself(cast: Cast) -> None:
    ada = cast.clinic_admin.staff_member
    client = client_for(cast.clinic_admin)
    assert "You cannot change your own role." in client.get(_page(ada.pk)).content.decode()
    page = client.post(_page(ada.pk, "role"), {"role": "nurse"})
    assert "You cannot change your own role. Ask another clinic administrator." in (
        page.content.decode()
    )
    response = client.post(_page(ada.pk, "deactivate"))
    assert flashed(response) == [
        "You cannot deactivate your own account. Ask another clinic administrator."
    ]
    assert (StaffMember.objects.get(pk=ada.pk).role, _events()) == ("clinic_admin", [])


def test_a_deactivated_member_is_refused_at_once_and_can_come_back(cast: Cast) -> None:
    nora = cast.nurse.staff_member
    noras_browser = client_for(cast.nurse)
    assert noras_browser.get("/staff/").status_code == 200
    admin = client_for(cast.clinic_admin)
    response = admin.post(_page(nora.pk, "deactivate"))
    assert flashed(response) == [
        "Account deactivated. They have been signed out and cannot sign in."
    ]
    assert noras_browser.get("/staff/")["Location"] == "/account/login/?next=/staff/"
    assert "No, deactivated" in admin.get(_page(nora.pk)).content.decode()
    response = admin.post(_page(nora.pk, "reactivate"))
    assert flashed(response) == ["Account reactivated. They can sign in again."]
    assert client_for(cast.nurse).get("/staff/").status_code == 200
    assert [changes for _, _, changes in _events()] == [
        {"active": {"before": True, "after": False}},
        {"active": {"before": False, "after": True}},
    ]


def test_resetting_two_step_sends_them_to_set_it_up_again(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    nora = cast.nurse.staff_member
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.clinic_admin).post(_page(nora.pk, "two-step"))
    assert flashed(response) == ["Two-step verification reset. They have been told by e-mail."]
    assert not Authenticator.objects.filter(user=cast.nurse).exists()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["nora@example.org"], "Your two-step verification was reset")
    ]
    assert client_for(cast.nurse).get("/staff/")["Location"].startswith("/account/2fa/")
    again = client_for(cast.clinic_admin).post(_page(nora.pk, "two-step"))
    assert flashed(again) == ["Nora Nurse has not set up two-step verification."]


def test_the_invitation_can_be_sent_again_until_a_password_is_chosen(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    admin = client_for(cast.clinic_admin)
    admin.post(INVITE, LEE)
    lee = StaffMember.objects.get(user__email="lee.park@example.org")
    assert "Send the invitation again" in admin.get(_page(lee.pk)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(_page(lee.pk, "invitation"))
    assert flashed(response) == ["Invitation sent again."]
    assert [m.subject for m in mail.outbox] == ["Your Carebridge staff account"]
    nora = cast.nurse.staff_member
    assert "Send the invitation again" not in admin.get(_page(nora.pk)).content.decode()
    refused = admin.post(_page(nora.pk, "invitation"))
    assert flashed(refused) == ["Nora Nurse has already chosen a password."]


@pytest.mark.parametrize(
    "action", ["", "role", "deactivate", "reactivate", "two-step", "invitation"]
)
def test_another_clinics_member_is_not_found_and_nothing_changes(cast: Cast, action: str) -> None:
    olive = cast.other_clinic_admin.staff_member
    nora = cast.nurse.staff_member
    before = _rows()
    method = "get" if not action else "post"
    ours = getattr(client_for(cast.clinic_admin), method)(
        _page(olive.pk, action), {"role": "nurse"}
    )
    theirs = getattr(client_for(cast.other_clinic_admin), method)(
        _page(nora.pk, action), {"role": "clinician"}
    )
    assert (ours.status_code, theirs.status_code) == (404, 404)
    assert (_rows(), _events(), len(mail.outbox)) == (before, [], 0)
    assert Authenticator.objects.filter(user__in=[cast.nurse, cast.other_clinic_admin]).count() == 2


def test_staff_without_manage_clinic_get_404_and_change_nothing(cast: Cast) -> None:
    nora = cast.nurse.staff_member
    before = _rows()
    for user in (cast.front_desk, cast.clinician, cast.patient_user):
        client = client_for(user)
        assert client.get(LIST).status_code == 404
        assert client.post(INVITE, LEE).status_code == 404
        assert client.post(_page(nora.pk, "deactivate")).status_code == 404
    assert (_rows(), _events()) == (before, [])


TEXT = st.text(max_size=300)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    email=st.one_of(TEXT, st.emails()),
    given_name=TEXT,
    family_name=TEXT,
    role=st.one_of(TEXT, st.sampled_from(["nurse", "clinic_admin", "billing"])),
    practitioner=st.one_of(TEXT, st.integers().map(str)),
)
def test_the_invite_form_takes_any_input_without_failing(
    cast: Cast, email: str, given_name: str, family_name: str, role: str, practitioner: str
) -> None:
    data = {
        "email": email,
        "given_name": given_name,
        "family_name": family_name,
        "role": role,
        "practitioner": practitioner,
    }
    form = InviteForm(data, clinic=cast.clinic)
    if form.is_valid():
        cleaned = form.cleaned_data
        assert cleaned["email"] == cleaned["email"].strip().lower()
        assert not User.objects.filter(email__iexact=cleaned["email"]).exists()
        assert cleaned["role"] in {"clinician", "nurse", "front_desk", "billing", "clinic_admin"}
        assert cleaned["given_name"].strip() and cleaned["family_name"].strip()
        assert cleaned["practitioner"] is None
    else:
        assert form.errors
        assert all(message for messages in form.errors.values() for message in messages)


def test_an_empty_invitation_says_what_is_missing(cast: Cast) -> None:
    before = _rows()
    words = _words(client_for(cast.clinic_admin).post(INVITE, {}).content.decode())
    assert (
        "There is a problem E-mail address: Give their e-mail address. First name: Give their "
        "first name. Last name: Give their last name. Role: Choose a role."
    ) in words
    assert (_rows(), _events()) == (before, [])
