"""Every write of billing: one module per part.

- `ledger`: the account lock and the one way a balance changes.
- `charges`: charges from the clinic's FHIR claims and by hand; statements.
- `payments`: starting, finishing and refunding payments, through a provider.
- `plans`: payment plans and their reminders.
- `insurance`: coverage sent by patients and reviewed by the front desk.
"""
