import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from carebridge.clinic.role_groups import role_permissions, sync_role_groups

pytestmark = pytest.mark.django_db


def held(role):
    permissions = Group.objects.get(name=role).permissions.select_related("content_type")
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)


def test_the_migrations_gave_each_role_its_permissions():
    assert held("front_desk") == [
        "billing.review_insurance",
        "clinic.invite_patient",
        "clinic.use_staff_console",
        "proxies.grant_proxy_access",
        "scheduling.manage_schedule",
    ]
    assert "proxies.grant_proxy_access" in held("clinic_admin")
    for role in ("clinician", "nurse", "billing"):
        assert "proxies.grant_proxy_access" not in held(role)
    for role in ("clinician", "nurse", "clinic_admin"):
        assert "scheduling.manage_schedule" in held(role)
    assert "scheduling.manage_schedule" not in held("billing")
    assert held("billing") == ["billing.manage_billing", "clinic.use_staff_console"]
    for role in ("clinician", "nurse", "front_desk"):
        assert "billing.manage_billing" not in held(role)
    for role in ("clinician", "nurse", "billing"):
        assert "billing.review_insurance" not in held(role)


def test_sync_puts_back_exactly_each_roles_permissions():
    front_desk = Group.objects.get(name="front_desk")
    front_desk.permissions.add(Permission.objects.get(codename="manage_clinic"))
    Group.objects.get(name="clinic_admin").permissions.clear()
    Group.objects.filter(name="nurse").delete()
    sync_role_groups(apps)
    for role, pairs in role_permissions().items():
        assert held(role) == sorted(f"{label}.{codename}" for label, codename in pairs)
    assert held("front_desk") == [
        "billing.review_insurance",
        "clinic.invite_patient",
        "clinic.use_staff_console",
        "proxies.grant_proxy_access",
        "scheduling.manage_schedule",
    ]
