"""Download the record: a FHIR JSON file, a C-CDA document, or a summary to read and print."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from carebridge.core.http import AuthenticatedRequest
from carebridge.records.access import access_record
from carebridge.records.exports.ccda import build_ccd
from carebridge.records.exports.fhir_bundle import bundle_chunks
from carebridge.records.exports.forms import EVERYTHING, DownloadForm, SelectionForm
from carebridge.records.exports.printable import build_summary
from carebridge.records.exports.selection import Selection
from carebridge.records.exports.services import download_filename, record_download
from carebridge.records.scope import RecordScope


def no_store(response: HttpResponseBase) -> HttpResponseBase:
    """Neither the browser nor a proxy may keep a copy of a record file or page."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


@login_required
def download(request: AuthenticatedRequest) -> HttpResponseBase:
    """The download form; with a valid choice, the file itself (or the printable summary).

    Access: the viewer's record, if they may take copies of it (404 otherwise); only the
    sections they may see are offered or included. Audit: the page view, then one "export"
    event per file (see `record_download`).
    """
    scope = access_record(request, object_type="record_download", part="download")
    if "format" not in request.GET:
        return no_store(_form_page(request, DownloadForm(parts=scope.parts)))
    form = DownloadForm(request.GET, parts=scope.parts)
    if not form.is_valid():
        return no_store(_form_page(request, form))
    selection, kind = form.selection(), form.cleaned_data["format"]
    if kind == DownloadForm.PRINT:
        return redirect(f"{reverse('records:print')}?{selection.query_string()}")
    record_download(request=request, patient=scope.patient, kind=kind, selection=selection)
    return no_store(_file_response(scope, selection, kind))


def _form_page(request: AuthenticatedRequest, form: DownloadForm) -> HttpResponse:
    return render(request, "records/downloads/download.html", {"form": form})


def _file_response(scope: RecordScope, selection: Selection, kind: str) -> HttpResponseBase:
    now = timezone.now()
    response: HttpResponseBase
    if kind == DownloadForm.FHIR:
        chunks = (chunk.encode() for chunk in bundle_chunks(scope, selection, now))
        response = StreamingHttpResponse(chunks, content_type="application/fhir+json")
    else:
        response = HttpResponse(build_ccd(scope, selection, now), content_type="application/xml")
    filename = download_filename(kind, scope.patient, now)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def print_summary(request: AuthenticatedRequest) -> HttpResponseBase:
    """The chosen parts of the record as a print-ready page (everything when nothing is chosen).

    Access: the viewer's record, if they may take copies of it; only the sections they may see.
    Audit: the page view and an "export" event, since a printed copy leaves the portal like a
    file does.
    """
    scope = access_record(request, object_type="record_download", part="download")
    form = SelectionForm(request.GET or {"include": EVERYTHING}, parts=scope.parts)
    if not form.is_valid():
        return redirect(f"{reverse('records:download')}?format=print&{request.GET.urlencode()}")
    selection = form.selection()
    record_download(request=request, patient=scope.patient, kind="print", selection=selection)
    context = _print_context(scope, selection)
    with timezone.override(context["time_zone"]):
        return no_store(render(request, "records/downloads/print.html", context))


def _print_context(scope: RecordScope, selection: Selection) -> dict[str, Any]:
    patient = scope.patient
    return {
        "patient": patient,
        "clinic": patient.clinic,
        "selection": selection,
        "summary": build_summary(scope, selection),
        "printed_at": timezone.now(),
        "time_zone": patient.clinic.time_zone,
    }
