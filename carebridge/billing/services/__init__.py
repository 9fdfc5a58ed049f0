"""Every write of billing: one module per part.

- `ledger`: the account lock and the one way a balance changes.
- `charges`: charges from the clinic's FHIR claims and by hand; statements.
- `payments`: finishing, failing and recording refunds of payments (every provider shares it).
- `checkout`, `webhooks`, `guest`: starting an online payment, the provider's signed events,
  guest pay.
- `refunds`: refunds through the provider (or directly, for desk payments).
- `desk`: the billing office's payments taken at the desk, and statements with their notice.
- `questions`: a question about a statement, to the billing team.
- `plans`: payment plans and their reminders.
- `insurance`: coverage sent by patients and reviewed by the front desk.
"""
