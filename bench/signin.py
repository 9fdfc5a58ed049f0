"""Signing in to the bench's server the way people do: the login page, the two-step page."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.cookiejar
import re
import time
import urllib.parse
import urllib.request
from typing import Any

PASSWORD = "bench-password-long-enough"  # noqa: S105
TOTP_PERIOD = 30


def sign_in(base_url: str, email: str, acting_for: str = "", visit_type: str = "") -> str:
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


def totp_code(secret: str, now: float | None = None) -> str:
    """The authenticator code at `now` (RFC 6238: HMAC-SHA1, 30 s, 6 digits, as allauth's
    defaults). Without `now`, the code now: the server accepts only the current window, so
    near its end this waits for the next."""
    if now is None:
        left = TOTP_PERIOD - time.time() % TOTP_PERIOD
        if left < 3:
            time.sleep(left + 0.1)
        now = time.time()
    counter = int(now) // TOTP_PERIOD
    digest = hmac.new(base64.b32decode(secret), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in_staff(base_url: str, email: str, totp_secret: str) -> str:
    """Sign a member of staff in through the login page and the two-step verification page;
    return the Cookie header for the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    fields = {"login": email, "password": PASSWORD}
    landed = _post_form(opener, base_url, "/account/login/", fields)
    step = "/account/2fa/authenticate/"
    assert urllib.parse.urlsplit(landed.url).path == step, f"sign-in ended at {landed.url}"
    landed = _post_form(opener, base_url, step, {"code": totp_code(totp_secret)})
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
