"""Throughput and p99 latency of the record's busiest pages, against a bare Django baseline.

    .venv/bin/python bench/page_load.py [--duration 10] [--concurrency 4] [--workers 2]

Builds a fresh SQLite database holding one patient with a generated 20-year record of 10,000
observations and 300 conversations with a care team (one of them 100 messages long), starts
the real server (gunicorn, DEBUG off) and signs in through the login page (a nurse of that
team with her authenticator code too). Then another process (`bench/loadgen.py`) loads, in
turn, a bare Django page rendering a 50-row table (the baseline) and the home, results, trend
and vitals pages, the appointments list and the booking times page (a clinician with 200 booked
times), the patient's messages and the 100-message conversation, the nurse's team inbox, and
the patient's bills (two years of statements: the summary, the newest statement and the account
history); this script reports each page's throughput and p99 latency as ratios to the baseline
measured in the same run. Issue 3's goal: a throughput ratio of at least 1.0 for home, results
and trend.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import json
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import PYTHON, REPO, bench_environment, manage, new_workdir

EMAIL = "bench.patient@example.test"
CAREGIVER_EMAIL = "bench.caregiver@example.test"
STAFF_EMAIL = "bench.nurse@example.test"
PASSWORD = "bench-password-long-enough"  # noqa: S105
# The nurse's authenticator secret (base32, as allauth stores it): staff must use MFA.
TOTP_SECRET = "MNQXEZLCOJUWIZ3FFVRGK3TDNAWW2ZTB"  # noqa: S105
TOTP_PERIOD = 30
THREADS = 300
LONG_THREAD = 100
SETUP = """
import datetime, json
from allauth.account.models import EmailAddress
from carebridge.accounts.models import User
from carebridge.clinic.models import Clinic
from carebridge.demo.clinical import generate_large_record
from carebridge.records.identifiers import mrn_system
clinic, _ = Clinic.objects.get_or_create(slug="bench", defaults={"name": "Bench Clinic"})
bundle = generate_large_record(mrn_system=mrn_system(clinic), today=datetime.date.today())
with open(PATH, "w") as out:
    json.dump(bundle, out)
"""
ATTACH_USER = """
import datetime
from allauth.account.models import EmailAddress
from django.db.models import Count
from carebridge.accounts.models import User
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
patient = Patient.objects.get()
user = User.objects.create_user(email=EMAIL, password=PASSWORD, first_name="Bench")
EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
patient.user = user
patient.save()
from carebridge.proxies.models import ProxyGrant, ProxyScope
carer = User.objects.create_user(email=CAREGIVER_EMAIL, password=PASSWORD, first_name="Carer")
EmailAddress.objects.create(user=carer, email=CAREGIVER_EMAIL, verified=True, primary=True)
ProxyGrant.objects.create(
    patient=patient, proxy=carer, granted_by=user, relationship="caregiver",
    scopes=sorted(ProxyScope.values), status="active",
    starts_on=datetime.date.today() - datetime.timedelta(days=1),
)
top = (
    ClinicalResource.objects.filter(
        patient=patient, category="laboratory", resource_type="Observation"
    )
    .values("code").annotate(n=Count("id")).order_by("-n").first()
)
newest = (
    ClinicalResource.objects.filter(
        patient=patient, code=top["code"], resource_type="Observation"
    )
    .order_by("-effective_at").values_list("pk", flat=True).first()
)
print(newest, top["code"], top["n"], ClinicalResource.objects.filter(patient=patient).count(),
      patient.pk)
"""
# An app the patient connected with every scope, and one hour's token for it; prints the token,
# the patient's API id and the id of the newest laboratory result.
CONNECT_APP = """
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.testing.fhir import connect_app, issue_token
patient = Patient.objects.get()
token = issue_token(connect_app(user=patient.user, patient=patient))
newest = (
    ClinicalResource.objects.filter(
        patient=patient, category="laboratory", resource_type="Observation"
    ).order_by("-effective_at").values_list("api_id", flat=True).first()
)
print(token, patient.pk, newest)
"""
# A clinician working weekdays 8:00 to 17:00 with 200 of the next 90 days' times already booked:
# the booking times page computes free times around them.
SCHEDULE = """
import datetime, zoneinfo
from django.utils import timezone
from carebridge.clinic.models import Location, Practitioner
from carebridge.patients.models import Patient
from carebridge.scheduling.models import Appointment, VisitType, WeeklyHours
patient = Patient.objects.get()
clinic = patient.clinic
place = Location.objects.create(
    clinic=clinic, name="Bench Office", address_line="1 Main St", city="Town", state="NY",
    postal_code="12000",
)
doctor = Practitioner.objects.create(clinic=clinic, given_name="Bea", family_name="Bench")
doctor.locations.add(place)
visit = VisitType.objects.create(clinic=clinic, name="Check-up", online_booking="everyone")
visit.practitioners.add(doctor)
visit.locations.add(place)
for weekday in range(5):
    WeeklyHours.objects.create(
        practitioner=doctor, location=place, weekday=weekday,
        starts_at=datetime.time(8), ends_at=datetime.time(17),
    )
zone = zoneinfo.ZoneInfo(clinic.time_zone)
day = timezone.localdate(timezone=zone) + datetime.timedelta(days=1)
made = 0
while made < 200:
    if day.weekday() < 5:
        for hour in (9, 11, 14, 16):
            start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
            Appointment.objects.create(
                patient=patient, practitioner=doctor, location=place, visit_type=visit,
                starts_at=start, ends_at=start + visit.duration, booked_as="staff",
            )
            made += 1
    day += datetime.timedelta(days=1)
print(visit.pk)
"""

# Two years of bills: 24 monthly statements of 20 charges each, every one but the last paid at
# the desk, so the billing pages have 480 charges and 24 payments behind them.
BILLS = """
import datetime
from carebridge.billing.models import Method
from carebridge.billing.services.charges import issue_statement, post_manual_charge
from carebridge.billing.services.desk import take_desk_payment
from carebridge.core.actor import Actor
from carebridge.patients.models import Patient
patient = Patient.objects.get()
today = datetime.date.today()
statement = None
for month in range(24):
    day = today - datetime.timedelta(days=30 * (24 - month))
    for line in range(20):
        post_manual_charge(
            actor=Actor.system(), patient=patient, service_date=day,
            description=f"Service {line}", amount_cents=1000 + line,
        )
    statement = issue_statement(actor=Actor.system(), patient=patient, due_days=30)
    if month < 23:
        take_desk_payment(
            actor=Actor.system(), patient=patient, amount_cents=statement.amount_cents,
            method=Method.CASH, reference="", idempotency_key=f"bench-{month}",
        )
print(statement.pk)
"""

# The patient's conversations with one care team, bulk-created: THREADS threads of two messages
# (the patient's, then the nurse's answer), the newest of them LONG_THREAD messages long. The
# patient has read every other thread; the nurse, every fourth, and has a third assigned to her.
MESSAGES = """
import datetime
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.utils import timezone
from carebridge.accounts.models import User
from carebridge.clinic.models import StaffMember, StaffRole
from carebridge.messaging.models import CareTeam, Message, Thread, ThreadRead, ThreadStatus
from carebridge.patients.models import Patient
patient = Patient.objects.select_related("user").get()
nurse = User.objects.create_user(
    email=STAFF_EMAIL, password=PASSWORD, first_name="Nina", last_name="Nurse"
)
EmailAddress.objects.create(user=nurse, email=STAFF_EMAIL, verified=True, primary=True)
member = StaffMember.objects.create(user=nurse, clinic=patient.clinic, role=StaffRole.NURSE)
nurse.groups.add(Group.objects.get(name=str(StaffRole.NURSE)))
TOTP.activate(nurse, TOTP_SECRET)
team = CareTeam.objects.create(clinic=patient.clinic, name="Bench team")
team.members.add(member)
now = timezone.now()
statuses = [ThreadStatus.NEW, ThreadStatus.IN_PROGRESS, ThreadStatus.WAITING_ON_PATIENT]
threads = Thread.objects.bulk_create(
    Thread(
        patient=patient, team=team, topic="clinical", subject=f"Question {n} about my medicines",
        status=statuses[n % 3], assigned_to=nurse if n % 3 == 1 else None,
        created_by=patient.user, created_as="self",
        last_message_at=now - datetime.timedelta(hours=n + 1),
    )
    for n in range(THREADS)
)
QUESTION = (
    "Hello, I have been taking the new tablets every morning with breakfast for two weeks. "
    "Is it fine to take them in the evening instead? They make me a little sleepy at work."
)
ANSWER = (
    "Thank you for your message. Yes, you can take them in the evening instead, at about the "
    "same time each day. If the sleepiness does not get better in a week, let us know."
)
def message(thread, k, count):
    by_staff = k % 2 == 1
    return Message(
        thread=thread, author=nurse if by_staff else patient.user,
        author_as="staff" if by_staff else "self", body=ANSWER if by_staff else QUESTION,
        sent_at=thread.last_message_at - datetime.timedelta(minutes=30 * (count - 1 - k)),
    )
counts = [LONG_THREAD] + [2] * (THREADS - 1)
Message.objects.bulk_create(
    message(thread, k, count) for thread, count in zip(threads, counts) for k in range(count)
)
ThreadRead.objects.bulk_create(
    [ThreadRead(thread=t, user=patient.user, read_at=t.last_message_at) for t in threads[::2]]
    + [ThreadRead(thread=t, user=nurse, read_at=t.last_message_at) for t in threads[::4]]
)
print(threads[0].pk, Message.objects.filter(thread=threads[0]).count())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(env: dict[str, str], workdir: Path) -> tuple[str, str, str, str, str]:
    """Database, record, the patient's and a caregiver's sign-ins, a booking schedule, the
    conversations and their nurse, the bills, and static files; returns the result whose trend
    is loaded, the patient's id, the visit type whose free times are loaded, the long thread's
    id and the newest statement's id."""
    manage(env, "migrate", "--noinput")
    record = workdir / "large-record.json"
    manage(env, "shell", "-v", "0", "-c", SETUP.replace("PATH", repr(str(record))))
    manage(env, "import-fhir", str(record), "--json", "--no-progress")
    attach = (
        ATTACH_USER.replace("CAREGIVER_EMAIL", repr(CAREGIVER_EMAIL))
        .replace("EMAIL", repr(EMAIL))
        .replace("PASSWORD", repr(PASSWORD))
    )
    result_id, code, count, total, patient_id = manage(
        env, "shell", "-v", "0", "-c", attach
    ).split()
    print(f"Patient with {total} resources; trend page for LOINC {code} ({count} results)")
    visit_type_id = manage(env, "shell", "-v", "0", "-c", SCHEDULE).strip()
    names = {
        "STAFF_EMAIL": STAFF_EMAIL,
        "PASSWORD": PASSWORD,
        "TOTP_SECRET": TOTP_SECRET,
        "THREADS": THREADS,
        "LONG_THREAD": LONG_THREAD,
    }
    prelude = "".join(f"{name} = {value!r}\n" for name, value in names.items())
    thread_id, length = manage(env, "shell", "-v", "0", "-c", prelude + MESSAGES).split()
    print(f"{THREADS} conversations; the thread page loads one of {length} messages")
    statement_id = manage(env, "shell", "-v", "0", "-c", BILLS).strip()
    print("480 charges on 24 statements; the statement page loads the newest")
    manage(env, "collectstatic", "--noinput")
    return result_id, patient_id, visit_type_id, thread_id, statement_id


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "carebridge.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=REPO,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("The server did not start.")


def sign_in(base_url: str, email: str = EMAIL, acting_for: str = "", visit_type: str = "") -> str:
    """Sign in through the real login page (and, for a caregiver, choose whom to act for in
    the header switcher; with `visit_type`, choose it in step 1 of booking); return the Cookie
    header for the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    landed = _post_form(opener, base_url, "/account/login/", {"login": email, "password": PASSWORD})
    assert urllib.parse.urlsplit(landed.url).path == "/", f"sign-in ended at {landed.url}"
    if acting_for:
        _post_form(opener, base_url, "/account/acting-for/", {"patient": acting_for}, page="/")
    if visit_type:
        fields = {"visit_type": visit_type, "reason": "Bench"}
        _post_form(opener, base_url, "/appointments/book/", fields)
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def totp_code(secret: str) -> str:
    """The nurse's authenticator code now (RFC 6238: HMAC-SHA1, 30 s, 6 digits, as allauth's
    defaults). The server accepts only the current window, so near its end this waits."""
    left = TOTP_PERIOD - time.time() % TOTP_PERIOD
    if left < 3:
        time.sleep(left + 0.1)
    counter = int(time.time()) // TOTP_PERIOD
    digest = hmac.new(base64.b32decode(secret), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in_staff(base_url: str) -> str:
    """Sign the nurse in through the login page and the two-step verification page; return
    the Cookie header for the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    fields = {"login": STAFF_EMAIL, "password": PASSWORD}
    landed = _post_form(opener, base_url, "/account/login/", fields)
    step = "/account/2fa/authenticate/"
    assert urllib.parse.urlsplit(landed.url).path == step, f"sign-in ended at {landed.url}"
    landed = _post_form(opener, base_url, step, {"code": totp_code(TOTP_SECRET)})
    # Staff land on the clinic console.
    ended = urllib.parse.urlsplit(landed.url).path
    assert ended == "/staff/", f"verification ended at {landed.url}"
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def check_shows(base_url: str, cookie: str, path: str, text: str) -> None:
    """Stop unless the page answers 200 and shows `text`: measure the page, not another one."""
    request = urllib.request.Request(f"{base_url}{path}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request) as response:
        page = response.read().decode()
        landed = urllib.parse.urlsplit(response.url).path
    assert landed == path.split("?")[0] and text in page, f"{path} does not show {text!r}"


def _post_form(
    opener: urllib.request.OpenerDirector,
    base_url: str,
    action: str,
    fields: dict[str, str],
    page: str = "",
) -> Any:
    """Post a form with the CSRF token of the page it is on (`page`, by default `action`)."""
    html = opener.open(f"{base_url}{page or action}").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, f"no CSRF token on {page or action}"
    request = urllib.request.Request(
        f"{base_url}{action}",
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode(),
        headers={"Referer": f"{base_url}{page or action}"},
    )
    return opener.open(request)


def run_load(config: dict, workdir: Path) -> dict:
    path = workdir / "load.json"
    path.write_text(json.dumps(config))
    output = subprocess.run(
        [PYTHON, str(REPO / "bench" / "loadgen.py"), str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout)


def print_report(results: dict) -> None:
    base = results["baseline"]
    print(
        f"{'page':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'throughput x':>15}{'p99 x':>8}"
        f"{'errors':>8}"
    )
    for name, row in results.items():
        ratio = row["throughput"] / base["throughput"]
        p99_ratio = row["p99_ms"] / base["p99_ms"]
        print(
            f"{name:<16}{row['throughput']:>9.1f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
            f"{ratio:>15.2f}{p99_ratio:>8.2f}{row['errors']:>8}"
        )
    print(
        "throughput x = page requests/s / baseline requests/s (goal ≥ 1.0); "
        "p99 x = page p99 / baseline p99 (lower is better)"
    )
    failed = [name for name, row in results.items() if row["errors"]]
    if failed:
        # A page that answered with errors measured an error page, not the page.
        raise SystemExit(f"These pages answered with errors: {', '.join(failed)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    workdir = new_workdir()
    env = bench_environment(workdir)
    result_id, patient_id, visit_type_id, thread_id, statement_id = prepare(env, workdir)
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        base_url = f"http://127.0.0.1:{port}"
        config = {
            "base_url": base_url,
            "cookie": sign_in(base_url, visit_type=visit_type_id),
            "concurrency": args.concurrency,
            "duration": args.duration,
            "urls": {
                "baseline": "/bench/baseline/",
                "home": "/",
                "results": "/record/results/",
                "trend": f"/record/results/{result_id}/trend/",
                "vitals": "/record/vitals/",
                "appointments": "/appointments/",
                "booking times": f"/appointments/book/times/?type={visit_type_id}",
                "messages": "/messages/",
                "message thread": f"/messages/{thread_id}/",
                "staff inbox": "/staff/inbox/",
                "bills": "/billing/",
                "statement": f"/billing/statements/{statement_id}/",
                "bill history": "/billing/history/",
            },
            "cookies": {"staff inbox": sign_in_staff(base_url)},
        }
        newest = "Question 0 about my medicines"
        check_shows(base_url, config["cookie"], "/messages/", newest)
        check_shows(base_url, config["cookie"], f"/messages/{thread_id}/", newest)
        check_shows(base_url, config["cookies"]["staff inbox"], "/staff/inbox/", newest)
        print_report(run_load(config, workdir))
        # The same pages for a caregiver acting for the patient: what resolving a proxy grant
        # on every request costs, against the baseline measured again in this second run.
        print("\nAs a caregiver with every scope, acting for the patient:")
        config["cookie"] = sign_in(base_url, CAREGIVER_EMAIL, acting_for=patient_id)
        config["cookies"] = {}
        config["urls"] = {
            "baseline": "/bench/baseline/",
            "home": "/",
            "results": "/record/results/",
            "trend": f"/record/results/{result_id}/trend/",
        }
        print_report(run_load(config, workdir))
        # The FHIR API, as a patient's app reads the same record: a search of laboratory results
        # (50 a page, of thousands), the next page, one result, and the patient's conditions.
        print("\nThe FHIR API, with the token of an app the patient connected:")
        token, api_patient, newest_lab = manage(env, "shell", "-v", "0", "-c", CONNECT_APP).split()
        search = f"/fhir/Observation?patient={api_patient}&category=laboratory&_count=50"
        config["cookie"] = f"Bearer {token}"
        config["cookies"] = {"baseline": ""}
        config["urls"] = {
            "baseline": "/bench/baseline/",
            "api search": search,
            "api search, page 3": search + "&_offset=100",
            "api read": f"/fhir/Observation/{newest_lab}",
            "api conditions": f"/fhir/Condition?patient={api_patient}",
        }
        print_report(run_load(config, workdir))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
