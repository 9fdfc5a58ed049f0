"""The billing office's console: patients with balances, a patient's account and its actions
(a charge by hand, a payment taken at the desk, an adjustment, a refund, a statement), and the
day's reconciliation with its CSV. Staff with `billing.manage_billing`, their own clinic only."""
