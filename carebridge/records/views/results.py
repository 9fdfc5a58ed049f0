"""The test-results pages (list, one result, one report, one test over time) and vital signs.

Each view is thin: `access_record` or `access_resource` decides who may see what and records
the view in the audit trail, selectors read index columns, and the page renders dates in the
patient's clinic's time zone. Opening a result marks it seen only when the patient opens it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.core.forms import BoundedDateField
from carebridge.core.http import AuthenticatedRequest
from carebridge.records.access import access_record, access_resource
from carebridge.records.links import current_links
from carebridge.records.models import ClinicalResource, ResourceType
from carebridge.records.scope import RecordScope
from carebridge.records.selectors import charts, detail, groups, results, trends
from carebridge.records.selectors import vitals as vital_signs
from carebridge.records.selectors.comments import get_comment, list_test_comments
from carebridge.records.selectors.wording import clinic_zone
from carebridge.records.services import mark_seen

RESULTS_PER_PAGE = 25
READINGS_PER_PAGE = 25
# The result page's table lists this many of the newest readings; the trend page lists all.
DETAIL_TABLE_ROWS = 20


class ResultFilterForm(forms.Form):
    """The results list's filters: a date range (days in the clinic's zone) and a kind."""

    date_from = BoundedDateField(label=gettext_lazy("From"), required=False)
    date_to = BoundedDateField(label=gettext_lazy("To"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of result"),
        required=False,
        choices=[("", gettext_lazy("All kinds")), *results.RESULT_KINDS.items()],
    )
    q = forms.CharField(label=gettext_lazy("Test name"), required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned


@dataclass(frozen=True)
class PageLinks:
    """Previous and next links for one paginated table, keeping the page's other parameters."""

    previous: str = ""
    next: str = ""


def paged(
    request: AuthenticatedRequest, items: Sequence[Any], param: str, anchor: str
) -> tuple[Page[Any], PageLinks]:
    """One page of an in-memory list (newest first), and links to its neighbours."""
    page = Paginator(items, READINGS_PER_PAGE).get_page(request.GET.get(param))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}#{anchor}"

    return page, PageLinks(
        previous=link(page.previous_page_number()) if page.has_previous() else "",
        next=link(page.next_page_number()) if page.has_next() else "",
    )


def _mark_seen_by_patient(request: AuthenticatedRequest, resource_ids: list[int]) -> None:
    # Only the patient's own opening counts: a caregiver or staff member reading a result
    # must not make it look already seen to the patient.
    patient = request.acting.patient
    if request.acting.is_self and patient is not None and resource_ids:
        mark_seen(patient=patient, resource_ids=resource_ids)


@login_required
def result_list(request: AuthenticatedRequest) -> HttpResponse:
    """The patient's released results grouped as the clinic ordered them (a report or panel
    is one row), newest first, filtered by dates, kind and test name."""
    scope = access_record(request, object_type="results", part="results")
    zone = clinic_zone(scope.patient)
    form = ResultFilterForm(request.GET)
    if not form.is_valid():
        counts = results.result_counts(scope)
        return render(request, "records/results.html", {"form": form, "counts": counts})
    condition = results.result_filter(
        zone=zone,
        date_from=form.cleaned_data["date_from"],
        date_to=form.cleaned_data["date_to"],
        category=form.cleaned_data["kind"],
    )
    words = form.cleaned_data["q"].strip()
    keys = groups.list_group_keys(scope, condition, words)
    page = Paginator(keys, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "counts": results.result_counts(scope),
        "page": page,
        "groups": groups.result_groups(scope, list(page.object_list), zone),
        "is_filtered": any(form.cleaned_data.values()),
        "words": words,
    }
    return render(request, "records/results.html", context)


@login_required
def result_detail(request: AuthenticatedRequest, resource_id: int) -> HttpResponse:
    """One result: value, range, flag in words, what the test is, and its history."""
    scope, row = access_resource(
        request,
        resource_id,
        resource_types=(ResourceType.OBSERVATION,),
        object_type="result",
        part="results",
    )
    zone = clinic_zone(scope.patient)
    # A panel's parts are its results: opening the panel marks them seen with it, in one write.
    parts = results.report_results(scope, row, zone, element="hasMember")
    _mark_seen_by_patient(request, [row.pk, *(part.pk for part in parts.rows)])
    context = _result_context(scope, row, zone) | {"rows": parts.rows, "held": parts.held}
    # The chart's date labels, like the page's times, are in the clinic's zone.
    with timezone.override(zone):
        return render(request, "records/result_detail.html", context)


def _result_context(scope: RecordScope, row: ClinicalResource, zone: ZoneInfo) -> dict[str, Any]:
    result = detail.get_result_detail(scope, row, zone)
    history = trends.get_history(scope, code_system=row.code_system, code=row.code, zone=zone)
    return {
        "result": result,
        "comment": get_comment(row, zone),
        "chart": charts.reading_chart("chart-history", result.name, history.readings),
        "readings": list(reversed(history.readings))[:DETAIL_TABLE_ROWS],
        "reading_count": len(history.readings),
    }


@login_required
def report_detail(request: AuthenticatedRequest, resource_id: int) -> HttpResponse:
    """One report and its released results; opening it marks them all seen (patient only)."""
    scope, report = access_resource(
        request,
        resource_id,
        resource_types=(ResourceType.DIAGNOSTIC_REPORT,),
        object_type="result",
        part="results",
    )
    zone = clinic_zone(scope.patient)
    found = results.report_results(scope, report, zone)
    _mark_seen_by_patient(request, [report.pk, *(row.pk for row in found.rows)])
    context = {"report": detail.get_report_detail(scope, report, zone), "rows": found.rows}
    context["held"] = found.held
    context["comment"] = get_comment(report, zone)
    with timezone.override(zone):
        return render(request, "records/report_detail.html", context)


@login_required
def test_trend(request: AuthenticatedRequest, resource_id: int) -> HttpResponse:
    """The test of one of the patient's results over a chosen period: a chart, and every
    reading in a table.

    The address names a result by its id, never the test's code, so no URL (or server log)
    says which tests someone has had. Access and audit: as for the result itself.
    """
    scope, row = access_resource(
        request,
        resource_id,
        resource_types=(ResourceType.OBSERVATION,),
        object_type="result",
        part="results",
    )
    if row.code_system != results.LOINC or not row.code:
        raise Http404
    code = row.code
    zone = clinic_zone(scope.patient)
    with timezone.override(zone):
        return render(request, "records/test_trend.html", _trend_context(request, scope, code))


def _trend_context(request: AuthenticatedRequest, scope: RecordScope, code: str) -> dict[str, Any]:
    zone = clinic_zone(scope.patient)
    period = trends.chosen_period(request.GET.get("period"), "all")
    since = trends.period_start(period)
    history = trends.get_history(
        scope, code_system=results.LOINC, code=code, zone=zone, since=since
    )
    name = history.name or _name_of_test(scope, code, zone)
    page, links = paged(request, list(reversed(history.readings)), "page", "readings")
    chart = charts.reading_chart(
        "chart-trend", name, history.readings, start=since, end=_now_if(since)
    )
    return {
        "name": name,
        "code": code,
        "comments": list_test_comments(scope, code_system=results.LOINC, code=code, zone=zone),
        "period": period,
        "periods": trends.PERIODS,
        "chart": chart,
        "page": page,
        "links": links,
    }


def _name_of_test(scope: RecordScope, code: str, zone: ZoneInfo) -> str:
    # Nothing in the chosen period: the name comes from the whole history. A patient with no
    # reading of the test at all gets a 404, as for any other missing page.
    history = trends.get_history(scope, code_system=results.LOINC, code=code, zone=zone)
    if not history.readings:
        raise Http404
    return history.name


def _now_if(since: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.now() if since is not None else None


@dataclass(frozen=True)
class VitalSection:
    """One vital sign on the vitals page: the latest in words, a chart, a paged table."""

    key: str
    title: str
    latest: str
    chart: charts.ChartView
    page: Page[Any]
    links: PageLinks
    is_open: bool


@login_required
def vitals(request: AuthenticatedRequest) -> HttpResponse:
    """Blood pressure, weight, BMI and heart rate over a chosen period (one query for all).

    Charts are thinned to what their width can show; each table lists every reading of the
    period, 25 to a page, newest first.
    """
    scope = access_record(request, object_type="vitals", part="vitals")
    zone = clinic_zone(scope.patient)
    period = trends.chosen_period(request.GET.get("period"), "5y")
    since = trends.period_start(period)
    found = vital_signs.list_vitals(scope, zone=zone, since=since)
    with timezone.override(zone):
        sections = [
            _blood_pressure_section(request, found.blood_pressure, since),
            _reading_section(request, "weight", _("Weight"), found.weight, since),
            _reading_section(request, "bmi", _("Body mass index (BMI)"), found.bmi, since),
            _reading_section(request, "heart-rate", _("Heart rate"), found.heart_rate, since),
        ]
    context = {"sections": sections, "period": period, "periods": trends.PERIODS}
    return render(request, "records/vitals.html", context)


def _blood_pressure_section(
    request: AuthenticatedRequest,
    readings: list[vital_signs.BloodPressure],
    since: datetime.datetime | None,
) -> VitalSection:
    page, links = paged(request, readings[::-1], "blood-pressure-page", "blood-pressure")
    latest = ""
    if readings:
        last = readings[-1]
        latest = str(_latest_words(request)["blood-pressure"]) % {
            "name": _helped_name(request),
            "value": last.value,
            "day": charts.day_words(last.day),
        }
    return VitalSection(
        key="blood-pressure",
        title=_("Blood pressure"),
        latest=latest,
        chart=charts.blood_pressure_chart(readings, start=since, end=_now_if(since)),
        page=page,
        links=links,
        is_open="blood-pressure-page" in request.GET,
    )


LATEST_WORDS = {
    "blood-pressure": gettext_lazy("Your last blood pressure was %(value)s on %(day)s."),
    "weight": gettext_lazy("Your last weight was %(value)s %(unit)s on %(day)s."),
    "bmi": gettext_lazy("Your last body mass index (BMI) was %(value)s on %(day)s."),
    "heart-rate": gettext_lazy("Your last heart rate was %(value)s beats a minute on %(day)s."),
}
# The same, for a caregiver or parent: the person they help, by first name.
PROXY_LATEST_WORDS = {
    "blood-pressure": gettext_lazy("%(name)s's last blood pressure was %(value)s on %(day)s."),
    "weight": gettext_lazy("%(name)s's last weight was %(value)s %(unit)s on %(day)s."),
    "bmi": gettext_lazy("%(name)s's last body mass index (BMI) was %(value)s on %(day)s."),
    "heart-rate": gettext_lazy(
        "%(name)s's last heart rate was %(value)s beats a minute on %(day)s."
    ),
}
# The same, for staff reading the patient's chart in the console ("Your" would be them).
CHART_LATEST_WORDS = {
    "blood-pressure": gettext_lazy("Last blood pressure: %(value)s on %(day)s."),
    "weight": gettext_lazy("Last weight: %(value)s %(unit)s on %(day)s."),
    "bmi": gettext_lazy("Last body mass index (BMI): %(value)s on %(day)s."),
    "heart-rate": gettext_lazy("Last heart rate: %(value)s beats a minute on %(day)s."),
}


def _latest_words(request: AuthenticatedRequest) -> dict[str, Any]:
    if current_links().owner is not None:
        return CHART_LATEST_WORDS
    return PROXY_LATEST_WORDS if _helped_name(request) else LATEST_WORDS


def _helped_name(request: AuthenticatedRequest) -> str:
    """The first name of the person a caregiver or parent helps; "" on the patient's own page."""
    acting = request.acting
    if acting.is_proxy and acting.patient is not None:
        return str(acting.patient.first_name)
    return ""


def _reading_section(
    request: AuthenticatedRequest,
    key: str,
    title: str,
    readings: list[trends.Reading],
    since: datetime.datetime | None,
) -> VitalSection:
    param = f"{key}-page"
    page, links = paged(request, readings[::-1], param, key)
    latest = ""
    if readings:
        last = readings[-1]
        latest = str(_latest_words(request)[key]) % {
            "name": _helped_name(request),
            "value": last.value,
            "unit": last.unit_shown,
            "day": charts.day_words(last.day),
        }
    chart = charts.reading_chart(f"chart-{key}", title, readings, start=since, end=_now_if(since))
    return VitalSection(key, title, latest, chart, page, links, is_open=param in request.GET)
