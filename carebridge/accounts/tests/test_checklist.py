"""The first-visit checklist: where the first sign-in leads, skip / resume / dismiss, and each
step's state coming from the real state (two-step verification, My details, the help page's
results section, a caregiver invitation or "Not now").

Cast: Pat is an enrolled patient who has never signed in, and has invited two caregivers (Cora
and Abe), so her caregiver step is already done; Cora is a caregiver-only account.
"""

from __future__ import annotations

import pytest
from django.test import Client

from carebridge.accounts.checklist_selectors import get_checklist_state
from carebridge.accounts.models import SetupChecklist, User
from carebridge.accounts.tests.sign_in_steps import sign_in, totp_code
from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.patients.models import Patient
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

WELCOME = "/account/welcome/"


@pytest.fixture
def newcomer(cast: Cast) -> tuple[User, Patient]:
    """A patient of the clinic with a new account: nothing set up, no caregiver invited."""
    user = factories.make_user(email="nina@example.org", first_name="Nina")
    patient = factories.make_patient(cast.clinic, user=user, given_name="Nina")
    return user, patient


def _progress(page: str) -> str:
    start = page.index("Finish setting up:")
    return page[start : page.index("</strong>", start)]


def test_the_first_sign_in_leads_to_the_checklist_and_the_second_does_not(cast, newcomer):
    client = Client()
    assert sign_in(client, "nina@example.org")["Location"] == WELCOME
    page = client.get(WELCOME).content.decode()
    assert "<h1>Set up your account</h1>" in page
    client.post("/account/logout/")
    assert sign_in(Client(), "nina@example.org")["Location"] == "/"


def test_a_next_address_is_honoured_at_the_first_sign_in(cast, newcomer):
    response = sign_in(Client(), "nina@example.org", next="/help/")
    assert response["Location"] == "/help/"
    # The landing was not used up by it, but only a first sign-in leads there.
    assert SetupChecklist.objects.filter(user=newcomer[0], landed_at__isnull=False).count() == 0
    assert sign_in(Client(), "nina@example.org")["Location"] == "/"


def test_the_two_step_challenge_then_leads_to_the_checklist(cast, newcomer):
    secret = factories.enable_totp(newcomer[0])
    client = Client()
    assert sign_in(client, "nina@example.org")["Location"] == "/account/2fa/authenticate/"
    response = client.post("/account/2fa/authenticate/", {"code": totp_code(secret)})
    assert response["Location"] == WELCOME


def test_a_caregiver_only_account_goes_to_choosing_whose_account(cast):
    cora = cast.proxy_cast.full_caregiver
    response = sign_in(Client(), cora.email)
    assert response["Location"] == "/"
    assert SetupChecklist.objects.filter(user=cora).exists() is False
    # Asked for directly, the checklist sends them home too.
    assert client_for(cora).get(WELCOME)["Location"] == "/"


def test_a_dismissed_checklist_is_not_offered_at_the_first_sign_in(cast, newcomer):
    SetupChecklist.objects.create(user=newcomer[0], dismissed_at="2026-01-01T00:00Z")
    assert sign_in(Client(), "nina@example.org")["Location"] == "/"


def test_skip_for_now_keeps_it_on_the_home_page_until_dismissed(cast, newcomer):
    client = client_for(newcomer[0])
    response = client.post(WELCOME, {"action": "skip"})
    assert response["Location"] == "/"
    page = client.get("/").content.decode()
    assert _progress(page) == "Finish setting up: 0 of 4 done"
    assert '<a class="button" href="/account/welcome/">Continue</a>' in page
    # Resumed: the checklist is still there to finish.
    assert client.get(WELCOME).status_code == 200
    assert client.post(WELCOME, {"action": "dismiss"})["Location"] == "/"
    assert "Finish setting up" not in client.get("/").content.decode()
    row = SetupChecklist.objects.get(user=newcomer[0])
    assert row.skipped_at is not None
    assert row.dismissed_at is not None


def test_each_step_is_done_from_the_real_state(cast, newcomer):
    user, patient = newcomer
    client = client_for(user)
    assert get_checklist_state(user, patient).steps == (
        ("mfa", False),
        ("details", False),
        ("results", False),
        ("caregiver", False),
    )
    factories.enable_totp(user)
    client.post("/account/details/confirm/")
    # A plain visit to the results help changes nothing; the checklist's button posts.
    client.get("/help/results/")
    assert get_checklist_state(user, patient).done["results"] is False
    response = client.post("/help/results/")
    assert response["Location"] == "/help/#results"
    client.post(WELCOME, {"action": "caregiver_not_now"})
    assert get_checklist_state(user, patient).steps == (
        ("mfa", True),
        ("details", True),
        ("results", True),
        ("caregiver", True),
    )
    # Every step done: the home page no longer offers it.
    assert "Finish setting up" not in client.get("/").content.decode()


def test_saving_my_details_counts_as_checking_them(cast, newcomer):
    user, patient = newcomer
    client = client_for(user)
    client.post("/account/details/contact/", {"contact-phone": "555-201-3344"})
    assert get_checklist_state(user, patient).done["details"] is True
    assert _progress(client.get("/").content.decode()) == "Finish setting up: 1 of 4 done"


def test_an_invitation_sent_counts_for_the_caregiver_step(cast):
    # Pat invited Cora and Abe; she has not turned on two-step verification.
    state = get_checklist_state(cast.patient_user, cast.patient)
    assert state.done == {"mfa": False, "details": False, "results": False, "caregiver": True}
    page = client_for(cast.patient_user).get("/").content.decode()
    assert _progress(page) == "Finish setting up: 1 of 4 done"


def test_a_caregiver_acting_for_someone_sees_no_checklist(cast):
    cora = client_for(cast.proxy_cast.full_caregiver, acting_for=cast.patient)
    page = cora.get("/").content.decode()
    assert "Finish setting up" not in page
    assert cora.get(WELCOME)["Location"] == "/"
    # Reading the results help as a caregiver counts for nobody's checklist.
    cora.post("/help/results/")
    assert SetupChecklist.objects.count() == 0


def test_a_signed_out_visitor_can_open_the_results_help(client):
    response = client.get("/help/results/")
    assert response.status_code == 302
    assert response["Location"] == "/help/#results"
    response = client.post("/help/results/")
    assert response.status_code == 302
    assert response["Location"] == "/help/#results"
    assert SetupChecklist.objects.count() == 0


def test_an_unknown_answer_changes_nothing(cast, newcomer):
    client = client_for(newcomer[0])
    assert client.post(WELCOME, {"action": "bogus"})["Location"] == WELCOME
    assert SetupChecklist.objects.count() == 0


def test_enrolment_is_the_first_visit_so_the_next_sign_in_goes_home(cast, newcomer):
    client = client_for(newcomer[0])
    page = client.get("/account/enrol/done/").content.decode()
    assert '<a href="/account/welcome/">see all the set-up steps</a>' in page
    # What `enrol_patient` records when the account is created.
    record_event(
        actor=newcomer[0], action=AuditAction.ENROL, object_type="account", acting_as="self"
    )
    assert sign_in(Client(), "nina@example.org")["Location"] == "/"


def test_opening_the_sign_in_page_when_signed_in_uses_up_nothing(cast, newcomer):
    # allauth sends a signed-in person from the sign-in page to where a sign-in would go.
    response = client_for(newcomer[0]).get("/account/login/")
    assert response["Location"] == "/"
    assert SetupChecklist.objects.count() == 0
