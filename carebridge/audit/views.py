"""The patient's "Account activity" page: who has looked at their record (others: staff,
caregivers and parents, apps), apart from their own activity, filtered by person and dates."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carebridge.audit import selectors
from carebridge.audit.forms import ActivityFilterForm
from carebridge.audit.labels import describe_for_patient
from carebridge.audit.looking import API_READ, describe_looked, person_choices
from carebridge.audit.models import AuditAction
from carebridge.audit.naming import names_of, object_names
from carebridge.audit.services import record_event
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient

EVENTS_PER_PAGE = 25
# The two lists page on their own: "page" for others' views, "own_page" for the patient's own.
OWN_PAGE = "own_page"


def _filter_form(request: AuthenticatedRequest, patient: Patient) -> ActivityFilterForm:
    people = selectors.list_people_who_looked(patient)
    app_ids = [label for _value, label, acting_as in people if acting_as == "app"]
    choices = person_choices(people, names_of(API_READ, app_ids))
    return ActivityFilterForm(request.GET, people=choices)


def _activity_lists(request: AuthenticatedRequest, patient: Patient) -> dict[str, Any]:
    """The filter form and, when it is valid, one page of others' events and one of the
    patient's own, as rows (a fixed number of queries whatever the trail's size)."""
    form = _filter_form(request, patient)
    if not form.is_valid():
        return {"form": form}
    days = (form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    person = form.cleaned_data["person"]
    others = selectors.list_others_events(patient, *days, person=person)
    looked_page = Paginator(others, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    looked = list(looked_page.object_list)
    own_page = Paginator(selectors.list_own_events(patient, *days), EVENTS_PER_PAGE).get_page(
        request.GET.get(OWN_PAGE)
    )
    own = list(own_page.object_list)
    names = object_names([*looked, *own])
    roles = selectors.get_staff_roles(e.actor_id for e in looked if e.actor_id is not None)
    return {
        "form": form,
        "is_filtered": bool(person),
        "looked_page": looked_page,
        "looked_rows": describe_looked(looked, request.user, names, roles),
        "own_page": own_page,
        "own_rows": [describe_for_patient(event, request.user, names) for event in own],
    }


@login_required
def account_activity(request: AuthenticatedRequest) -> HttpResponse:
    """Who has looked at the viewer's record, and their own activity, newest first.

    Audit rule: viewing this page is itself recorded, before the lists are read, so the newest
    row of the patient's own activity is this very visit (a caregiver's visit is among others'
    views). A user with no patient record sees an empty page and nothing is recorded, because
    no patient's data is shown. A caregiver or parent acting for the patient sees the
    patient's activity only with the account-settings scope (404 otherwise): the list shows
    who else helps the patient and which staff read what, which is the account's business.
    """
    patient = request.acting.patient
    if request.acting.is_proxy and not request.acting.may("account"):
        raise Http404
    if patient is None:
        return render(request, "audit/activity.html", {"has_record": False})
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="account_activity",
        patient=patient,
        acting_as=request.acting.relationship.value,
        request=request,
    )
    tz = selectors.clinic_time_zone(patient.clinic)
    context = {"has_record": True, "time_zone": tz.key, **_activity_lists(request, patient)}
    with timezone.override(tz):
        return render(request, "audit/activity.html", context)
