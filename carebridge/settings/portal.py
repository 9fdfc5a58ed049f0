"""The portal's own settings (`CAREBRIDGE_…`): what each feature may do, and where files live."""

from pathlib import Path

from carebridge.settings.env import BASE_DIR, ENV, env_bool, env_int, env_list

# The portal's own address, for links in e-mails sent outside a request (new results).
CAREBRIDGE_BASE_URL = ENV.get("CAREBRIDGE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Results dated more than this many days before they are imported are history, not news:
# they are not marked new and no e-mail is sent for them.
CAREBRIDGE_NEW_RESULT_DAYS = env_int("CAREBRIDGE_NEW_RESULT_DAYS", 30)
# How many days a link to a health summary sent to someone else keeps working.
CAREBRIDGE_SHARE_LINK_DAYS = env_int("CAREBRIDGE_SHARE_LINK_DAYS", 7)
# Imports: the largest file accepted (compressed or not), and where staff uploads wait for
# their background task (private: never served).
CAREBRIDGE_IMPORT_MAX_BYTES = env_int("CAREBRIDGE_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
CAREBRIDGE_IMPORT_DIR = Path(ENV.get("CAREBRIDGE_IMPORT_DIR", str(BASE_DIR / "var" / "imports")))
# How many days an invitation for a caregiver (sent by a patient) keeps working.
CAREBRIDGE_PROXY_INVITE_DAYS = env_int("CAREBRIDGE_PROXY_INVITE_DAYS", 7)
# Appointments. A video visit's link is this pattern with the appointment's random room put in
# `{room}`; it is shown from this many minutes before the start.
CAREBRIDGE_VIDEO_URL_PATTERN = ENV.get(
    "CAREBRIDGE_VIDEO_URL_PATTERN", "https://meet.jit.si/carebridge-{room}"
)
CAREBRIDGE_VIDEO_JOIN_MINUTES = env_int("CAREBRIDGE_VIDEO_JOIN_MINUTES", 15)
# Online check-in opens this many days before a visit.
CAREBRIDGE_CHECKIN_DAYS = env_int("CAREBRIDGE_CHECKIN_DAYS", 3)
# Reminder e-mails go this many hours before each visit (`carebridge send-reminders` queues them).
CAREBRIDGE_REMINDER_HOURS = [int(hours) for hours in env_list("CAREBRIDGE_REMINDER_HOURS", "72,24")]
# A freed time is offered to this many waitlisted patients at once, each offer lasting this long;
# the first to accept gets it.
CAREBRIDGE_WAITLIST_OFFERS_AT_ONCE = env_int("CAREBRIDGE_WAITLIST_OFFERS_AT_ONCE", 3)
CAREBRIDGE_WAITLIST_OFFER_MINUTES = env_int("CAREBRIDGE_WAITLIST_OFFER_MINUTES", 120)
# Message attachments: PDF, JPEG or PNG, at most this size each and this many per message;
# pictures above this many pixels are refused before they are decoded (a 48-megapixel phone
# photo passes), and are stored at most this many pixels on their long side.
CAREBRIDGE_ATTACHMENT_MAX_BYTES = env_int("CAREBRIDGE_ATTACHMENT_MAX_BYTES", 10_000_000)
CAREBRIDGE_ATTACHMENTS_PER_MESSAGE = env_int("CAREBRIDGE_ATTACHMENTS_PER_MESSAGE", 5)
CAREBRIDGE_ATTACHMENT_MAX_PIXELS = env_int("CAREBRIDGE_ATTACHMENT_MAX_PIXELS", 50_000_000)
CAREBRIDGE_ATTACHMENT_MAX_SIDE = env_int("CAREBRIDGE_ATTACHMENT_MAX_SIDE", 4096)
# PDFs are rebuilt from their pages (docs/adr/0006); these bound the work one file can cause.
CAREBRIDGE_ATTACHMENT_MAX_PDF_PAGES = env_int("CAREBRIDGE_ATTACHMENT_MAX_PDF_PAGES", 200)
CAREBRIDGE_ATTACHMENT_MAX_PDF_OBJECTS = env_int("CAREBRIDGE_ATTACHMENT_MAX_PDF_OBJECTS", 20_000)
# Audit checkpoints (docs/adr/0003): one signed JSON line per sealing pass, to ship to write-once
# storage. Unsealed events older than this many seconds make `verify-audit` fail.
CAREBRIDGE_AUDIT_CHECKPOINT_FILE = Path(
    ENV.get("CAREBRIDGE_AUDIT_CHECKPOINT_FILE", str(BASE_DIR / "var" / "audit-checkpoints.jsonl"))
)
CAREBRIDGE_AUDIT_UNSEALED_LIMIT_SECONDS = env_int("CAREBRIDGE_AUDIT_UNSEALED_LIMIT_SECONDS", 600)
# Where attachments are kept: private (never served directly), shared by every app server.
CAREBRIDGE_ATTACHMENT_DIR = Path(
    ENV.get("CAREBRIDGE_ATTACHMENT_DIR", str(BASE_DIR / "var" / "attachments"))
)
# Online payments (docs: README, "Settings"). The provider that takes the card: "test" (the
# built-in test page, which charges nothing and calls nothing outside) or "stripe".
CAREBRIDGE_PAYMENT_PROVIDER = ENV.get("CAREBRIDGE_PAYMENT_PROVIDER", "test").strip().lower()
# Stripe's secret API key and the signing secret of the webhook endpoint set up for Carebridge.
STRIPE_SECRET_KEY = ENV.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = ENV.get("STRIPE_WEBHOOK_SECRET", "")
# Another address for Stripe's API (stripe-mock, or the tests' local server); empty: Stripe's.
STRIPE_API_BASE = ENV.get("STRIPE_API_BASE", "")
# Signs the test provider's events; empty means one derived from SECRET_KEY (development).
CAREBRIDGE_TEST_PROVIDER_SECRET = ENV.get("CAREBRIDGE_TEST_PROVIDER_SECRET", "")
# Production refuses the test provider unless this is set (a demonstration server).
CAREBRIDGE_ALLOW_TEST_PAYMENTS = env_bool("CAREBRIDGE_ALLOW_TEST_PAYMENTS", default=False)
# A payment not finished within this many minutes is given up (the provider's checkout page
# has expired), so its amount may be paid again.
CAREBRIDGE_CHECKOUT_MINUTES = env_int("CAREBRIDGE_CHECKOUT_MINUTES", 30)
# Guest pay: wrong tries allowed per device (address) and per statement number in the window.
CAREBRIDGE_GUEST_PAY_TRIES_PER_DEVICE = env_int("CAREBRIDGE_GUEST_PAY_TRIES_PER_DEVICE", 10)
CAREBRIDGE_GUEST_PAY_TRIES_PER_STATEMENT = env_int("CAREBRIDGE_GUEST_PAY_TRIES_PER_STATEMENT", 5)
CAREBRIDGE_GUEST_PAY_WINDOW_SECONDS = env_int("CAREBRIDGE_GUEST_PAY_WINDOW_SECONDS", 3600)
