"""Charts of readings over time, each with a sentence that tells a screen reader what it shows.

The SVG is drawn by `carebridge.lib.svg`; this module picks what to draw (readings in one unit,
the normal range as a band) and writes the chart's title and description in plain words. Pages
show the same readings in a table beneath, so nothing is only in the picture.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carebridge.lib.svg import MAX_POINTS, Band, LineChart, Series, render_line_chart
from carebridge.records.selectors.cells import day_words
from carebridge.records.selectors.trends import Reading
from carebridge.records.selectors.vitals import (
    NORMAL_DIASTOLIC_BELOW,
    NORMAL_SYSTOLIC_BELOW,
    BloodPressure,
)
from carebridge.records.selectors.wording import number_words, unit_words

# A phone's chart: narrow enough for its words to stay readable on a 320 px screen, with as
# many of the newest readings as can be told apart at that width.
NARROW_WIDTH = 360
NARROW_POINTS = 12


@dataclass(frozen=True)
class ChartView:
    """A drawn chart, and how many readings it could draw and did draw."""

    chart_id: str
    svg: SafeString
    # Readings that could be drawn (a number, in the chart's unit).
    plotted: int
    # Points drawn for the busiest line: fewer than `plotted` when the chart was thinned.
    drawn: int
    # Readings listed in the table but not drawn: in another unit, or not a number.
    not_drawn: int = 0
    # The phone's chart: the newest readings only, drawn narrow so it fits the screen with
    # words of a readable size (the page shows one chart or the other by the screen's width).
    narrow_svg: str = ""
    narrow_drawn: int = 0

    @property
    def narrow_id(self) -> str:
        return f"{self.chart_id}-newest"

    @property
    def is_thinned(self) -> bool:
        return self.drawn < self.plotted


def reading_chart(
    chart_id: str,
    name: str,
    readings: Sequence[Reading],
    *,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
) -> ChartView:
    """One test over time: readings in the latest reading's unit, its normal range as a band."""
    numeric = [reading for reading in readings if reading.number is not None]
    unit_code = numeric[-1].unit_code if numeric else ""
    drawn = [reading for reading in numeric if reading.unit_code == unit_code]
    band = _band(drawn[-1]) if drawn else None
    chart = LineChart(
        chart_id=chart_id,
        title=_("%(name)s over time") % {"name": name},
        description=_describe_readings(name, drawn, band),
        series=[Series(name, [(r.when, r.number or 0.0) for r in drawn])],
        bands=[band] if band else [],
        unit=unit_words(unit_code),
        start=start,
        end=end,
    )
    newest = drawn[-NARROW_POINTS:]
    narrow = replace(
        chart,
        chart_id=f"{chart_id}-newest",
        description=_describe_readings(name, newest, band),
        series=[Series(name, [(r.when, r.number or 0.0) for r in newest])],
        start=None,
        end=None,
        width=NARROW_WIDTH,
    )
    return ChartView(
        chart_id=chart_id,
        svg=render_line_chart(chart),
        plotted=len(drawn),
        drawn=min(len(drawn), MAX_POINTS),
        not_drawn=len(readings) - len(drawn),
        narrow_svg=render_line_chart(narrow) if newest else "",
        narrow_drawn=len(newest),
    )


def _band(latest: Reading) -> Band | None:
    if latest.low is None and latest.high is None:
        return None
    words = latest.range_text or _("as your lab gives it")
    return Band(_("Normal range: %(range)s") % {"range": words}, latest.low, latest.high)


def _describe_readings(name: str, readings: Sequence[Reading], band: Band | None) -> str:
    if not readings:
        return _("There are no readings of %(name)s to draw for this period.") % {"name": name}
    first, last = readings[0], readings[-1]
    numbers = [reading.number or 0.0 for reading in readings]
    words = ngettext(
        "%(count)d reading of %(name)s, on %(first)s.",
        "%(count)d readings of %(name)s from %(first)s to %(last)s, lowest %(low)s %(unit)s, "
        "highest %(high)s %(unit)s.",
        len(readings),
    ) % {
        "count": len(readings),
        "name": name,
        "first": day_words(first.day),
        "last": day_words(last.day),
        "low": number_words(min(numbers)),
        "high": number_words(max(numbers)),
        "unit": last.unit,
    }
    words += " " + _("The most recent was %(value)s %(unit)s on %(day)s.") % {
        "value": last.value,
        "unit": last.unit,
        "day": day_words(last.day),
    }
    if band is not None:
        words += " " + _("The shaded band is the normal range.")
    return words


def blood_pressure_chart(
    readings: Sequence[BloodPressure],
    *,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
) -> ChartView:
    """Upper and lower numbers as two lines, with what counts as normal for each shaded."""
    chart = LineChart(
        chart_id="chart-blood-pressure",
        title=_("Blood pressure over time"),
        description=_describe_blood_pressure(readings),
        series=[
            Series(_("Upper number (systolic)"), [(r.when, r.systolic) for r in readings]),
            Series(_("Lower number (diastolic)"), [(r.when, r.diastolic) for r in readings]),
        ],
        bands=[
            Band(
                _("Normal upper number: below %(n)s") % {"n": number_words(NORMAL_SYSTOLIC_BELOW)},
                high=NORMAL_SYSTOLIC_BELOW,
            ),
            Band(
                _("Normal lower number: below %(n)s") % {"n": number_words(NORMAL_DIASTOLIC_BELOW)},
                high=NORMAL_DIASTOLIC_BELOW,
            ),
        ],
        unit=unit_words("mm[Hg]"),
        start=start,
        end=end,
    )
    count = len(readings)
    newest = list(readings[-NARROW_POINTS:])
    narrow = replace(
        chart,
        chart_id="chart-blood-pressure-newest",
        description=_describe_blood_pressure(newest),
        series=[
            Series(series.label, list(series.points)[-NARROW_POINTS:]) for series in chart.series
        ],
        start=None,
        end=None,
        width=NARROW_WIDTH,
    )
    return ChartView(
        chart_id=chart.chart_id,
        svg=render_line_chart(chart),
        plotted=count,
        drawn=min(count, MAX_POINTS),
        narrow_svg=render_line_chart(narrow) if newest else "",
        narrow_drawn=len(newest),
    )


def _describe_blood_pressure(readings: Sequence[BloodPressure]) -> str:
    if not readings:
        return _("There are no blood pressure readings to draw for this period.")
    first, last = readings[0], readings[-1]
    upper = [reading.systolic for reading in readings]
    lower = [reading.diastolic for reading in readings]
    words = ngettext(
        "%(count)d blood pressure reading, on %(first)s.",
        "%(count)d blood pressure readings from %(first)s to %(last)s. The upper number "
        "ranged from %(upper_low)s to %(upper_high)s, the lower number from %(lower_low)s to "
        "%(lower_high)s.",
        len(readings),
    ) % {
        "count": len(readings),
        "first": day_words(first.day),
        "last": day_words(last.day),
        "upper_low": number_words(min(upper)),
        "upper_high": number_words(max(upper)),
        "lower_low": number_words(min(lower)),
        "lower_high": number_words(max(lower)),
    }
    return (
        words
        + " "
        + _(
            "The most recent was %(value)s on %(day)s. The shaded bands show normal: upper "
            "number below 120, lower number below 80."
        )
        % {"value": last.value, "day": day_words(last.day)}
    )
