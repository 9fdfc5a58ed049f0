"""Audit events in plain words, for the patient's activity page and the staff report.

Apps that add a new kind of event add its object type to `OBJECT_TYPES`, and a sentence to
`PATIENT_SENTENCES` when "<action>: <object type>" would read awkwardly to a patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.audit.models import AuditAction, AuditEvent, AuditOutcome

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping

    from carebridge.accounts.models import User

OBJECT_TYPES: dict[str, Promise] = {
    "account": gettext_lazy("Portal account"),
    "account_activity": gettext_lazy("Account activity"),
    "account_language": gettext_lazy("Language of pages and e-mails"),
    "activation_code": gettext_lazy("Activation code"),
    "audit_report": gettext_lazy("Audit report"),
    "session": gettext_lazy("Sign-in session"),
    "session_timeout": gettext_lazy("Sign-in session (timed out)"),
    "second_step": gettext_lazy("Two-step verification code"),
    "patient": gettext_lazy("Patient details"),
    "patient_list": gettext_lazy("Patient list"),
    "match_review_list": gettext_lazy("Patient matches to review"),
    "patient_invite": gettext_lazy("Page for issuing an activation code"),
    # The patient in the clinic console: their page (details, appointments) and their chart.
    "patient_overview": gettext_lazy("Patient's page in the clinic console"),
    "patient_chart": gettext_lazy("Patient's chart in the clinic console"),
    # The console's lists: each patient a list shows gets an event of its own.
    "inbox": gettext_lazy("Team message inbox"),
    # A patient's app reading their record through the FHIR API (object id: the connection).
    "api_read": gettext_lazy("Health record read by a connected app"),
    "care_requests": gettext_lazy("Refill, referral and records requests"),
    "schedule": gettext_lazy("Clinic schedule"),
    # The health record: one entry per page or object the record section shows.
    "record_summary": gettext_lazy("Health summary"),
    "results": gettext_lazy("Test results"),
    "result": gettext_lazy("Test result"),
    "result_comment": gettext_lazy("Clinician's comment on a test result"),
    "quick_comment": gettext_lazy("The clinic's quick comments on results"),
    "vitals": gettext_lazy("Vital signs"),
    "medications": gettext_lazy("Medications"),
    "allergies": gettext_lazy("Allergies"),
    "immunizations": gettext_lazy("Immunizations"),
    "problems": gettext_lazy("Health problems"),
    "procedures": gettext_lazy("Procedures"),
    "visits": gettext_lazy("Visits"),
    "visit": gettext_lazy("Visit summary"),
    "documents": gettext_lazy("Documents and notes"),
    "document": gettext_lazy("Document"),
    "care_team": gettext_lazy("Care team"),
    "care_plans": gettext_lazy("Goals and care plans"),
    "record": gettext_lazy("Health record"),
    "record_download": gettext_lazy("Health record download"),
    "record_share": gettext_lazy("Health summary sent to someone else"),
    "record_shares": gettext_lazy("Summaries you have sent"),
    "import_job": gettext_lazy("Health record import"),
    "clinic_setup": gettext_lazy("The clinic's first set-up"),
    # Bills and payments (issue 15).
    "billing": gettext_lazy("Bills and payments"),
    "billing_statement": gettext_lazy("Statement"),
    "billing_history": gettext_lazy("Billing history"),
    "billing_panel": gettext_lazy("Amount due on the home page"),
    "billing_pay": gettext_lazy("Page for paying a bill"),
    "billing_checkout": gettext_lazy("Card payment started"),
    "billing_balances": gettext_lazy("Patients with balances (billing office)"),
    "billing_reconciliation": gettext_lazy("The day's payments (billing office)"),
    "billing_coverage": gettext_lazy("Insurance from the clinic's billing system"),
    "billing_charges": gettext_lazy("Charges from the clinic's billing system"),
    "billing_charge": gettext_lazy("Charge"),
    "billing_adjustment": gettext_lazy("Change to the amount owed"),
    "billing_payment": gettext_lazy("Payment"),
    "billing_refund": gettext_lazy("Refund"),
    "billing_plan": gettext_lazy("Payment plan"),
    "insurance": gettext_lazy("Insurance"),
    "insurance_card": gettext_lazy("Photo of an insurance card"),
    "insurance_review_list": gettext_lazy("Insurance changes to check"),
    "import_job_retry": gettext_lazy("Health record import, tried again"),
    "notice": gettext_lazy("E-mail the portal could not deliver"),
    "match_review": gettext_lazy("Patient match review"),
    "clinic_settings": gettext_lazy("Clinic settings"),
    # The clinic administrator's set-up pages (issue 16).
    "clinic_profile": gettext_lazy("Clinic profile"),
    "clinic_branding": gettext_lazy("Clinic logo"),
    "clinic_patient_settings": gettext_lazy("Patient access settings"),
    "location": gettext_lazy("Place"),
    "practitioner": gettext_lazy("Clinician"),
    "appointments": gettext_lazy("Appointments"),
    "appointment": gettext_lazy("Appointment"),
    "appointment_request": gettext_lazy("Appointment request"),
    "appointment_requests": gettext_lazy("Appointment requests"),
    "check_in": gettext_lazy("Online check-in"),
    "video_visit": gettext_lazy("Video visit"),
    "waitlist_entry": gettext_lazy("Waiting list for an earlier appointment"),
    "waitlist_offer": gettext_lazy("Offer of an earlier appointment time"),
    "time_off": gettext_lazy("Blocked time in the schedule"),
    # The clinic administrator's booking set-up (issue 16).
    "visit_type": gettext_lazy("Visit type"),
    "weekly_hours": gettext_lazy("Weekly hours of a clinician"),
    "message_thread": gettext_lazy("Message conversation"),
    "message_from_clinic": gettext_lazy("Message conversation started by the clinic"),
    "message_to_patient": gettext_lazy("Page for writing to a patient"),
    "care_request": gettext_lazy("Refill, referral or records request"),
    "message_attachment": gettext_lazy("Message attachment"),
    "message_draft": gettext_lazy("Draft message"),
    "message_folder": gettext_lazy("Message archive"),
    # Caregivers and parents.
    "proxy_grant": gettext_lazy("Access for a caregiver or parent"),
    "proxy_invitation": gettext_lazy("Invitation for a caregiver"),
    "guardian_invitation": gettext_lazy("Invitation for a parent or guardian"),
    "proxy_sharing": gettext_lazy("What you share with your parent or guardian"),
    "proxy_switch": gettext_lazy("Your account, opened by a caregiver or parent"),
    "proxy_grants": gettext_lazy("People who can help you"),
    "proxy_grant_form": gettext_lazy("Form to give a parent or guardian access"),
    # The clinic administrator's staff accounts and care teams (issue 16).
    "staff_account": gettext_lazy("Staff account"),
    "staff_invitation": gettext_lazy("Invitation to a staff account, sent again"),
    "care_team_setup": gettext_lazy("Care team (who answers messages)"),
    # Patients' apps (issue 17): the connected apps page, one connection, the clinic's apps.
    "connected_apps": gettext_lazy("Connected apps"),
    "app_connection": gettext_lazy("App connected to the record"),
    "api_app": gettext_lazy("App registered for patients"),
    # My details (issue 18): the page, emergency contacts, pharmacy, address changes to accept.
    "my_details": gettext_lazy("My details"),
    "emergency_contact": gettext_lazy("Emergency contact"),
    "pharmacy": gettext_lazy("Preferred pharmacy"),
    "details_change": gettext_lazy("Change of address sent to the clinic"),
    "details_review_list": gettext_lazy("Address changes to check (front desk)"),
}

# What happened, in words that read right to the patient and to a caregiver or parent who
# reads the same activity page: never "you" or "your" (tested).
PATIENT_SENTENCES: dict[tuple[str, str], Promise] = {
    ("create", "app_connection"): gettext_lazy("Connected an app to the health record"),
    ("view", "api_read"): gettext_lazy("Read by a connected app"),
    ("view", "account_activity"): gettext_lazy("Viewed the account activity"),
    ("update", "account_language"): gettext_lazy("Changed the language of the pages and e-mails"),
    ("view", "connected_apps"): gettext_lazy("Viewed the apps connected to the record"),
    ("view", "app_connection"): gettext_lazy("Opened the page to disconnect an app"),
    ("delete", "app_connection"): gettext_lazy("Disconnected an app from the record"),
    # The record's pages, opened by the patient, a caregiver or the clinic's staff (the chart).
    ("view", "record_summary"): gettext_lazy("Viewed the health summary"),
    ("view", "results"): gettext_lazy("Viewed the test results"),
    ("view", "result"): gettext_lazy("Viewed a test result"),
    ("view", "vitals"): gettext_lazy("Viewed the vital signs"),
    ("view", "medications"): gettext_lazy("Viewed the medicines"),
    ("view", "allergies"): gettext_lazy("Viewed the allergies"),
    ("view", "immunizations"): gettext_lazy("Viewed the immunizations"),
    ("view", "problems"): gettext_lazy("Viewed the health problems"),
    ("view", "procedures"): gettext_lazy("Viewed the procedures"),
    ("view", "visits"): gettext_lazy("Viewed the visits"),
    ("view", "visit"): gettext_lazy("Viewed the summary of a visit"),
    ("view", "documents"): gettext_lazy("Viewed the documents and notes"),
    ("view", "document"): gettext_lazy("Viewed a document"),
    ("view", "care_team"): gettext_lazy("Viewed the care team"),
    ("view", "care_plans"): gettext_lazy("Viewed the goals and care plans"),
    ("view", "patient_overview"): gettext_lazy(
        "Viewed the patient's details and appointments in the clinic console"
    ),
    ("view", "patient_chart"): gettext_lazy(
        "Tried to open the health record in the clinic console"
    ),
    ("view", "billing"): gettext_lazy("Viewed the bills"),
    ("view", "billing_statement"): gettext_lazy("Viewed a statement"),
    ("view", "billing_payment"): gettext_lazy("Viewed a payment receipt"),
    ("create", "billing_statement"): gettext_lazy("Sent a statement"),
    ("create", "billing_checkout"): gettext_lazy("Started a card payment"),
    ("create", "billing_payment"): gettext_lazy("Recorded a payment"),
    ("create", "billing_refund"): gettext_lazy("Gave money back on a payment"),
    ("create", "billing_adjustment"): gettext_lazy("Changed the amount owed"),
    ("create", "billing_charge"): gettext_lazy("Added a charge"),
    ("import", "billing_charges"): gettext_lazy("Added charges from the clinic's billing system"),
    ("view", "audit_report"): gettext_lazy("Viewed the audit report about the record"),
    ("export", "audit_report"): gettext_lazy("Downloaded the audit report about the record"),
    ("enrol", "account"): gettext_lazy("Created the portal account"),
    ("invite", "activation_code"): gettext_lazy("Issued an activation code for the account"),
    ("sign_in", "session"): gettext_lazy("Signed in"),
    ("sign_out", "session"): gettext_lazy("Signed out"),
    ("sign_out", "session_timeout"): gettext_lazy("Signed out after a period of inactivity"),
    ("import", "record"): gettext_lazy("Added records from the clinic's health record system"),
    ("release", "result"): gettext_lazy("Released a test result"),
    ("export", "record_download"): gettext_lazy("Downloaded the health record"),
    ("share", "record_share"): gettext_lazy("Sent the health summary to someone else"),
    ("view", "record_share"): gettext_lazy("Opened the health summary sent to them"),
    ("export", "record_share"): gettext_lazy("Downloaded the health summary sent to them"),
    ("update", "record_share"): gettext_lazy("Cancelled a health summary that was sent"),
    ("view", "record_download"): gettext_lazy("Opened the page to download the health record"),
    ("grant", "proxy_invitation"): gettext_lazy("Invited someone to help as a caregiver"),
    ("revoke", "proxy_invitation"): gettext_lazy("Cancelled an invitation for a caregiver"),
    ("grant", "guardian_invitation"): gettext_lazy(
        "Invited a parent or guardian to help with the patient's care"
    ),
    ("revoke", "guardian_invitation"): gettext_lazy(
        "Cancelled an invitation for a parent or guardian"
    ),
    # Only ever denied: someone other than the invited person used the invitation's link.
    ("create", "proxy_invitation"): gettext_lazy(
        "Tried to use an invitation that was sent to someone else"
    ),
    ("create", "guardian_invitation"): gettext_lazy(
        "Tried to use an invitation that was sent to someone else"
    ),
    ("create", "proxy_grant"): gettext_lazy("Accepted an invitation to help as a caregiver"),
    ("grant", "proxy_grant"): gettext_lazy("Gave a parent or guardian access to the account"),
    ("update", "proxy_grant"): gettext_lazy("Changed what a caregiver or parent may see and do"),
    ("revoke", "proxy_grant"): gettext_lazy("Ended access for a caregiver or parent"),
    ("view", "proxy_switch"): gettext_lazy("Opened the account to help"),
    ("update", "proxy_sharing"): gettext_lazy("Changed what is shared with a parent or guardian"),
    ("view", "proxy_sharing"): gettext_lazy("Viewed what is shared with a parent or guardian"),
    ("view", "proxy_grants"): gettext_lazy("Viewed who can help with the account"),
    ("create", "appointment"): gettext_lazy("Booked an appointment"),
    ("update", "appointment"): gettext_lazy("Changed or cancelled an appointment"),
    ("create", "appointment_request"): gettext_lazy("Asked the clinic for an appointment"),
    ("update", "appointment_request"): gettext_lazy("Answered an appointment request"),
    ("view", "appointment_request"): gettext_lazy("Viewed an appointment request"),
    ("create", "check_in"): gettext_lazy("Checked in online for an appointment"),
    ("update", "check_in"): gettext_lazy("Changed an online check-in"),
    ("view", "video_visit"): gettext_lazy("Joined a video visit"),
    ("create", "waitlist_entry"): gettext_lazy("Joined the waiting list for an earlier time"),
    ("update", "waitlist_entry"): gettext_lazy(
        "Left the waiting list, or got an earlier time from it"
    ),
    ("create", "waitlist_offer"): gettext_lazy("Offered an earlier appointment time"),
    ("update", "waitlist_offer"): gettext_lazy("Answered an offer of an earlier time"),
    ("create", "message_thread"): gettext_lazy("Wrote to the care team"),
    ("update", "message_thread"): gettext_lazy("Added a message to a conversation"),
    ("create", "message_from_clinic"): gettext_lazy("Started a conversation"),
    ("create", "result_comment"): gettext_lazy("Added a comment on a test result"),
    ("create", "message_draft"): gettext_lazy("Saved a draft message"),
    ("update", "message_draft"): gettext_lazy("Changed a draft message"),
    ("delete", "message_draft"): gettext_lazy("Deleted a draft message"),
    ("update", "message_folder"): gettext_lazy("Moved a conversation to or from the archive"),
    ("create", "care_request"): gettext_lazy("Sent a refill, referral or records request"),
    ("update", "care_request"): gettext_lazy(
        "Looked at, answered or withdrew a refill, referral or records request"
    ),
    ("create", "billing_plan"): gettext_lazy("Set up a payment plan"),
    ("update", "billing_plan"): gettext_lazy("Stopped a payment plan"),
    ("create", "insurance"): gettext_lazy("Sent new insurance details to the clinic"),
    ("update", "insurance"): gettext_lazy("Checked an insurance change"),
}

ACTING_AS: dict[str, Promise] = {
    "self": gettext_lazy("The patient"),
    "staff": gettext_lazy("Clinic staff"),
    "proxy": gettext_lazy("A caregiver or parent"),
    "system": gettext_lazy("Carebridge, automatically"),
    "recipient": gettext_lazy("Someone the patient sent their summary to"),
    "link_holder": gettext_lazy("Someone who was not the invited person"),
    "app": gettext_lazy("An app connected to the record"),
}
# Sentences that name the event's object (see `audit.naming`), when its name is known.
NAMED_SENTENCES: dict[tuple[str, str], Promise] = {
    ("view", "api_read"): gettext_lazy("Read by %(name)s"),
}


@dataclass(frozen=True)
class EventRow:
    """One event ready to show: every value is already in plain words."""

    occurred_at: datetime.datetime
    who: str
    acting_as: str
    what: str
    is_denied: bool
    outcome: str


@dataclass(frozen=True)
class StaffEventRow(EventRow):
    """One event in the staff report, which also says which patient and which account."""

    sequence: int
    email: str
    patient_mrn: str
    object_type: str
    object_id: str
    ip: str
    # "name: Old → New; phone: …" for a change of configuration, else "".
    changes: str = ""


def object_type_words(object_type: str) -> str:
    """The object type as words; an unlisted one still reads well ("lab_result": "Lab result")."""
    words = OBJECT_TYPES.get(object_type)
    return str(words) if words is not None else object_type.replace("_", " ").capitalize()


def action_words(action: str) -> str:
    return str(AuditAction(action).label) if action in AuditAction.values else action


def acting_as_words(acting_as: str) -> str:
    words = ACTING_AS.get(acting_as)
    return str(words) if words is not None else _("Not recorded")


def actor_words(event: AuditEvent) -> str:
    """The actor's recorded name, saying so when they acted as clinic staff."""
    if event.actor_id is None:
        if event.acting_as == "system":
            return _("Carebridge, automatically")
        if event.acting_as == "recipient":
            return _("The person the summary was sent to")
        return _("Unknown")
    if event.acting_as == "staff":
        return _("%(name)s (clinic staff)") % {"name": event.actor_label}
    if event.acting_as == "proxy":
        return _("%(name)s (caregiver or parent)") % {"name": event.actor_label}
    return event.actor_label


def patient_sentence(event: AuditEvent, names: Mapping[tuple[str, str], str] | None = None) -> str:
    """What happened, in words that read right to the patient and to a caregiver ("Viewed the
    account activity"), with the object's name where `names` (from `naming.object_names`) has
    it ("Read by Health Diary")."""
    named = NAMED_SENTENCES.get((event.action, event.object_type))
    name = (names or {}).get((event.object_type, event.object_id))
    if named is not None and name is not None:
        return str(named) % {"name": name}
    sentence = PATIENT_SENTENCES.get((event.action, event.object_type))
    if sentence is not None:
        return str(sentence)
    return _("%(action)s: %(object)s") % {
        "action": action_words(event.action),
        "object": object_type_words(event.object_type).lower(),
    }


def describe_for_patient(
    event: AuditEvent, viewer: User, names: Mapping[tuple[str, str], str] | None = None
) -> EventRow:
    """An event on the patient's activity page, where the viewer's own actions read "You"
    (`names`: the names of the page's objects, from `naming.object_names`)."""
    is_viewer = event.actor_id is not None and event.actor_id == viewer.pk
    return EventRow(
        occurred_at=event.occurred_at,
        who=_("You") if is_viewer else actor_words(event),
        acting_as=acting_as_words(event.acting_as),
        what=patient_sentence(event, names),
        is_denied=event.outcome == AuditOutcome.DENIED,
        outcome=str(AuditOutcome(event.outcome).label),
    )


def describe_for_staff(event: AuditEvent) -> StaffEventRow:
    """An event in the clinic's audit report, from `selectors.list_events_for_report`.

    Needs `actor` selected and `report_patient_mrn` annotated: the MRN of the clinic's own
    patient, empty for anyone else's, so another clinic's patient never shows.
    """
    return StaffEventRow(
        occurred_at=event.occurred_at,
        who=actor_words(event),
        acting_as=acting_as_words(event.acting_as),
        what=action_words(event.action),
        is_denied=event.outcome == AuditOutcome.DENIED,
        outcome=str(AuditOutcome(event.outcome).label),
        sequence=event.sequence,
        email=event.actor.email if event.actor is not None else "",
        patient_mrn=getattr(event, "report_patient_mrn", ""),
        object_type=object_type_words(event.object_type),
        object_id=event.object_id,
        ip=event.ip,
        changes=changes_words(event.changes),
    )


def _value_words(value: object) -> str:
    if value is None or value == "" or value == []:
        return _("(none)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def changes_words(changes: dict[str, dict[str, object]] | None) -> str:
    """Each changed setting as "name: Old → New", joined with "; " (empty for no changes)."""
    if not isinstance(changes, dict):
        return ""
    return "; ".join(
        f"{name}: {_value_words(change.get('before'))} → {_value_words(change.get('after'))}"
        for name, change in sorted(changes.items())
        if isinstance(change, dict)
    )
