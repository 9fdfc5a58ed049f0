"""US English: December 7, 2026 · 3:05 p.m. · 1,234.5"""

DATE_FORMAT = "F j, Y"
SHORT_DATE_FORMAT = "m/d/Y"
DATETIME_FORMAT = "F j, Y, g:i a"
SHORT_DATETIME_FORMAT = "m/d/Y g:i a"
TIME_FORMAT = "g:i a"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
# The portal's own names (read by `|date:"NAME"` and date_format like Django's): a weekday
# alone, and dates and times with the day of the week, for appointments.
WEEKDAY_FORMAT = "l"
WEEKDAY_DATE_FORMAT = "l, F j, Y"
WEEKDAY_MONTH_DAY_FORMAT = "l, F j"
WEEKDAY_DATETIME_FORMAT = "l, F j, Y, g:i a"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 0
