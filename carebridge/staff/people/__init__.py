"""The clinic administrator's staff accounts and care teams (issue 16)."""
