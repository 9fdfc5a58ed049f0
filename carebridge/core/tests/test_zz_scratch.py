import time
import pytest
import time_machine
from django.test import Client
from carebridge.accounts.tests.helpers import reauthenticate, sign_in, totp_code
from carebridge.testing import factories

pytestmark = pytest.mark.django_db

def test_explore(cast, patient_client):
    reauthenticate(patient_client)
    with time_machine.travel(time.time(), tick=False):
        secret = patient_client.get("/account/2fa/totp/activate/").context["form"].secret
        patient_client.post("/account/2fa/totp/activate/", {"code": totp_code(secret)})
    for url in ["/account/2fa/", "/account/2fa/recovery-codes/", "/account/2fa/recovery-codes/generate/", "/account/2fa/totp/deactivate/", "/account/2fa/webauthn/", "/account/2fa/reauthenticate/", "/account/reauthenticate/"]:
        r = patient_client.get(url)
        print("=====", url, r.status_code, r.headers.get("Location"))
        if r.status_code == 200:
            open("/tmp/cb_scratch/" + url.strip("/").replace("/", "_") + ".html", "w").write(r.content.decode())
    c = Client()
    sign_in(c, "pat@example.org")
    r = c.get("/account/2fa/authenticate/")
    open("/tmp/cb_scratch/authenticate.html", "w").write(r.content.decode())
    r = c.post("/account/2fa/authenticate/", {"code": "12"})
    open("/tmp/cb_scratch/authenticate_err.html", "w").write(r.content.decode())
