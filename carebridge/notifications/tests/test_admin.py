"""The outbox in Django admin: the deployment's administrators read notices (those no clinic
owns too), but never a body, and cannot add, change or delete one."""

from __future__ import annotations

import pytest
from django.test import Client

from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services import queue_notice
from carebridge.testing import factories

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_shows_a_notice_without_its_body():
    root = factories.make_user(email="root@example.org", is_staff=True, is_superuser=True)
    factories.enable_totp(root)
    client = Client()
    client.force_login(root)
    notice = queue_notice(
        kind=NoticeKind.SECURITY,
        address="stranger@example.org",
        subject="[Carebridge] Reset your password",
        body="https://portal.example.org/reset/secret-key/\n",
    )
    listing = client.get("/staff/admin/notifications/notice/")
    detail = client.get(f"/staff/admin/notifications/notice/{notice.pk}/change/")
    assert (listing.status_code, detail.status_code) == (200, 200)
    assert "stranger@example.org" in detail.content.decode()
    for page in (listing, detail):
        assert "secret-key" not in page.content.decode()
    assert client.post(f"/staff/admin/notifications/notice/{notice.pk}/delete/").status_code == 403
    assert client.get("/staff/admin/notifications/notice/add/").status_code == 403
