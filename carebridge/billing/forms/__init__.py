"""Billing's forms, one module per part (`pay_forms`: paying online, guest pay, test cards)."""
