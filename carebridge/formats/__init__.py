"""Dates, times and numbers in each language's own form (settings.FORMAT_MODULE_PATH).

Pages and e-mails use only these named formats, never a literal format string, so that the
portal writes a date one way everywhere: "December 7, 2026" in English, "7 de diciembre de 2026"
in Spanish. WEEKDAY_DATE_FORMAT (with the day of the week, for appointments) is the portal's own
name, read with `carebridge.lib.dates.weekday_date`.
"""
