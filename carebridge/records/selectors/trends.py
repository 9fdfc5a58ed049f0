"""One test's readings over time, for the result page's chart and the trend page.

Privacy and performance rules as in `selectors.results`: one patient, visible rows only, index
columns only. A history is one query however long it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from carebridge.records.links import record_url
from carebridge.records.models import ResourceType
from carebridge.records.selectors.cells import day_words, flag_markup
from carebridge.records.selectors.wording import (
    calendar_day,
    number_words,
    range_words,
    unit_words,
)

if TYPE_CHECKING:
    from carebridge.records.scope import RecordScope

# The periods a chart can show, by the value of the `period` query parameter.
PERIODS: dict[str, Promise] = {
    "1y": _("Last year"),
    "5y": _("Last 5 years"),
    "all": _("All readings"),
}
PERIOD_YEARS = {"1y": 1, "5y": 5}
READING_COLUMNS = (
    "pk",
    "code_display",
    "effective_at",
    "value_numeric",
    "value_text",
    "value_unit",
    "reference_low",
    "reference_high",
    "reference_text",
    "interpretation",
)


def moment_column() -> Cast:
    """`effective_at` as text, for `moment_reader`, when reading the thousands a chart draws.

    On SQLite, Django's own conversion of each stored moment cost more than all the rest done
    with a reading; parsing the text takes a fraction of that.
    """
    return Cast("effective_at", output_field=TextField())


def moment_reader(using: str) -> Callable[[str], datetime.datetime]:
    """How to read the `moment_column` texts of this database as moments.

    PostgreSQL's text carries its offset. SQLite's has none: it is in the connection's zone,
    UTC unless the database settings name another. UTC's offset is added to the text, which
    parses ten times quicker than replacing each parsed moment's zone.
    """
    connection = connections[using]
    parse = datetime.datetime.fromisoformat
    if connection.vendor != "sqlite":
        return parse
    stored_zone = connection.timezone
    if stored_zone is datetime.UTC:
        return lambda text: parse(f"{text}+00:00")
    return lambda text: parse(text).replace(tzinfo=stored_zone)


class Reading(NamedTuple):
    """One dated reading of a test, with the numbers a chart needs.

    A tuple, with its words worked out only when shown: a vitals page reads thousands of
    readings to draw its charts but shows a few dozen in its tables.
    """

    pk: int
    when: datetime.datetime
    number: float | None
    text: str
    # The unit's code, empty unless there is a number.
    unit_code: str
    low: float | None
    high: float | None
    range_text: str
    flag: str
    zone: ZoneInfo
    # The value as the record keeps it ("70 kg"), when it is shown converted (see `measures`).
    beside: str = ""

    @property
    def day(self) -> datetime.date:
        day = calendar_day(self.when, self.zone)
        assert day is not None
        return day

    @property
    def day_text(self) -> str:
        return day_words(self.day)

    @property
    def value(self) -> str:
        return number_words(self.number) if self.number is not None else self.text

    @property
    def unit(self) -> str:
        return unit_words(self.unit_code)

    @property
    def range_shown(self) -> str:
        """The normal range with its unit as people write it."""
        return range_words(self.range_text, self.unit_code)

    @property
    def unit_shown(self) -> str:
        """The unit, and the recorded value beside it when converted: "lb (70 kg)"."""
        return f"{self.unit} ({self.beside})" if self.beside else self.unit

    @property
    def url(self) -> str:
        return record_url("result-detail", self.pk)

    @property
    def flag_html(self) -> SafeString:
        return flag_markup(self.flag)


@dataclass(frozen=True)
class History:
    """A test's readings, oldest first, and its name as the latest reading gives it."""

    name: str
    readings: list[Reading]


def chosen_period(value: str | None, default: str) -> str:
    """The period asked for, or the default when the parameter is missing or unknown."""
    return value if value in PERIODS else default


def period_start(period: str, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the period begins; None for all readings."""
    years = PERIOD_YEARS.get(period)
    if years is None:
        return None
    return (now or timezone.now()) - datetime.timedelta(days=round(365.25 * years))


def get_history(
    scope: RecordScope,
    *,
    code_system: str,
    code: str,
    zone: ZoneInfo,
    since: datetime.datetime | None = None,
) -> History:
    """Every visible, dated reading of one test (system and code) in the scope, oldest first.

    Any category counts, so a vital sign such as weight has a history too.
    """
    rows = (
        scope.resources()
        .of_type(ResourceType.OBSERVATION)
        .filter(code_system=code_system, code=code, effective_at__isnull=False)
    )
    if since is not None:
        rows = rows.filter(effective_at__gte=since)
    columns = [moment_column() if name == "effective_at" else name for name in READING_COLUMNS]
    values = list(rows.order_by("effective_at", "pk").values_list(*columns))
    read = moment_reader(rows.db)
    readings = [reading_from(value, zone, read) for value in values]
    name = values[-1][1] if values else ""
    return History(name=name, readings=readings)


def reading_from(
    value: tuple[Any, ...], zone: ZoneInfo, read: Callable[[str], datetime.datetime]
) -> Reading:
    """A reading from `READING_COLUMNS` values, its moment from `moment_column`."""
    pk, _name, moment, number, text, unit, low, high, range_text, flag = value
    unit_code = unit if number is not None else ""
    return Reading(pk, read(moment), number, text, unit_code, low, high, range_text, flag, zone)
