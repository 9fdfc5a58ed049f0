from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from carebridge.fhir.smart.urls import oauth_urlpatterns, well_known_urlpatterns
from carebridge.records.urls import shared_urlpatterns

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Carebridge administration"

urlpatterns = [
    path("", include("carebridge.home.urls")),
    path("account/", include("carebridge.accounts.urls")),
    path("account/details/", include("carebridge.patients.urls")),
    path("account/activity/", include("carebridge.audit.urls")),
    path("account/notifications/", include("carebridge.notifications.urls")),
    path("account/apps/", include("carebridge.fhir.connected_apps.urls")),
    path("account/", include("carebridge.proxies.urls")),
    path("account/", include("allauth.urls")),
    path("record/", include("carebridge.records.urls")),
    path("appointments/", include("carebridge.scheduling.urls")),
    path("messages/", include("carebridge.messaging.urls")),
    path("billing/", include("carebridge.billing.urls")),
    path("shared/", include((shared_urlpatterns, "shared"))),
    # The clinic's logo and colours (no sign-in: the sign-in page shows them too).
    path("brand/", include("carebridge.clinic.urls")),
    path("staff/admin/", admin.site.urls),
    path("staff/", include("carebridge.staff.urls")),
    # SMART App Launch: authorize (our consent page), tokens and OpenID Connect.
    path("o/", include((oauth_urlpatterns, "oauth2_provider"))),
    path("fhir/.well-known/", include((well_known_urlpatterns, "smart"))),
    # The patients' apps' FHIR API (bearer tokens, JSON; see carebridge/fhir/api).
    path("fhir/", include("carebridge.fhir.api.urls", namespace="fhir")),
]

handler400 = "carebridge.home.views.bad_request"
handler403 = "carebridge.home.views.permission_denied"
handler404 = "carebridge.home.views.page_not_found"
handler500 = "carebridge.home.views.server_error"
