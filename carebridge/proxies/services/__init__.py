"""Every write to proxy grants: invitations, parental grants, scope changes, endings.

Each service takes the acting user, checks that they may make the change (PermissionError
when they may not, ValidationError for a refusal the user can fix), records an audit event in
the same transaction, and sends its e-mails after commit. E-mails never carry health
information, names, or the clinic's name: only that access was given or ended, and a link.
"""

from carebridge.proxies.services.common import clean_scopes, invitation_link
from carebridge.proxies.services.grants import (
    change_scopes,
    grant_parental_access,
    revoke_grant,
    set_teen_sharing,
)
from carebridge.proxies.services.guardians import give_guardian_access, invite_guardian
from carebridge.proxies.services.invitations import (
    Invitation,
    NotInvitedPersonError,
    accept_invitation,
    check_invited_person,
    decline_invitation,
    find_invitation,
    invite_caregiver,
)
from carebridge.proxies.services.lapsing import LapsedCounts, end_lapsed_grants

__all__ = [
    "Invitation",
    "LapsedCounts",
    "NotInvitedPersonError",
    "accept_invitation",
    "change_scopes",
    "check_invited_person",
    "clean_scopes",
    "decline_invitation",
    "end_lapsed_grants",
    "find_invitation",
    "give_guardian_access",
    "grant_parental_access",
    "invitation_link",
    "invite_caregiver",
    "invite_guardian",
    "revoke_grant",
    "set_teen_sharing",
]
