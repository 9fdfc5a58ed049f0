import pytest
from django.test import Client
from django.core import mail
from carebridge.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

def test_explore(cast, django_capture_on_commit_callbacks):
    c = Client()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/account/login/", {"login": "pat@example.org", "password": TEST_PASSWORD})
    print("LOGIN", r.status_code, r.headers.get("Location"))
    for m in mail.outbox: print(m.subject); print(m.body)
    r = c.post("/account/reauthenticate/", {"password": TEST_PASSWORD})
    print("REAUTH", r.status_code, r.headers.get("Location"))
    for url in ["/", "/account/", "/account/2fa/", "/account/2fa/totp/activate/", "/account/password/change/", "/account/email/", "/account/sessions/", "/account/reauthenticate/", "/help/", "/account/2fa/webauthn/add/", "/account/2fa/reauthenticate/", "/account/logout/"]:
        r = c.get(url)
        print("=====", url, r.status_code, r.headers.get("Location"))
        if r.status_code == 200:
            open("/tmp/cb_scratch/" + url.strip("/").replace("/", "_") + ".html", "w").write(r.content.decode())
    c2 = Client()
    for url in ["/account/login/", "/account/password/reset/", "/help/"]:
        r = c2.get(url)
        print("=====", url, r.status_code)
        open("/tmp/cb_scratch/anon_" + url.strip("/").replace("/", "_") + ".html", "w").write(r.content.decode())
