"""Carebridge: an open-source patient portal."""
