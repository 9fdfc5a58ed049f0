from django.urls import path

from carebridge.proxies.views import caregivers, helping, invitations, switching, teen_sharing

app_name = "proxies"

urlpatterns = [
    path("acting-for/", switching.switch, name="switch"),
    path("caregivers/", caregivers.caregiver_list, name="caregivers"),
    path("caregivers/invite/", caregivers.invite, name="caregiver-invite"),
    # The link in the invitation e-mail (see `services.common.invitation_link`).
    path("caregivers/accept/<str:token>/", invitations.accept, name="invitation-accept"),
    path("caregivers/<uuid:grant_id>/", caregivers.change, name="caregiver-change"),
    path("caregivers/<uuid:grant_id>/revoke/", caregivers.revoke, name="caregiver-revoke"),
    path("helping/", helping.helping, name="helping"),
    path("helping/<uuid:grant_id>/stop/", helping.stop, name="helping-stop"),
    path("sharing/", teen_sharing.sharing, name="teen-sharing"),
]
