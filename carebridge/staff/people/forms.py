"""The forms of the staff-accounts and care-team pages. Each list of people offered comes from the
administrator's own clinic only, so a member of another clinic is refused as "not one of the
choices"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from carebridge.clinic.models import Clinic, Practitioner, StaffMember, StaffRole
from carebridge.clinic.staff_accounts import is_address_taken
from carebridge.messaging.models import CareTeam, Topic

NAME_MAX_LENGTH = 150
DESCRIPTION_MAX_LENGTH = 1000


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Role"),
        choices=StaffRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role."), "invalid_choice": _("Choose a role.")},
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The invitation, with a link to choose a password, is sent here."),
        error_messages={
            "required": _("Give their e-mail address."),
            "invalid": _("Enter an e-mail address, such as name@example.org."),
        },
    )
    given_name = forms.CharField(
        label=_("First name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Give their first name.")},
    )
    family_name = forms.CharField(
        label=_("Last name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Give their last name.")},
    )
    role = _role_field()
    practitioner = forms.ModelChoiceField(
        label=_("This person is the clinician (optional)"),
        queryset=Practitioner.objects.none(),
        required=False,
        empty_label=_("Not one of the clinic's clinicians"),
        help_text=_("Only clinicians who do not have a sign-in yet are listed."),
        error_messages={"invalid_choice": _("Choose a clinician from the list.")},
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["practitioner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Practitioner.objects.filter(clinic=clinic, user__isnull=True)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if is_address_taken(email):
            raise forms.ValidationError(_("That e-mail address already has an account here."))
        return str(email)


class RoleForm(forms.Form):
    role = _role_field()


class _StaffChoices(forms.ModelMultipleChoiceField):
    """Staff by name and role; a deactivated member kept on a team says so."""

    def label_from_instance(self, obj: StaffMember) -> str:
        name = f"{obj.user.display_name} ({obj.get_role_display()})"
        return name if obj.is_active else str(_("%(name)s, deactivated") % {"name": name})


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Team name"),
        max_length=120,
        error_messages={"required": _("Give the team a name.")},
    )
    description = forms.CharField(
        label=_("What the team helps with, in plain words"),
        help_text=_("Patients read this when they choose whom to write to."),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    topics = forms.MultipleChoiceField(
        label=_("The topics this team answers"),
        help_text=_(
            "Messages about these topics come to this team. Tick none and the team answers every "
            "topic. Tick “Something else” to make it the team for topics no other team answers."
        ),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose topics from the list.")},
    )
    practitioners = forms.ModelMultipleChoiceField(
        label=_("Clinicians patients see in this team"),
        queryset=Practitioner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose clinicians from the list.")},
    )
    members = _StaffChoices(
        label=_("Staff who answer this team's messages"),
        queryset=StaffMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose staff from the list.")},
    )
    is_active = forms.BooleanField(label=_("Taking messages"), required=False)

    def __init__(self, *args: Any, clinic: Clinic, team: CareTeam | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        practitioners = self.fields["practitioners"]
        members = self.fields["members"]
        assert isinstance(practitioners, forms.ModelMultipleChoiceField)
        assert isinstance(members, forms.ModelMultipleChoiceField)
        practitioners.queryset = Practitioner.objects.filter(clinic=clinic)
        members.queryset = _members_offered(clinic, team)


def _members_offered(clinic: Clinic, team: CareTeam | None) -> QuerySet[StaffMember]:
    # Active staff, and whoever already answers for the team, so that saving the team does not
    # silently drop a deactivated member who may come back.
    keep = Q(is_active=True) | Q(care_teams=team) if team is not None else Q(is_active=True)
    chosen = StaffMember.objects.filter(Q(clinic=clinic) & keep).distinct()
    return chosen.select_related("user").order_by("user__last_name", "user__first_name", "pk")


def team_details_initial(team: CareTeam) -> dict[str, Any]:
    return {
        "name": team.name,
        "description": team.description,
        "topics": list(team.topics),
        "practitioners": list(team.practitioners.all()),
        "members": list(team.members.all()),
        "is_active": team.is_active,
    }
