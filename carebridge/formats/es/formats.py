"""Spanish as US clinics write it: 7 de diciembre de 2026 · 15:05 · 1,234.5

Numbers keep the point for decimals and the comma for thousands, as in Mexico and the United
States (and as every lab value, dose and dollar amount the patient sees elsewhere is written):
a decimal comma would turn a potassium of 4.5 into "4,5" on one page and 4.5 on the lab's own
printout, and "1.234" would read as one point two to a reader used to US paperwork.
"""

DATE_FORMAT = r"j \d\e F \d\e Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
# The portal's own names (read by `|date:"NAME"` and date_format like Django's): a weekday
# alone, and dates and times with the day of the week, for appointments.
WEEKDAY_FORMAT = "l"
WEEKDAY_DATE_FORMAT = r"l j \d\e F \d\e Y"
WEEKDAY_MONTH_DAY_FORMAT = r"l j \d\e F"
WEEKDAY_DATETIME_FORMAT = r"l j \d\e F \d\e Y, H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 0
