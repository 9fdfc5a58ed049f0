"""The person's own choice of how they hear about new messages (`/account/notifications/`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.core.http import AuthenticatedRequest
from carebridge.notifications.forms import PreferenceForm
from carebridge.notifications.models import MessageEmails, NotificationPreference
from carebridge.notifications.services import choose_message_emails


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    saved = NotificationPreference.objects.filter(user=request.user).first()
    current = saved.message_emails if saved is not None else MessageEmails.EACH
    form = PreferenceForm(
        request.POST if request.method == "POST" else None, initial={"message_emails": current}
    )
    if form.is_valid():
        choose_message_emails(user=request.user, choice=form.cleaned_data["message_emails"])
        messages.success(request, _("Your choice is saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
