"""Reads of billing for display, one module per page; each builds its page from a constant
number of queries, however many charges, statements or payments the patient has.

- `summary`: the billing summary and the home page's amount due.
- `statements`: one statement, its lines grouped by visit.
- `history`: the account history, every ledger entry, a page at a time.
- `receipts`: one payment's receipt.
- `rules`: a clinic's billing rules (or the defaults).
"""
