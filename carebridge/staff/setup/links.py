"""Every clinic set-up page, listed once: the hub shows them in this order.

Another set-up page is added with one line here: its URL name, its title and one sentence on
what it is for.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SetupPage:
    url_name: str
    title: Promise
    purpose: Promise

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SETUP_PAGES: list[SetupPage] = [
    SetupPage(
        "staff:setup-clinic",
        _("Clinic profile"),
        _(
            "The clinic's name, phone, address, opening hours, colour and the help and emergency "
            "wording patients see."
        ),
    ),
    SetupPage(
        "staff:setup-logo",
        _("Logo"),
        _("The picture shown with the clinic's name at the top of every page."),
    ),
    SetupPage(
        "staff:setup-places",
        _("Places"),
        _("The offices where patients are seen, with their addresses and phone numbers."),
    ),
    SetupPage(
        "staff:setup-clinicians",
        _("Clinicians"),
        _("The doctors, nurse practitioners and others who see patients, and where they work."),
    ),
    SetupPage(
        "staff:setup-staff-list",
        _("Staff accounts"),
        _(
            "Invite people who work at the clinic, change their role, stop someone's access and "
            "reset their two-step verification."
        ),
    ),
    SetupPage(
        "staff:setup-team-list",
        _("Care teams"),
        _("Who answers patients' messages, about which topics."),
    ),
    SetupPage(
        "staff:setup-visit-types",
        _("Visit types"),
        _("The kinds of visit the clinic offers, how long they last and who may book them online."),
    ),
    SetupPage(
        "staff:setup-hours",
        _("Weekly hours"),
        _("Each clinician's weekly hours at each place, and time off and holidays."),
    ),
    SetupPage(
        "staff:setup-patients",
        _("Patient access"),
        _(
            "What parents may see at what age, when patients may have their own account, "
            "two-step verification and how long activation codes last."
        ),
    ),
    SetupPage(
        "staff:release-settings",
        _("Result release"),
        _("Which kinds of test results wait for a clinician before patients see them."),
    ),
    SetupPage(
        "staff:setup-quick-comments",
        _("Quick comments on results"),
        _("Ready-made comments a clinician can pick when releasing a result to a patient."),
    ),
    SetupPage(
        "staff:message-settings",
        _("Message answer time"),
        _("How many working days the clinic takes to answer a message, as patients are told."),
    ),
    SetupPage(
        "staff:setup-apps",
        _("Apps for patients"),
        _("The apps patients may connect to their record, and the addresses they use."),
    ),
]
